// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>

#include "common/error.h"
#include "image/digest.h"
#include "image/reference.h"

namespace Restack::Registry
{
class Client;
class Task;
} // namespace Restack::Registry

namespace Restack::Ui
{

/**
 * The tags of one repository (GET /v2/NAME/tags/list, all pages, rows appended as pages arrive)
 * with details loaded lazily: a row's details are fetched the first time a view asks for its
 * data (at most MaxConcurrentLoads at a time), or for all rows by loadAllDetails() (before sorting
 * by date). Details: the manifest's digest and media type, the total compressed size of its
 * layers (bytes), the config's created time, and for an index the platforms of its children.
 *
 * Columns: tag, digest (short; the full digest in the tooltip), type ("image" / "index"), size,
 * created, platforms. SortRole gives raw values (tag text, size in bytes, created as msecs since
 * the epoch; rows whose value is not known yet sort last).
 */
class TagModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TagModel)

public:
    enum Column { TagColumn, DigestColumn, TypeColumn, SizeColumn, CreatedColumn, PlatformsColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< raw value for sorting (see the class comment)
        TagRole,                     ///< QString tag
        DigestRole,                  ///< QString full digest, empty until known
        DetailsStateRole,            ///< int(DetailsState)
    };
    enum class DetailsState { NotLoaded, Loading, Loaded, Failed };
    static constexpr int MaxConcurrentLoads = 4;

    enum class State { Empty, Loading, Loaded, Failed };
    Q_ENUM(State)

    explicit TagModel(QObject *parent = nullptr);
    ~TagModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** Lists the tags of @p repository (a reference without tag) with @p client, replacing the rows. */
    void load(Registry::Client *client, const Image::Reference &repository);
    /** Aborts every request and empties the model. */
    void clear();
    /** Appends tags (the page callback; public for tests). */
    void addTags(const QStringList &tags);
    /** Queues the details of every row not loaded yet. */
    void loadAllDetails();

    Image::Reference repository() const { return m_repository; }
    State state() const { return m_state; }
    /** The row of @p tag, or -1. */
    int rowOf(const QString &tag) const;
    QString tagAt(int row) const;

Q_SIGNALS:
    void stateChanged(Restack::Ui::TagModel::State state);
    /** Listing the tags failed (details failing show in their row's tooltip instead). */
    void failed(const Restack::Error &error);

private:
    struct Row
    {
        QString tag;
        DetailsState state = DetailsState::NotLoaded;
        Image::Digest digest;
        QString mediaType;
        bool isIndex = false;
        std::optional<qint64> size;
        QDateTime created;
        QStringList platforms;
        QString error;
    };

    void requestDetails(int row) const;
    void pump();
    void loadDetails(int row);
    void finishDetails(int row, const QString &tag, const std::optional<Error> &error);
    void rowChanged(int row);
    void setState(State state);

    Registry::Client *m_client = nullptr;
    Image::Reference m_repository;
    QList<Row> m_rows;
    State m_state = State::Empty;
    QPointer<Registry::Task> m_listing;
    QObject *m_requests = nullptr; ///< context of detail requests: deleting it aborts them all
    mutable QList<int> m_queue;    ///< rows whose details a view asked for
    mutable bool m_pumpScheduled = false;
    int m_running = 0;
};

} // namespace Restack::Ui
