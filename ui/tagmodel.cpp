// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tagmodel.h"

#include <QLocale>

#include "image/imageconfig.h"
#include "image/manifest.h"
#include "originstyle.h"
#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Ui
{

using Image::Manifest;

TagModel::TagModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

TagModel::~TagModel() = default;

int TagModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TagModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TagColumn: return tr("Tag");
    case DigestColumn: return tr("Digest");
    case TypeColumn: return tr("Type");
    case SizeColumn: return tr("Size");
    case CreatedColumn: return tr("Created");
    case PlatformsColumn: return tr("Platforms");
    default: return {};
    }
}

QVariant TagModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const int column = index.column();
    if (role == Qt::DisplayRole && r.state == DetailsState::NotLoaded)
        requestDetails(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TagColumn: return r.tag;
        case DigestColumn:
            if (r.state == DetailsState::Loading || r.state == DetailsState::NotLoaded)
                return tr("loading…");
            if (r.state == DetailsState::Failed)
                return tr("unavailable");
            return r.digest.shortString();
        case TypeColumn:
            if (r.state != DetailsState::Loaded)
                return {};
            return r.isIndex ? tr("index") : tr("image");
        case SizeColumn: return r.size ? humanSize(*r.size) : QVariant();
        case CreatedColumn:
            // Compact and sortable at a glance; the tooltip has the full ISO 8601 time.
            return r.created.isValid() ? r.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QVariant();
        case PlatformsColumn: return r.platforms.join(QStringLiteral(", "));
        }
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case DigestColumn:
            if (r.state == DetailsState::Failed)
                return r.error;
            if (!r.digest.isValid())
                return {};
            return QString(r.digest.toString() + QLatin1Char('\n') + r.mediaType);
        case SizeColumn:
            if (r.size)
                return tr("%1 compressed (all layers)").arg(exactSize(*r.size));
            return r.isIndex ? tr("An index: each platform's image has its own size") : QVariant();
        case CreatedColumn: return r.created.isValid() ? r.created.toString(Qt::ISODate) : QVariant();
        case PlatformsColumn: return r.platforms.isEmpty() ? QVariant() : r.platforms.join(QLatin1Char('\n'));
        default: return r.tag;
        }
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (column) {
        case TagColumn: return r.tag;
        case DigestColumn: return r.digest.toString();
        case TypeColumn: return r.state == DetailsState::Loaded ? int(r.isIndex) : 2;
        case SizeColumn: return r.size ? *r.size : std::numeric_limits<qint64>::max();
        case CreatedColumn:
            // Unknown dates sort after known ones in ascending order.
            return r.created.isValid() ? r.created.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case PlatformsColumn: return r.platforms.join(QStringLiteral(", "));
        }
        return {};
    case TagRole:
        return r.tag;
    case DigestRole:
        return r.digest.isValid() ? r.digest.toString() : QString();
    case DetailsStateRole:
        return int(r.state);
    default:
        return {};
    }
}

void TagModel::load(Registry::Client *client, const Image::Reference &repository)
{
    const Image::Reference listed = repository.repositoryOnly(); // a copy: @p repository may be m_repository
    clear();
    m_client = client;
    m_repository = listed;
    m_requests = new QObject(this);
    setState(State::Loading);
    m_listing = client->listTags(
        m_repository, m_requests,
        [this](Result<QStringList> result) {
            m_listing = nullptr;
            if (result.ok()) {
                if (m_rows.isEmpty())
                    addTags(result.value());
                return setState(State::Loaded);
            }
            if (result.error().kind == Error::Kind::Cancelled)
                return;
            setState(State::Failed);
            Q_EMIT failed(result.error());
        },
        [this](const QStringList &page) { addTags(page); });
}

void TagModel::clear()
{
    // Destroying the context aborts the listing and every detail request without callbacks.
    delete m_requests;
    m_requests = nullptr;
    m_listing = nullptr;
    m_queue.clear();
    m_running = 0;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_repository = {};
    setState(State::Empty);
}

void TagModel::addTags(const QStringList &tags)
{
    if (tags.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(tags.size()) - 1);
    for (const QString &tag : tags) {
        Row row;
        row.tag = tag;
        m_rows.append(row);
    }
    endInsertRows();
}

void TagModel::loadAllDetails()
{
    for (int row = 0; row < m_rows.size(); ++row)
        requestDetails(row);
}

int TagModel::rowOf(const QString &tag) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).tag == tag)
            return i;
    }
    return -1;
}

QString TagModel::tagAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).tag : QString();
}

void TagModel::requestDetails(int row) const
{
    // Called from data(): only queue here, the requests start from the event loop.
    if (!m_client || m_rows.at(row).state != DetailsState::NotLoaded || m_queue.contains(row))
        return;
    m_queue.append(row);
    if (!m_pumpScheduled) {
        m_pumpScheduled = true;
        QMetaObject::invokeMethod(const_cast<TagModel *>(this), &TagModel::pump, Qt::QueuedConnection);
    }
}

void TagModel::pump()
{
    m_pumpScheduled = false;
    while (m_running < MaxConcurrentLoads && !m_queue.isEmpty()) {
        const int row = m_queue.takeFirst();
        if (row < m_rows.size() && m_rows.at(row).state == DetailsState::NotLoaded)
            loadDetails(row);
    }
}

void TagModel::loadDetails(int row)
{
    ++m_running;
    m_rows[row].state = DetailsState::Loading;
    const QString tag = m_rows.at(row).tag;
    const Image::Reference ref = m_repository.withTag(tag);
    m_client->fetchManifest(ref, m_requests, [this, row, tag, ref](Result<Manifest> manifest) {
        if (!manifest.ok())
            return finishDetails(row, tag, manifest.error());
        Row &r = m_rows[row];
        r.digest = manifest->digest();
        r.mediaType = manifest->mediaType();
        r.isIndex = manifest->isIndex();
        if (r.isIndex) {
            for (const Image::Platform &platform : Rebase::indexPlatforms(*manifest))
                r.platforms << platform.toString(true);
            return finishDetails(row, tag, std::nullopt);
        }
        r.size = manifest->layersSize();
        m_client->fetchBlob(ref, manifest->config(), m_requests, [this, row, tag](Result<QByteArray> blob) {
            if (!blob.ok())
                return finishDetails(row, tag, blob.error());
            const auto config = Image::ImageConfig::parse(blob.value());
            if (!config.ok())
                return finishDetails(row, tag, config.error());
            Row &r = m_rows[row];
            r.created = QDateTime::fromString(config->created(), Qt::ISODateWithMs);
            if (!config->platform().isEmpty())
                r.platforms = QStringList{config->platform().toString(true)};
            finishDetails(row, tag, std::nullopt);
        });
    });
}

void TagModel::finishDetails(int row, const QString &tag, const std::optional<Error> &error)
{
    --m_running;
    if (row < m_rows.size() && m_rows.at(row).tag == tag) {
        Row &r = m_rows[row];
        r.state = error ? DetailsState::Failed : DetailsState::Loaded;
        if (error)
            r.error = error->toString();
        rowChanged(row);
    }
    pump();
}

void TagModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TagModel::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Restack::Ui
