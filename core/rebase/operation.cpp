// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/operation.h"

#include <QLoggingCategory>
#include <QSet>

#include "registry/scopes.h"

Q_LOGGING_CATEGORY(lcRebase, "restack.rebase", QtWarningMsg)

namespace Restack::Rebase
{

using Image::Digest;
using Image::Reference;
namespace Scopes = Registry::Scopes;

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

RebaseOperation::RebaseOperation(Registry::Client *client, RebaseRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{
}

RebaseOperation::~RebaseOperation() = default;

void RebaseOperation::track(Registry::Task *task)
{
    m_tasks.removeIf([](const QPointer<Registry::Task> &t) { return t.isNull(); });
    m_tasks << task;
}

void RebaseOperation::setPhase(Progress::Phase phase, const QString &message)
{
    m_progress.phase = phase;
    m_progress.message = message;
    Q_EMIT progressChanged();
}

void RebaseOperation::start()
{
    const Reference &target = m_request.target;
    if (target.tag().isEmpty() || target.hasDigest())
        return fail(Error::make(Error::Kind::InvalidInput,
                                QStringLiteral("the target %1 must name a tag and no digest").arg(target.toString()),
                                QStringLiteral("pass -t REGISTRY/REPOSITORY:TAG")));

    // Declare every scope up front so that one token per registry covers the whole operation (a
    // mount needs push on the target and pull on the source repository in the same token).
    m_client->addScopes(m_request.source.registry(), {Scopes::pull(m_request.source.repository())});
    m_client->addScopes(m_request.newBase.registry(), {Scopes::pull(m_request.newBase.repository())});
    if (m_request.oldBase)
        m_client->addScopes(m_request.oldBase->registry(), {Scopes::pull(m_request.oldBase->repository())});
    m_client->addScopes(target.registry(), {m_request.dryRun ? Scopes::pull(target.repository())
                                                             : Scopes::pullPush(target.repository())});

    m_outcome.target = target;
    m_outcome.dryRun = m_request.dryRun;
    setPhase(Progress::Phase::Resolving, QStringLiteral("reading %1 and its bases").arg(m_request.source.toString()));

    // All three images are fetched at once; a base that is an index waits for the source's platform.
    auto *source = new ImageResolver(m_client, m_request.source, [this](Result<ImageData> image) {
        if (!image.ok())
            return fail(Error(image.error()).prefixed(QStringLiteral("source")));
        m_source = image.value();
        const Image::Platform platform = m_source->config.platform();
        if (m_newResolver)
            m_newResolver->setPlatform(platform);
        if (m_oldResolver)
            m_oldResolver->setPlatform(platform);
        onImageResolved();
    }, this);
    source->setSinglePlatform();
    source->setManifestHook([this](const Image::Manifest &manifest) {
        if (m_request.oldBase || m_oldResolver || m_finished)
            return;
        // The old base is named by the source's annotations: start on it before the config arrives.
        const QJsonObject annotations = manifest.annotations();
        const QString name = annotations.value(BaseNameAnnotation).toString();
        const QString digest = annotations.value(BaseDigestAnnotation).toString();
        if (name.isEmpty() || digest.isEmpty())
            return fail(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("the source %1 does not say which base it was built on (no %2 and %3 "
                                                   "annotations)")
                                        .arg(m_request.source.toString(), BaseNameAnnotation, BaseDigestAnnotation),
                                    QStringLiteral("pass --old-base IMAGE: the image its Dockerfile starts FROM")));
        auto ref = Reference::parse(name);
        auto pinned = Digest::parse(digest);
        if (!ref || !pinned)
            return fail(Error::make(Error::Kind::InvalidContent,
                                    QStringLiteral("the source's base annotations are invalid (%1 = \"%2\", %3 = \"%4\")")
                                        .arg(BaseNameAnnotation, name, BaseDigestAnnotation, digest),
                                    QStringLiteral("pass --old-base IMAGE")));
        qCDebug(lcRebase).noquote() << "old base from annotations:" << ref->withDigest(pinned.value()).toString();
        resolveOldBase(ref->withDigest(pinned.value()));
    });
    track(source);

    m_newResolver = new ImageResolver(m_client, m_request.newBase, [this](Result<ImageData> image) {
        if (!image.ok())
            return fail(Error(image.error()).prefixed(QStringLiteral("new base")));
        m_newBase = image.value();
        onImageResolved();
    }, this);
    track(m_newResolver);
    if (m_request.oldBase)
        resolveOldBase(*m_request.oldBase);
    source->start();
    if (!m_finished)
        m_newResolver->start();
}

void RebaseOperation::resolveOldBase(const Reference &ref)
{
    m_client->addScopes(ref.registry(), {Scopes::pull(ref.repository())});
    m_oldResolver = new ImageResolver(m_client, ref, [this](Result<ImageData> image) {
        if (!image.ok())
            return fail(Error(image.error()).prefixed(QStringLiteral("old base")));
        m_oldBase = image.value();
        onImageResolved();
    }, this);
    track(m_oldResolver);
    if (m_source)
        m_oldResolver->setPlatform(m_source->config.platform());
    m_oldResolver->start();
}

void RebaseOperation::onImageResolved()
{
    if (m_finished || !m_source || !m_oldBase || !m_newBase)
        return;
    auto plan = planRebase(*m_source, *m_oldBase, *m_newBase);
    if (!plan.ok())
        return fail(plan.error());
    m_outcome.plan = plan.value();
    m_outcome.digest = m_outcome.plan.manifestDigest;
    Q_EMIT planned(m_outcome.plan);
    scheduleBlobs();
}

void RebaseOperation::scheduleBlobs()
{
    const Plan &plan = m_outcome.plan;
    const Reference target = m_request.target.repositoryOnly();
    const Reference sourceRepository = plan.source.reference.repositoryOnly();
    // A registry keeps the blobs of every manifest it holds: the source's own layers are present in
    // its repository without asking.
    const bool targetIsSourceRepository = sourceRepository == target;
    QSet<Digest> seen;
    for (const StackLayer &layer : plan.newStack) {
        if (seen.contains(layer.descriptor.digest))
            continue;
        seen.insert(layer.descriptor.digest);
        BlobStep step;
        step.blob = layer.descriptor;
        step.origin = layer.origin;
        step.from = layer.origin == Origin::NewBase ? plan.newBase.reference.repositoryOnly() : sourceRepository;
        if (layer.descriptor.isForeign()) {
            step.action = BlobAction::External;
            step.done = true;
        } else if (layer.origin == Origin::App && targetIsSourceRepository) {
            step.action = BlobAction::Present;
            step.done = true;
        }
        m_outcome.steps << step;
    }
    BlobStep config;
    config.blob = plan.configDescriptor;
    config.isConfig = true;
    config.action = BlobAction::Upload;
    m_outcome.steps << config;

    m_progress.stepsTotal = int(m_outcome.steps.size());
    m_progress.stepsDone = 0;
    for (int i = 0; i < m_outcome.steps.size(); ++i) {
        const BlobStep &step = m_outcome.steps.at(i);
        if (step.done)
            ++m_progress.stepsDone;
        else if (step.isConfig && !m_request.dryRun)
            m_transferQueue << i; // the config uploads while the layers are checked
        else if (!step.isConfig)
            m_checkQueue << i;
    }
    setPhase(m_request.dryRun ? Progress::Phase::Checking : Progress::Phase::Transferring,
             QStringLiteral("checking %1 in %2")
                 .arg(m_checkQueue.size() == 1 ? QStringLiteral("1 layer") : QStringLiteral("%1 layers").arg(m_checkQueue.size()),
                      target.name()));
    pump();
}

void RebaseOperation::pump()
{
    if (m_finished)
        return;
    while (m_runningChecks < MaxConcurrentChecks && !m_checkQueue.isEmpty())
        startCheck(m_checkQueue.takeFirst());
    while (!m_request.dryRun && m_runningTransfers < MaxConcurrentTransfers && !m_transferQueue.isEmpty())
        startTransfer(m_transferQueue.takeFirst());
    if (m_finished || m_runningChecks > 0 || m_runningTransfers > 0 || !m_checkQueue.isEmpty() || !m_transferQueue.isEmpty())
        return;
    if (m_request.dryRun)
        return succeed();
    pushManifest();
}

void RebaseOperation::startCheck(int index)
{
    const Reference target = m_request.target.repositoryOnly();
    ++m_runningChecks;
    track(m_client->blobExists(target, m_outcome.steps.at(index).blob.digest, this,
                               [this, index, target](Result<std::optional<qint64>> r) {
        --m_runningChecks;
        if (!r.ok())
            return fail(r.error());
        BlobStep &step = m_outcome.steps[index];
        if (r.value().has_value()) {
            step.action = BlobAction::Present;
            stepDone(index);
        } else if (step.from == target) {
            return fail(Error::make(Error::Kind::NotFound,
                                    QStringLiteral("the repository %1 lacks layer %2 that its own image refers to")
                                        .arg(target.name(), step.blob.digest.toString()))
                            .at(target.registry(), target.repository(), step.blob.digest.toString()));
        } else {
            step.action = step.from.registry() == target.registry() ? BlobAction::Mount : BlobAction::Copy;
            if (m_request.dryRun)
                ++m_progress.stepsDone;
            else
                m_transferQueue << index;
        }
        pump();
    }));
}

void RebaseOperation::startTransfer(int index)
{
    const Reference target = m_request.target.repositoryOnly();
    const BlobStep &step = m_outcome.steps.at(index);
    ++m_runningTransfers;
    if (step.isConfig) {
        track(m_client->uploadBlob(target, m_outcome.plan.config, this, [this, index](Result<Digest> r) {
            --m_runningTransfers;
            if (!r.ok())
                return fail(Error(r.error()).prefixed(QStringLiteral("config upload")));
            if (r.value() != m_outcome.plan.configDescriptor.digest)
                return fail(Error::make(Error::Kind::Internal, QStringLiteral("uploaded config digest differs from plan")));
            stepDone(index);
            pump();
        }));
        return;
    }
    track(m_client->transferBlob(
        step.from, target, step.blob, this,
        [this, index](Result<Registry::BlobTransfer> r) {
            --m_runningTransfers;
            if (!r.ok())
                return fail(r.error());
            // A mount may have fallen back to a copy: record what really happened.
            m_outcome.steps[index].action = r.value() == Registry::BlobTransfer::Mounted ? BlobAction::Mount : BlobAction::Copy;
            stepDone(index);
            pump();
        },
        [this, index](qint64 bytes) {
            m_stepBytes[index] = bytes;
            qint64 total = 0;
            for (qint64 b : std::as_const(m_stepBytes))
                total += b;
            m_progress.bytesDone = total;
            Q_EMIT progressChanged();
        }));
}

void RebaseOperation::stepDone(int index)
{
    m_outcome.steps[index].done = true;
    ++m_progress.stepsDone;
    m_progress.message = QStringLiteral("%1 of %2 blobs in place").arg(m_progress.stepsDone).arg(m_progress.stepsTotal);
    Q_EMIT progressChanged();
}

void RebaseOperation::pushManifest()
{
    if (m_finished || m_pushing)
        return;
    m_pushing = true;
    setPhase(Progress::Phase::Pushing, QStringLiteral("pushing the manifest to %1").arg(m_request.target.toString()));
    const Plan &plan = m_outcome.plan;
    track(m_client->pushManifest(m_request.target, plan.manifest, plan.manifestMediaType, this, [this](Result<Digest> r) {
        if (!r.ok())
            return fail(r.error());
        m_outcome.digest = r.value();
        succeed();
    }));
}

void RebaseOperation::cancel()
{
    if (m_finished)
        return;
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("rebase cancelled; the target tag was not changed")));
}

void RebaseOperation::fail(Error error)
{
    if (m_finished)
        return;
    m_finished = true;
    const auto tasks = std::exchange(m_tasks, {});
    for (const QPointer<Registry::Task> &task : tasks) {
        if (task)
            task->abort();
    }
    m_result = std::move(error);
    m_progress.phase = Progress::Phase::Done;
    Q_EMIT finished();
}

void RebaseOperation::succeed()
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = m_outcome;
    m_progress.phase = Progress::Phase::Done;
    m_progress.message = m_request.dryRun ? QStringLiteral("dry run complete; nothing was written")
                                          : QStringLiteral("pushed %1@%2").arg(m_request.target.toString(), m_outcome.digest.toString());
    Q_EMIT progressChanged();
    Q_EMIT finished();
}

} // namespace Restack::Rebase
