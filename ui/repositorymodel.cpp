// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "repositorymodel.h"

#include "registry/client.h"

namespace Restack::Ui
{

RepositoryModel::RepositoryModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

RepositoryModel::~RepositoryModel() = default;

int RepositoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_exposed;
}

QVariant RepositoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole)
        return m_names.at(index.row());
    return {};
}

bool RepositoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_inserting && m_exposed < m_names.size();
}

void RepositoryModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid())
        return;
    exposeUpTo(m_exposed + FetchBatch);
}

void RepositoryModel::fetchAll()
{
    exposeUpTo(m_names.size());
}

void RepositoryModel::exposeUpTo(qsizetype count)
{
    // Views (and QAbstractItemModelTester) may call fetchMore() from rowsAboutToBeInserted: never nest.
    const int target = int(qMin(count, m_names.size()));
    if (m_inserting || target <= m_exposed)
        return;
    m_inserting = true;
    beginInsertRows({}, m_exposed, target - 1);
    m_exposed = target;
    endInsertRows();
    m_inserting = false;
}

int RepositoryModel::rowOf(const QString &repository)
{
    const qsizetype at = m_names.indexOf(repository);
    if (at < 0)
        return -1;
    exposeUpTo(at + 1);
    return int(at);
}

void RepositoryModel::clear()
{
    reset();
    setState(State::Empty);
}

void RepositoryModel::reset()
{
    if (m_task)
        m_task->abort();
    m_task = nullptr;
    beginResetModel();
    m_names.clear();
    m_exposed = 0;
    m_registry.clear();
    m_error.reset();
    endResetModel();
}

void RepositoryModel::addRepositories(const QStringList &names)
{
    if (names.isEmpty())
        return;
    m_names += names;
    // The first batch is shown at once; views ask for the rest as the user scrolls.
    if (m_exposed < FetchBatch)
        exposeUpTo(FetchBatch);
    Q_EMIT progressed(m_names.size());
}

void RepositoryModel::load(Registry::Client *client, const QString &registry)
{
    reset(); // no Empty state in between: views keep showing that it loads
    m_registry = registry;
    setState(State::Loading);
    m_task = client->listCatalog(
        registry, this,
        [this](Result<QStringList> result) {
            m_task = nullptr;
            if (result.ok()) {
                // Pages were appended as they arrived; a registry that sent no Link pages at all
                // still delivers its names here.
                if (m_names.isEmpty())
                    addRepositories(result.value());
                return setState(State::Loaded);
            }
            const Error &error = result.error();
            m_error = error;
            if (error.kind == Error::Kind::Cancelled)
                return;
            const bool unavailable = error.kind == Error::Kind::Unauthorized || error.kind == Error::Kind::NotFound
                || error.httpStatus == 405 || error.registryCode == QLatin1String("UNSUPPORTED");
            setState(unavailable ? State::Unavailable : State::Failed);
            if (unavailable)
                Q_EMIT catalogUnavailable(error);
            else
                Q_EMIT failed(error);
        },
        [this](const QStringList &page) { addRepositories(page); });
}

void RepositoryModel::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Restack::Ui
