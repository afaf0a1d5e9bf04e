// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>

#include "common/error.h"

namespace Restack::Registry
{
class Client;
class Task;
} // namespace Restack::Registry

namespace Restack::Ui
{

/**
 * The repositories of one registry, from GET /v2/_catalog (all pages, in the registry's order).
 *
 * Loading is incremental on two levels, so that a registry of 10,000 repositories stays
 * responsive: each page is appended as it arrives (Client::listCatalog's page callback), and the
 * rows received are handed to views in batches of FetchBatch through canFetchMore()/fetchMore(),
 * so that a view lays out only what the user scrolls to. fetchAll() hands over everything received
 * (a filter must see all names).
 *
 * Where the registry offers no catalog (401, 403, 404, 405 or the UNSUPPORTED error code),
 * catalogUnavailable() is emitted: the user types a repository name instead.
 */
class RepositoryModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RepositoryModel)

public:
    /** Rows handed to a view per fetchMore(). */
    static constexpr int FetchBatch = 500;

    enum class State { Empty, Loading, Loaded, Failed, Unavailable };
    Q_ENUM(State)

    explicit RepositoryModel(QObject *parent = nullptr);
    ~RepositoryModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /** Clears the model and lists the catalog of @p registry with @p client (aborting a listing in flight). */
    void load(Registry::Client *client, const QString &registry);
    /** Aborts a listing in flight and empties the model. */
    void clear();
    /** Appends names received from a registry (the page callback; public for tests and typed names). */
    void addRepositories(const QStringList &names);
    /** Hands every name received so far to the views. */
    void fetchAll();

    QString registry() const { return m_registry; }
    State state() const { return m_state; }
    /** Names received so far, including those not yet handed to views. */
    qsizetype receivedCount() const { return m_names.size(); }
    /** The row of @p repository, handing over rows up to it when needed; -1 when not received. */
    int rowOf(const QString &repository);
    /** The error of a Failed or Unavailable listing. */
    std::optional<Error> error() const { return m_error; }

Q_SIGNALS:
    void stateChanged(Restack::Ui::RepositoryModel::State state);
    /** More names arrived (@p received in total so far). */
    void progressed(qsizetype received);
    /** The listing failed with @p error (a connection or server problem). */
    void failed(const Restack::Error &error);
    /** The registry does not let us list its repositories: the user must type one. */
    void catalogUnavailable(const Restack::Error &error);

private:
    void setState(State state);
    /** Aborts the listing in flight and removes every row, leaving the state as it is. */
    void reset();
    void exposeUpTo(qsizetype count);

    QString m_registry;
    QStringList m_names; ///< everything received
    int m_exposed = 0;   ///< rows visible to views: the first m_exposed names
    bool m_inserting = false;
    State m_state = State::Empty;
    std::optional<Error> m_error;
    QPointer<Registry::Task> m_task;
};

} // namespace Restack::Ui
