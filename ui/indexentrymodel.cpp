// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "indexentrymodel.h"

#include <QFont>
#include <QRegularExpression>

#include "image/imageconfig.h"
#include "image/mediatypes.h"
#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Ui
{

using Image::Manifest;
using Image::Platform;

namespace
{

bool hasAnyField(const Platform &p)
{
    return !p.os.isEmpty() || !p.architecture.isEmpty() || !p.variant.isEmpty() || !p.osVersion.isEmpty()
        || !p.osFeatures.isEmpty();
}

} // namespace

IndexEntryModel::IndexEntryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

IndexEntryModel::~IndexEntryModel() = default;

int IndexEntryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IndexEntryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString IndexEntryModel::field(const Platform &platform, int column)
{
    switch (column) {
    case OsColumn: return platform.os;
    case ArchitectureColumn: return platform.architecture;
    case VariantColumn: return platform.variant;
    case OsVersionColumn: return platform.osVersion;
    case FeaturesColumn: return platform.osFeatures.join(QStringLiteral(", "));
    }
    return {};
}

QVariant IndexEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ImageColumn: return tr("Image");
        case OsColumn: return tr("OS");
        case ArchitectureColumn: return tr("Architecture");
        case VariantColumn: return tr("Variant");
        case OsVersionColumn: return tr("OS version");
        case FeaturesColumn: return tr("OS features");
        case StatusColumn: return tr("Status");
        }
    }
    if (role == Qt::ToolTipRole && section >= OsColumn && section <= FeaturesColumn)
        return tr("From the image's config; edit to override (overrides are bold)");
    return {};
}

Qt::ItemFlags IndexEntryModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() >= OsColumn && index.column() <= FeaturesColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant IndexEntryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const int column = index.column();
    const bool platformColumn = column >= OsColumn && column <= FeaturesColumn;
    const bool overridden = platformColumn && !field(r.overrides, column).isEmpty();
    const QList<int> duplicates = duplicatesOf(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (column == ImageColumn)
            return r.image.toString();
        if (platformColumn)
            return field(platform(index.row()), column);
        if (column == StatusColumn) {
            switch (r.state) {
            case State::Loading: return tr("Loading…");
            case State::NeedsPlatform:
                return tr("An index of %1: type the OS and architecture of the image to use").arg(Platform::joined(r.children));
            case State::Failed: return r.error;
            case State::Loaded: {
                const auto family = Image::MediaType::familyOf(r.mediaType);
                QString text = tr("%1 image · %2")
                                   .arg(family ? Image::MediaType::familyName(*family) : r.mediaType, r.digest.shortString());
                if (!duplicates.isEmpty())
                    text = tr("Same platform as row %1").arg(duplicates.first() + 1) + QStringLiteral(" · ") + text;
                return text;
            }
            }
        }
        return {};
    case Qt::ToolTipRole:
        if (column == ImageColumn)
            return r.digest.isValid() ? r.image.repositoryOnly().withDigest(r.digest).toString() : r.image.toString();
        if (platformColumn) {
            if (overridden)
                return field(r.config, column).isEmpty()
                    ? tr("Set here (the image's config has none)")
                    : tr("Overrides the config's “%1”").arg(field(r.config, column));
            return r.state == State::Loaded ? tr("From the image's config") : QString();
        }
        if (column == StatusColumn) {
            if (!duplicates.isEmpty())
                return tr("An index holds one image per platform: change this image's platform (variant, OS version) "
                          "or remove one of them.");
            return r.state == State::Loaded ? r.mediaType + QLatin1Char('\n') + r.digest.toString() : r.error;
        }
        return {};
    case Qt::FontRole:
        if (overridden || (column == StatusColumn && !duplicates.isEmpty())) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case StateRole: return int(r.state);
    case OverriddenRole: return overridden;
    case ConfigValueRole: return platformColumn ? field(r.config, column) : QString();
    case DigestRole: return r.digest.isValid() ? r.digest.toString() : QString();
    case DuplicateRole: return !duplicates.isEmpty();
    case ReferenceRole: return r.image.toString();
    default: return {};
    }
}

bool IndexEntryModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int column = index.column();
    if (column < OsColumn || column > FeaturesColumn)
        return false;
    Row &r = m_rows[index.row()];
    QString text = value.toString().trimmed();
    if (text == field(r.config, column))
        text.clear(); // the config's own value: no override
    if (text == field(r.overrides, column))
        return true;
    switch (column) {
    case OsColumn: r.overrides.os = text; break;
    case ArchitectureColumn: r.overrides.architecture = text; break;
    case VariantColumn: r.overrides.variant = text; break;
    case OsVersionColumn: r.overrides.osVersion = text; break;
    case FeaturesColumn: {
        static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
        r.overrides.osFeatures = text.split(separators, Qt::SkipEmptyParts);
        break;
    }
    }
    // The OS and architecture pick an index's child: load it again.
    if ((column == OsColumn || column == ArchitectureColumn) && (r.isIndex || r.state == State::NeedsPlatform)
        && !platform(index.row()).os.isEmpty() && !platform(index.row()).architecture.isEmpty())
        load(index.row());
    allChanged(); // duplicates of other rows may have changed too
    Q_EMIT entriesChanged();
    return true;
}

void IndexEntryModel::setClient(Registry::Client *client)
{
    m_client = client;
}

int IndexEntryModel::addEntry(const Index::IndexEntry &entry)
{
    const int row = int(m_rows.size());
    Row r;
    r.id = m_nextId++;
    r.image = entry.image;
    if (entry.platform)
        r.overrides = *entry.platform;
    beginInsertRows({}, row, row);
    m_rows << r;
    endInsertRows();
    load(row);
    Q_EMIT entriesChanged();
    return row;
}

void IndexEntryModel::removeEntry(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    Row r = m_rows.takeAt(row);
    endRemoveRows();
    delete r.requests;
    allChanged();
    Q_EMIT entriesChanged();
}

void IndexEntryModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    for (const Row &r : std::as_const(m_rows))
        delete r.requests;
    m_rows.clear();
    endResetModel();
    Q_EMIT entriesChanged();
}

void IndexEntryModel::reload(int row)
{
    if (row >= 0) {
        if (row < m_rows.size())
            load(row);
    } else {
        for (int i = 0; i < m_rows.size(); ++i)
            load(i);
    }
    allChanged();
}

QList<Index::IndexEntry> IndexEntryModel::entries() const
{
    QList<Index::IndexEntry> entries;
    for (const Row &r : m_rows) {
        Index::IndexEntry entry;
        entry.image = r.image;
        if (hasAnyField(r.overrides))
            entry.platform = r.overrides;
        entries << entry;
    }
    return entries;
}

IndexEntryModel::State IndexEntryModel::state(int row) const
{
    return m_rows.value(row).state;
}

Platform IndexEntryModel::platform(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows.at(row);
    return r.config.overriddenBy(r.overrides);
}

bool IndexEntryModel::isLoading() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.state == State::Loading; });
}

bool IndexEntryModel::hasDuplicates() const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!duplicatesOf(row).isEmpty())
            return true;
    }
    return false;
}

QList<int> IndexEntryModel::duplicatesOf(int row) const
{
    QList<int> rows;
    if (m_rows.at(row).state != State::Loaded)
        return rows;
    const Platform mine = platform(row);
    for (int other = 0; other < m_rows.size(); ++other) {
        if (other != row && m_rows.at(other).state == State::Loaded && platform(other).sameIndexEntry(mine))
            rows << other;
    }
    return rows;
}

int IndexEntryModel::rowOf(quint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

void IndexEntryModel::allChanged()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void IndexEntryModel::load(int row)
{
    Row &r = m_rows[row];
    delete r.requests; // abandons an earlier load of this row
    r.requests = new QObject(this);
    r.state = State::Loading;
    r.error.clear();
    r.digest = {};
    if (!m_client)
        return;
    const quint64 id = r.id;
    const Image::Reference ref = r.image;
    QObject *context = r.requests;
    m_client->fetchManifest(ref, context, [this, id, ref, context](Result<Manifest> manifest) {
        const int row = rowOf(id);
        if (row < 0)
            return;
        if (!manifest.ok())
            return fail(id, manifest.error());
        Row &r = m_rows[row];
        r.isIndex = manifest->isIndex();
        if (!r.isIndex)
            return loadConfig(id, manifest.value());
        // An index: the child of the platform asked for, or its only runnable one.
        const QList<Platform> runnable = Rebase::indexPlatforms(manifest.value());
        QList<Image::Descriptor> children;
        for (const Image::Descriptor &d : manifest->manifests()) {
            if (d.platform && runnable.contains(*d.platform))
                children << d;
        }
        r.children = runnable;
        std::optional<Image::Descriptor> chosen;
        const Platform wanted = r.overrides;
        if (!wanted.os.isEmpty() && !wanted.architecture.isEmpty()) {
            for (const Image::Descriptor &d : std::as_const(children)) {
                if (d.platform->matches(wanted)) {
                    chosen = d;
                    break;
                }
            }
            if (!chosen)
                return fail(id, Error::make(Error::Kind::PlatformMismatch,
                                            tr("the index has no image for %1; it has: %2")
                                                .arg(wanted.toString(true), Platform::joined(runnable))));
        } else if (children.size() == 1) {
            chosen = children.first();
        } else {
            r.state = State::NeedsPlatform;
            allChanged();
            Q_EMIT entriesChanged();
            return;
        }
        m_client->fetchManifest(ref.repositoryOnly().withDigest(chosen->digest), context, [this, id](Result<Manifest> child) {
            if (!child.ok())
                return fail(id, child.error());
            loadConfig(id, child.value());
        });
    });
}

void IndexEntryModel::loadConfig(quint64 id, const Manifest &manifest)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const Row &r = m_rows.at(row);
    m_client->fetchBlob(r.image, manifest.config(), r.requests, [this, id, manifest](Result<QByteArray> blob) {
        if (!blob.ok())
            return fail(id, blob.error());
        const auto config = Image::ImageConfig::parse(blob.value());
        if (!config.ok())
            return fail(id, config.error());
        const int row = rowOf(id);
        if (row < 0)
            return;
        Row &r = m_rows[row];
        r.config = config->platform();
        r.digest = manifest.digest();
        r.mediaType = manifest.mediaType();
        r.state = State::Loaded;
        allChanged();
        Q_EMIT entriesChanged();
    });
}

void IndexEntryModel::fail(quint64 id, const Error &error)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    r.state = State::Failed;
    QString message = error.message;
    if (!message.isEmpty())
        message[0] = message.at(0).toUpper();
    r.error = message;
    allChanged();
    Q_EMIT entriesChanged();
}

} // namespace Restack::Ui
