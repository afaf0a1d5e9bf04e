// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

#include "common/result.h"
#include "image/reference.h"
#include "rebase/plan.h"
#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Rebase
{

/** What the user asked for: rebase SOURCE from OLD_BASE onto NEW_BASE and push it as TARGET. */
struct RebaseRequest
{
    Image::Reference source;
    Image::Reference newBase;
    std::optional<Image::Reference> oldBase; ///< unset: taken from the source's base annotations
    Image::Reference target;                 ///< must name a tag
    bool dryRun = false;                     ///< plan and check only; write nothing
};

/** How one blob of the result gets into the target repository. */
enum class BlobAction {
    Present,  ///< the target repository has it already (HEAD 200)
    Mount,    ///< cross-repository mount from a repository of the same registry
    Copy,     ///< streamed from another registry (or a mount that fell back to a copy)
    Upload,   ///< the new config, uploaded from memory
    External, ///< a foreign / non-distributable layer: lives at its urls, never touched
};

QString blobActionName(BlobAction action); ///< "present", "mount", "copy", "upload", "external"

struct BlobStep
{
    Image::Descriptor blob;
    bool isConfig = false;
    Origin origin = Origin::App;       ///< for layers
    BlobAction action = BlobAction::Present;
    Image::Reference from;             ///< repository it is mounted or copied from
    bool done = false;
};

/** The outcome of a rebase (or of a dry run, with nothing written). */
struct RebaseOutcome
{
    Plan plan;
    Image::Reference target;
    QList<BlobStep> steps;
    bool dryRun = false;
    Image::Digest digest; ///< the manifest digest pushed (or, in a dry run, that would be pushed)
};

/** Where a running rebase is. */
struct Progress
{
    enum class Phase { Resolving, Checking, Transferring, Pushing, Done };
    Phase phase = Phase::Resolving;
    QString message;      ///< one line for the user
    int stepsDone = 0;    ///< blob steps finished (of stepsTotal)
    int stepsTotal = 0;
    qint64 bytesDone = 0; ///< layer bytes copied so far
};

/**
 * Executes a rebase: resolves the source, the old base (given, or from the source's
 * org.opencontainers.image.base.name/.digest annotations) and the new base for the source's
 * platform, all three concurrently; plans it (planRebase); checks each layer of the result in the
 * target repository (HEAD; the source's own layers are known to be there when the target is the
 * source's repository) while the new config uploads; mounts or copies the missing layers (foreign
 * layers are never touched) and PUTs the manifest last, so that when anything fails the target
 * tag is untouched. A same-registry rebase downloads no layer blob. cancel() stops it with a
 * Cancelled error.
 */
class RebaseOperation final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RebaseOperation)

public:
    RebaseOperation(Registry::Client *client, RebaseRequest request, QObject *parent = nullptr);
    ~RebaseOperation() override;

    void start();
    void cancel();

    const RebaseRequest &request() const { return m_request; }
    const Progress &progress() const { return m_progress; }
    /** Valid after finished(). */
    const Result<RebaseOutcome> &result() const { return m_result; }

Q_SIGNALS:
    void progressChanged();
    /** The plan is ready (before anything is written). */
    void planned(const Restack::Rebase::Plan &plan);
    void finished();

private:
    void resolveOldBase(const Image::Reference &ref);
    void onImageResolved();
    void scheduleBlobs();
    void pump();
    void startCheck(int index);
    void startTransfer(int index);
    void stepDone(int index);
    void pushManifest();
    void fail(Error error);
    void succeed();
    void setPhase(Progress::Phase phase, const QString &message);
    void track(Registry::Task *task);

    Registry::Client *m_client;
    RebaseRequest m_request;
    Progress m_progress;
    Result<RebaseOutcome> m_result = Error::make(Error::Kind::Internal, QStringLiteral("rebase not finished"));
    RebaseOutcome m_outcome;
    std::optional<ImageData> m_source;
    std::optional<ImageData> m_oldBase;
    std::optional<ImageData> m_newBase;
    QPointer<ImageResolver> m_oldResolver;
    QPointer<ImageResolver> m_newResolver;
    QList<QPointer<Registry::Task>> m_tasks;
    QList<int> m_checkQueue;
    QList<int> m_transferQueue;
    int m_runningChecks = 0;
    int m_runningTransfers = 0;
    bool m_pushing = false;
    QHash<int, qint64> m_stepBytes;
    bool m_finished = false;
};

} // namespace Restack::Rebase
