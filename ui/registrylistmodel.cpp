// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registrylistmodel.h"

#include <QCoreApplication>
#include <QFont>
#include <QSettings>

#include "image/reference.h"

namespace Restack::Ui
{

QString tlsModeKey(TlsMode mode)
{
    switch (mode) {
    case TlsMode::Verify: return QStringLiteral("verify");
    case TlsMode::SkipVerify: return QStringLiteral("skip-verify");
    case TlsMode::PlainHttp: return QStringLiteral("plain-http");
    }
    return QStringLiteral("verify");
}

QString tlsModeName(TlsMode mode)
{
    switch (mode) {
    case TlsMode::Verify: return QCoreApplication::translate("Restack::Ui", "Verify certificates");
    case TlsMode::SkipVerify: return QCoreApplication::translate("Restack::Ui", "Skip certificate verification");
    case TlsMode::PlainHttp: return QCoreApplication::translate("Restack::Ui", "Plain HTTP");
    }
    return {};
}

namespace
{
TlsMode tlsModeFromKey(const QString &key)
{
    for (TlsMode mode : {TlsMode::Verify, TlsMode::SkipVerify, TlsMode::PlainHttp}) {
        if (tlsModeKey(mode) == key)
            return mode;
    }
    return TlsMode::Verify;
}
} // namespace

RegistryListModel::RegistryListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

RegistryListModel::~RegistryListModel() = default;

int RegistryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RegistryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RegistryEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return e.displayName();
    case Qt::ToolTipRole: {
        QString tip = e.address + QLatin1Char('\n') + tlsModeName(e.tlsMode);
        if (!e.saved)
            tip += QLatin1Char('\n') + tr("Opened for this session only: edit it to keep it in the list.");
        return tip;
    }
    case Qt::AccessibleDescriptionRole:
        return tr("%1, %2").arg(e.address, tlsModeName(e.tlsMode));
    case Qt::FontRole:
        if (!e.saved) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case AddressRole:
        return e.address;
    case TlsModeRole:
        return int(e.tlsMode);
    case SavedRole:
        return e.saved;
    default:
        return {};
    }
}

void RegistryListModel::load(QSettings &settings)
{
    QList<RegistryEntry> entries;
    const int count = settings.beginReadArray(QStringLiteral("registries"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        const auto address = Image::Reference::parseRegistry(settings.value(QStringLiteral("address")).toString());
        if (!address.ok())
            continue;
        RegistryEntry e;
        e.address = address.value();
        e.name = settings.value(QStringLiteral("name")).toString();
        e.tlsMode = tlsModeFromKey(settings.value(QStringLiteral("tls")).toString());
        entries << e;
    }
    settings.endArray();
    beginResetModel();
    m_entries = entries;
    endResetModel();
    Q_EMIT registriesChanged();
}

void RegistryListModel::save(QSettings &settings) const
{
    settings.remove(QStringLiteral("registries"));
    settings.beginWriteArray(QStringLiteral("registries"));
    int i = 0;
    for (const RegistryEntry &e : m_entries) {
        if (!e.saved)
            continue;
        settings.setArrayIndex(i++);
        settings.setValue(QStringLiteral("name"), e.name);
        settings.setValue(QStringLiteral("address"), e.address);
        settings.setValue(QStringLiteral("tls"), tlsModeKey(e.tlsMode));
    }
    settings.endArray();
}

int RegistryListModel::rowOf(const QString &address) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).address == address)
            return i;
    }
    return -1;
}

int RegistryListModel::addRegistry(const RegistryEntry &entry)
{
    const int existing = rowOf(entry.address);
    if (existing >= 0) {
        setRegistry(existing, entry);
        return existing;
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries << entry;
    endInsertRows();
    Q_EMIT registriesChanged();
    return row;
}

void RegistryListModel::setRegistry(int row, const RegistryEntry &entry)
{
    if (row < 0 || row >= m_entries.size())
        return;
    m_entries[row] = entry;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
    Q_EMIT registriesChanged();
}

void RegistryListModel::removeRegistry(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    Q_EMIT registriesChanged();
}

} // namespace Restack::Ui
