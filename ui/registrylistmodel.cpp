// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registrylistmodel.h"

#include <QCoreApplication>
#include <QFont>
#include <QGuiApplication>
#include <QHash>
#include <QIcon>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>
#include <QSettings>

#include "credentials/secretstore.h"
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

/** A key drawn in the palette's text colour: filled when saved in the keychain, outlined for a session login. */
QPixmap keyPixmap(const QColor &colour, bool filled, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal unit = size / 16.0;
    QPen pen(colour, 1.6 * unit);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter.setPen(pen);
    painter.setBrush(filled ? QBrush(colour) : QBrush(Qt::NoBrush));
    // The bow: a ring (its hole punched out when filled), the shaft and two bits.
    const QRectF bow(1.5 * unit, 4.5 * unit, 7 * unit, 7 * unit);
    if (filled) {
        QPainterPath ring;
        ring.addEllipse(bow);
        ring.addEllipse(QRectF(3.6 * unit, 6.6 * unit, 2.8 * unit, 2.8 * unit));
        ring.setFillRule(Qt::OddEvenFill);
        painter.drawPath(ring);
    } else {
        painter.drawEllipse(bow);
    }
    painter.drawLine(QPointF(8.5 * unit, 8 * unit), QPointF(14.5 * unit, 8 * unit));
    painter.drawLine(QPointF(12.5 * unit, 8 * unit), QPointF(12.5 * unit, 11 * unit));
    painter.drawLine(QPointF(14.5 * unit, 8 * unit), QPointF(14.5 * unit, 10.5 * unit));
    return pixmap;
}

QIcon keyIcon(bool filled)
{
    // Views ask on every repaint: draw each variant once per palette colour (the GUI thread only).
    static QHash<std::pair<QRgb, bool>, QIcon> cache;
    const QColor colour = QGuiApplication::palette().color(QPalette::Text);
    auto it = cache.find({colour.rgba(), filled});
    if (it == cache.end()) {
        QIcon icon;
        for (int size : {16, 32})
            icon.addPixmap(keyPixmap(colour, filled, size));
        it = cache.insert({colour.rgba(), filled}, icon);
    }
    return it.value();
}

QIcon blankIcon()
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    return QIcon(pixmap);
}

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
    const Held held = m_credentials.value(Credentials::SecretStore::normalisedRegistry(e.address));
    QString login;
    switch (held.state) {
    case CredentialState::None: break;
    case CredentialState::Session: login = tr("Logged in as %1 for this session (not saved)").arg(held.username); break;
    case CredentialState::Saved: login = tr("Logged in as %1 (saved in the keychain)").arg(held.username); break;
    }
    switch (role) {
    case Qt::DisplayRole:
        return e.displayName();
    case Qt::DecorationRole:
        if (held.state != CredentialState::None)
            return keyIcon(held.state == CredentialState::Saved);
        // Once some registry shows a key, the others keep their names aligned with it.
        for (const RegistryEntry &other : m_entries) {
            if (m_credentials.contains(Credentials::SecretStore::normalisedRegistry(other.address)))
                return blankIcon();
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = e.address + QLatin1Char('\n') + tlsModeName(e.tlsMode);
        if (!login.isEmpty())
            tip += QLatin1Char('\n') + login;
        if (!e.saved)
            tip += QLatin1Char('\n') + tr("Opened for this session only: edit it to keep it in the list.");
        return tip;
    }
    case Qt::AccessibleDescriptionRole:
        if (!login.isEmpty())
            return tr("%1, %2, %3").arg(e.address, tlsModeName(e.tlsMode), login);
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
    case CredentialStateRole:
        return int(held.state);
    case CredentialUserRole:
        return held.username;
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

void RegistryListModel::setCredentialState(const QString &address, CredentialState state, const QString &username)
{
    const QString key = Credentials::SecretStore::normalisedRegistry(address);
    const Held held{state, state == CredentialState::None ? QString() : username};
    const Held before = m_credentials.value(key);
    if (before.state == held.state && before.username == held.username)
        return;
    if (held.state == CredentialState::None)
        m_credentials.remove(key);
    else
        m_credentials.insert(key, held);
    // Every row: the others' alignment depends on whether any registry shows a key.
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_entries.size()) - 1));
}

CredentialState RegistryListModel::credentialState(const QString &address) const
{
    return m_credentials.value(Credentials::SecretStore::normalisedRegistry(address)).state;
}

QString RegistryListModel::credentialUser(const QString &address) const
{
    return m_credentials.value(Credentials::SecretStore::normalisedRegistry(address)).username;
}

} // namespace Restack::Ui
