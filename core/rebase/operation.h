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
#include "rebase/basefinder.h"
#include "rebase/plan.h"
#include "rebase/resolver.h"
#include "registry/blobsync.h"
#include "registry/client.h"

namespace Restack::Rebase
{

/** What the user asked for: rebase SOURCE from OLD_BASE onto NEW_BASE and push it as TARGET. */
struct RebaseRequest
{
    Image::Reference source;                 ///< an image, or an index (every platform is rebased)
    Image::Reference newBase;
    /**
     * Unset: taken from the source's base annotations; without them, looked for in the new base's
     * repository (a tag named like the source's os.version, then a bounded search by diff_ids).
     */
    std::optional<Image::Reference> oldBase;
    Image::Reference target;                 ///< must name a tag
    bool dryRun = false;                     ///< plan and check only; write nothing
    QList<Image::Platform> platforms;        ///< index sources: rebase only these (empty: all)
    /** Allow a single-platform result to replace a multi-platform index at the target tag. */
    bool replaceIndex = false;
    int searchLimit = 100;                   ///< tags examined when searching for the old base
    /**
     * The caller knows the target tag does not exist (a tag list read just before, as a batch
     * does): the target's HEAD is skipped. False: the target is asked (HEAD) before anything is
     * written.
     */
    bool targetAbsent = false;
};

using BlobAction = Registry::BlobAction;
using Registry::blobActionName;

/** One blob of a platform's result and how it gets into the target repository. */
struct BlobStep
{
    Image::Descriptor blob;
    bool isConfig = false;
    Origin origin = Origin::App;       ///< for layers
    BlobAction action = BlobAction::Present;
    Image::Reference from;             ///< repository it is mounted or copied from
    bool done = false;
};

/** How the old base of a platform was determined. */
enum class OldBaseSource { Given, Annotations, OsVersionTag, Search };
QString oldBaseSourceName(OldBaseSource source); ///< "given", "annotations", "os.version tag", "search"

/** The rebase of one platform image. */
struct PlatformResult
{
    Plan plan;
    QList<BlobStep> steps;              ///< how each blob of the result gets to the target repository
    Image::Digest digest;               ///< the result's manifest digest
    OldBaseSource oldBaseSource = OldBaseSource::Given;
};

/** The outcome of a rebase (or of a dry run, with nothing written). */
struct RebaseOutcome
{
    Image::Reference target;
    bool dryRun = false;
    QList<PlatformResult> platforms;    ///< one for an image source; one per rebased platform of an index
    bool isIndex = false;               ///< the source was an index: the target gets a new index
    QByteArray index;                   ///< the index bytes pushed (index sources)
    QString indexMediaType;
    Image::Digest digest;               ///< what the target tag points to (or, in a dry run, would)
    QStringList notes;                  ///< e.g. attestation manifests dropped from the index
    std::optional<Image::Descriptor> previousTarget; ///< what the target tag held before, if it existed

    /** The plan of the image (the first platform of an index). */
    const Plan &plan() const { return platforms.first().plan; }
    /** The blob steps of the image (the first platform of an index). */
    const QList<BlobStep> &steps() const { return platforms.first().steps; }
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
    /**
     * Stops the rebase: it finishes with a Cancelled error and the target tag unchanged. Once the
     * manifest that the target tag will name is being sent, that PUT cannot be taken back: it is
     * let finish and reported as it ends (for an index, the platform manifests may finish but the
     * index, which is what the tag names, is then not pushed).
     */
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
    /** One platform image to rebase: the whole source, or one child of a source index. */
    struct Unit
    {
        Image::Reference sourceRef;              ///< the source image (pinned to the child for an index)
        std::optional<Image::Descriptor> child;  ///< the source index's descriptor of this image
        std::optional<ImageData> source;
        std::optional<ImageData> oldBase;
        std::optional<ImageData> newBase;
        QPointer<ImageResolver> oldResolver;
        QPointer<ImageResolver> newResolver;
        std::optional<Image::Reference> oldRef;  ///< the old base, once known
        bool searching = false;
        PlatformResult result;
        bool planned = false;
    };
    void onSourceManifest(const Image::Manifest &manifest);
    void addUnit(const Image::Reference &sourceRef, const std::optional<Image::Descriptor> &child,
                 const std::optional<Image::Manifest> &manifest);
    void onUnitSourceManifest(int unit, const Image::Manifest &manifest);
    void onUnitSource(int unit, const ImageData &source);
    void startBaseResolvers(int unit);
    bool checkNewBasePlatforms(const QList<Image::Descriptor> &children);
    void searchOldBase(int unit);
    void setOldBase(int unit, const Image::Reference &ref, OldBaseSource how);
    void planUnit(int unit);
    void syncBlobs();
    void push();
    void pushIndex();
    Result<QByteArray> buildIndex() const;
    void fail(Error error);
    void succeed();
    void setPhase(Progress::Phase phase, const QString &message);
    void track(Registry::Task *task);

    Registry::Client *m_client;
    RebaseRequest m_request;
    Progress m_progress;
    Result<RebaseOutcome> m_result = Error::make(Error::Kind::Internal, QStringLiteral("rebase not finished"));
    RebaseOutcome m_outcome;
    std::optional<Image::Manifest> m_sourceIndex;
    std::optional<Image::Manifest> m_newBaseManifest; ///< fetched once, shared by the units
    std::optional<Image::Manifest> m_oldBaseManifest; ///< the given old base, fetched once
    bool m_targetChecked = false;
    QList<Unit> m_units;
    QList<QPointer<Registry::Task>> m_tasks;
    bool m_syncing = false;
    bool m_pushing = false;
    /** The PUT of what the target tag names, once sent: on cancel it ends without retrying. */
    QPointer<Registry::Task> m_tagPut;
    bool m_cancelRequested = false;
    /** The tag PUT's result: a failure after a cancel says the tag may have been changed. */
    void onTagPut(const Result<Image::Digest> &result);
    bool m_finished = false;
};

} // namespace Restack::Rebase
