// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>

#include <functional>

#include "image/descriptor.h"
#include "image/reference.h"
#include "registry/task.h"

namespace Restack::Registry
{

class Client;

/** How one blob gets into a target repository. */
enum class BlobAction {
    Present,  ///< the target repository has it already (HEAD 200, or known)
    Mount,    ///< cross-repository mount from a repository of the same registry
    Copy,     ///< streamed from another registry (or a mount that fell back to a copy)
    Upload,   ///< bytes held in memory (a new config), uploaded
    External, ///< a foreign / non-distributable layer: lives at its urls, never touched
};

QString blobActionName(BlobAction action); ///< "present", "mount", "copy", "upload", "external"

/** One blob that must be present in the target repository. */
struct BlobItem
{
    Image::Descriptor blob;
    Image::Reference from;  ///< a repository holding it (mount or copy source); unused for uploads
    QByteArray data;        ///< when not empty: upload these bytes instead of taking the blob from `from`
    bool knownPresent = false; ///< the target holds it for sure (e.g. layers of its own images): no HEAD
    BlobAction action = BlobAction::Present; ///< out: what was (or, in a dry run, would be) done
    bool done = false;      ///< out: it is in place
};

/**
 * Makes a list of blobs present in a target repository (OCI distribution spec: HEAD blob, mount,
 * upload): foreign layers are left alone; uploads start at once; a blob held by another repository
 * of the same registry is mounted at once (a mount is one request whether the target has the blob
 * or not; a refused mount is followed by a HEAD, then a copy); every other blob is checked with
 * HEAD (up to 8 at a time) and, when missing, copied (streamed) from another registry (up to 4
 * transfers at a time). A dry run writes nothing: it checks every blob with HEAD and reports
 * what it would do. Completes with the items and their actions, or the first error (the others
 * are aborted).
 */
class BlobSync final : public CompositeTask<QList<BlobItem>>
{
public:
    BlobSync(Client *client, Image::Reference target, QList<BlobItem> items, bool dryRun,
             Callback<QList<BlobItem>> done, QObject *parent);
    /** Progress: items in place (or decided, in a dry run) of all items, and bytes copied so far. */
    void setProgress(std::function<void(int done, int total, qint64 bytesCopied)> progress)
    {
        m_progress = std::move(progress);
    }
    void start();
    void abort() override;

private:
    void pump();
    void check(int index);
    void transfer(int index);
    void itemDone(int index);
    void fail(const Error &error);
    void report();

    Client *m_client;
    Image::Reference m_target;
    QList<BlobItem> m_items;
    bool m_dryRun;
    std::function<void(int, int, qint64)> m_progress;
    QList<int> m_checks;
    QList<int> m_transfers;
    QSet<int> m_headedMissing; ///< items a HEAD found missing from the target
    int m_runningChecks = 0;
    int m_runningTransfers = 0;
    int m_done = 0;
    QHash<int, qint64> m_bytes;
    QList<QPointer<Task>> m_running;
};

} // namespace Restack::Registry
