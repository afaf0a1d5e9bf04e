// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/blobsync.h"

#include "registry/client.h"

namespace Restack::Registry
{

namespace
{
constexpr int MaxConcurrentChecks = 8;
constexpr int MaxConcurrentTransfers = 4;
} // namespace

QString blobActionName(BlobAction action)
{
    switch (action) {
    case BlobAction::Present: return QStringLiteral("present");
    case BlobAction::Mount: return QStringLiteral("mount");
    case BlobAction::Copy: return QStringLiteral("copy");
    case BlobAction::Upload: return QStringLiteral("upload");
    case BlobAction::External: return QStringLiteral("external");
    }
    return {};
}

BlobSync::BlobSync(Client *client, Image::Reference target, QList<BlobItem> items, bool dryRun,
                   Callback<QList<BlobItem>> done, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_target(target.repositoryOnly())
    , m_items(std::move(items))
    , m_dryRun(dryRun)
{
}

void BlobSync::start()
{
    for (int i = 0; i < m_items.size(); ++i) {
        BlobItem &item = m_items[i];
        if (item.blob.isForeign()) {
            item.action = BlobAction::External;
            item.done = true;
            ++m_done;
        } else if (!item.data.isEmpty()) {
            item.action = BlobAction::Upload;
            if (m_dryRun)
                ++m_done;
            else
                m_transfers << i; // uploads go at once, while the rest is checked
        } else if (item.knownPresent) {
            item.action = BlobAction::Present;
            item.done = true;
            ++m_done;
        } else if (!m_dryRun && item.from.isValid() && item.from != m_target && item.from.registry() == m_target.registry()) {
            // Same registry: a mount is one request whether or not the target has the blob, where
            // a HEAD would be one more before it. A refused mount asks the target before copying.
            item.action = BlobAction::Mount;
            m_transfers << i;
        } else {
            m_checks << i;
        }
    }
    report();
    pump();
}

void BlobSync::abort()
{
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void BlobSync::fail(const Error &error)
{
    if (isFinished())
        return;
    const auto running = std::exchange(m_running, {});
    complete(error);
    for (const QPointer<Task> &task : running) {
        if (task)
            task->abort();
    }
}

void BlobSync::report()
{
    if (!m_progress)
        return;
    qint64 bytes = 0;
    for (qint64 b : std::as_const(m_bytes))
        bytes += b;
    m_progress(m_done, int(m_items.size()), bytes);
}

void BlobSync::pump()
{
    if (isFinished())
        return;
    while (m_runningChecks < MaxConcurrentChecks && !m_checks.isEmpty())
        check(m_checks.takeFirst());
    while (!m_dryRun && m_runningTransfers < MaxConcurrentTransfers && !m_transfers.isEmpty())
        transfer(m_transfers.takeFirst());
    if (!isFinished() && m_runningChecks == 0 && m_runningTransfers == 0 && m_checks.isEmpty() && m_transfers.isEmpty())
        complete(m_items);
}

void BlobSync::check(int index)
{
    ++m_runningChecks;
    m_running.removeIf([](const QPointer<Task> &t) { return t.isNull(); });
    m_running << m_client->blobExists(m_target, m_items.at(index).blob.digest, this, [this, index](Result<std::optional<qint64>> r) {
        --m_runningChecks;
        if (!r.ok())
            return fail(r.error());
        BlobItem &item = m_items[index];
        if (r.value().has_value()) {
            const qint64 size = *r.value();
            if (size >= 0 && size != item.blob.size)
                return fail(Error::make(Error::Kind::InvalidContent,
                                        QStringLiteral("blob %1 in %2 is %3 bytes, but its descriptor says %4")
                                            .arg(item.blob.digest.toString(), m_target.name())
                                            .arg(size)
                                            .arg(item.blob.size),
                                        QStringLiteral("the image's manifest is inconsistent; push it again"))
                                .at(m_target.registry(), m_target.repository(), item.blob.digest.toString()));
            item.action = BlobAction::Present;
            itemDone(index);
        } else if (item.from == m_target || !item.from.isValid()) {
            return fail(Error::make(Error::Kind::NotFound,
                                    QStringLiteral("the repository %1 lacks blob %2 and Restack knows no repository to take "
                                                   "it from")
                                        .arg(m_target.name(), item.blob.digest.toString()))
                            .at(m_target.registry(), m_target.repository(), item.blob.digest.toString()));
        } else {
            item.action = item.from.registry() == m_target.registry() ? BlobAction::Mount : BlobAction::Copy;
            m_headedMissing.insert(index);
            if (m_dryRun) {
                ++m_done;
                report();
            } else {
                m_transfers << index;
            }
        }
        pump();
    });
}

void BlobSync::transfer(int index)
{
    ++m_runningTransfers;
    const BlobItem &item = m_items.at(index);
    m_running.removeIf([](const QPointer<Task> &t) { return t.isNull(); });
    if (item.action == BlobAction::Upload) {
        m_running << m_client->uploadBlob(m_target, item.data, this, [this, index](Result<Image::Digest> r) {
            --m_runningTransfers;
            if (!r.ok())
                return fail(r.error());
            if (r.value() != m_items.at(index).blob.digest)
                return fail(Error::make(Error::Kind::Internal,
                                        QStringLiteral("uploaded %1, but its descriptor says %2")
                                            .arg(r.value().toString(), m_items.at(index).blob.digest.toString())));
            itemDone(index);
            pump();
        });
        return;
    }
    // Transfers not preceded by a HEAD (same-registry mounts) leave the target's state to the
    // transfer to find out.
    const TargetState state = m_headedMissing.contains(index) ? TargetState::Absent : TargetState::Unknown;
    m_running << m_client->transferBlob(
        item.from, m_target, item.blob, this,
        [this, index](Result<BlobTransfer> r) {
            --m_runningTransfers;
            if (!r.ok())
                return fail(r.error());
            // A mount may have fallen back to a copy: record what really happened.
            switch (r.value()) {
            case BlobTransfer::Mounted: m_items[index].action = BlobAction::Mount; break;
            case BlobTransfer::Copied: m_items[index].action = BlobAction::Copy; break;
            case BlobTransfer::AlreadyPresent: m_items[index].action = BlobAction::Present; break;
            }
            itemDone(index);
            pump();
        },
        [this, index](qint64 bytes) {
            m_bytes[index] = bytes;
            report();
        },
        state);
}

void BlobSync::itemDone(int index)
{
    m_items[index].done = true;
    ++m_done;
    report();
}

} // namespace Restack::Registry
