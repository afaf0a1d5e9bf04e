// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/operation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>

#include "image/mediatypes.h"
#include "registry/registryerror.h"
#include "registry/scopes.h"

Q_LOGGING_CATEGORY(lcRebase, "restack.rebase", QtWarningMsg)

namespace Restack::Rebase
{

using Image::Descriptor;
using Image::Digest;
using Image::Manifest;
using Image::Platform;
using Image::Reference;
namespace Scopes = Registry::Scopes;

namespace
{

bool containsDigest(const QList<Descriptor> &list, const Digest &digest)
{
    return std::any_of(list.cbegin(), list.cend(), [&digest](const Descriptor &d) { return d.digest == digest; });
}

} // namespace

QString oldBaseSourceName(OldBaseSource source)
{
    switch (source) {
    case OldBaseSource::Given: return QStringLiteral("given");
    case OldBaseSource::Annotations: return QStringLiteral("annotations");
    case OldBaseSource::OsVersionTag: return QStringLiteral("os.version tag");
    case OldBaseSource::Search: return QStringLiteral("search");
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

// --- resolving ----------------------------------------------------------------------------------

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
    // The config upload is certain unless this is a dry run: open its session while the reads go
    // on, so that only its PUT is left once the plan is made (released by fail() and succeed()).
    if (!m_request.dryRun)
        m_client->prepareUpload(target, this);
    setPhase(Progress::Phase::Resolving, QStringLiteral("reading %1 and its bases").arg(m_request.source.toString()));

    // What the target tag holds now: an index must not be replaced by one platform's image by accident.
    if (m_request.targetAbsent) {
        m_targetChecked = true;
    } else {
        track(m_client->headManifest(target, this, [this](Result<std::optional<Descriptor>> head) {
            if (!head.ok())
                return fail(Error(head.error()).prefixed(QStringLiteral("target")));
            m_outcome.previousTarget = head.value();
            m_targetChecked = true;
            syncBlobs();
        }));
    }
    // The three images are fetched at once; each base's manifest is shared by all platforms.
    track(m_client->fetchManifest(m_request.newBase, this, [this](Result<Manifest> manifest) {
        if (!manifest.ok())
            return fail(Error(manifest.error()).prefixed(QStringLiteral("new base")));
        m_newBaseManifest = manifest.value();
        QList<Descriptor> children;
        for (const Unit &unit : std::as_const(m_units)) {
            if (unit.child)
                children << *unit.child;
        }
        if (!checkNewBasePlatforms(children))
            return;
        for (int u = 0; u < m_units.size(); ++u)
            startBaseResolvers(u);
    }));
    if (m_request.oldBase) {
        track(m_client->fetchManifest(*m_request.oldBase, this, [this](Result<Manifest> manifest) {
            if (!manifest.ok())
                return fail(Error(manifest.error()).prefixed(QStringLiteral("old base")));
            m_oldBaseManifest = manifest.value();
            for (int u = 0; u < m_units.size(); ++u)
                startBaseResolvers(u);
        }));
    }
    track(m_client->fetchManifest(m_request.source, this, [this](Result<Manifest> manifest) {
        if (!manifest.ok())
            return fail(Error(manifest.error()).prefixed(QStringLiteral("source")));
        onSourceManifest(manifest.value());
    }));
}

void RebaseOperation::onSourceManifest(const Manifest &manifest)
{
    if (m_finished)
        return;
    if (!manifest.isIndex()) {
        if (!m_request.platforms.isEmpty()) {
            const Platform &wanted = m_request.platforms.first();
            if (m_request.platforms.size() > 1)
                return fail(Error::make(Error::Kind::InvalidInput,
                                        QStringLiteral("the source %1 is a single-platform image; --platform names %2 "
                                                       "platforms")
                                            .arg(m_request.source.toString())
                                            .arg(m_request.platforms.size())));
            Q_UNUSED(wanted) // checked against the config once it arrives (planning compares platforms)
        }
        addUnit(m_request.source, std::nullopt, manifest);
        return;
    }

    m_sourceIndex = manifest;
    m_outcome.isIndex = true;
    QList<Descriptor> runnable;
    int attestations = 0;
    for (const Descriptor &d : manifest.manifests()) {
        if (isAttestation(d))
            ++attestations;
        else
            runnable << d;
    }
    if (attestations > 0)
        m_outcome.notes << QStringLiteral("%1 attestation manifest%2 of the source (provenance, SBOM) dropped from the "
                                          "result: %3 the old image")
                               .arg(attestations)
                               .arg(attestations == 1 ? QString() : QStringLiteral("s"))
                               .arg(attestations == 1 ? QStringLiteral("it describes") : QStringLiteral("they describe"));
    QList<Platform> available;
    for (const Descriptor &d : std::as_const(runnable)) {
        if (d.platform)
            available << *d.platform;
    }
    QList<Descriptor> selected;
    if (m_request.platforms.isEmpty()) {
        selected = runnable;
    } else {
        QList<Platform> missing;
        for (const Platform &wanted : std::as_const(m_request.platforms)) {
            auto it = std::find_if(runnable.cbegin(), runnable.cend(), [&wanted](const Descriptor &d) {
                return d.platform && d.platform->matches(wanted);
            });
            if (it == runnable.cend())
                missing << wanted;
            else if (!containsDigest(selected, it->digest))
                selected << *it;
        }
        if (!missing.isEmpty())
            return fail(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("the source %1 has no image for %2; it has: %3")
                                        .arg(m_request.source.toString(), Platform::joined(missing), Platform::joined(available))));
        QList<Platform> left;
        for (const Descriptor &d : std::as_const(runnable)) {
            if (!containsDigest(selected, d.digest) && d.platform)
                left << *d.platform;
        }
        if (!left.isEmpty())
            m_outcome.notes << QStringLiteral("platforms left out of the result as asked (--platform): %1").arg(Platform::joined(left));
    }
    if (selected.isEmpty())
        return fail(Error::make(Error::Kind::InvalidContent,
                                QStringLiteral("the source index %1 has no runnable image").arg(m_request.source.toString())));
    for (const Descriptor &d : std::as_const(selected)) {
        if (!Image::MediaType::isImageManifest(d.mediaType))
            return fail(Error::make(Error::Kind::Unsupported,
                                    QStringLiteral("the source index %1 lists a %2 for %3: nested indexes are not supported")
                                        .arg(m_request.source.toString(), d.mediaType,
                                             d.platform ? d.platform->toString() : QStringLiteral("?"))));
    }
    if (!checkNewBasePlatforms(selected))
        return;
    for (const Descriptor &d : std::as_const(selected))
        addUnit(m_request.source.withDigest(d.digest), d, std::nullopt);
}

bool RebaseOperation::checkNewBasePlatforms(const QList<Descriptor> &children)
{
    // Every platform of an index source needs its new base: name all that are missing at once.
    if (!m_sourceIndex || !m_newBaseManifest || !m_newBaseManifest->isIndex())
        return true;
    QList<Platform> offered;
    for (const Descriptor &d : m_newBaseManifest->manifests()) {
        if (d.platform && !isAttestation(d))
            offered << *d.platform;
    }
    QList<Platform> missing;
    for (const Descriptor &child : children) {
        if (!child.platform)
            continue;
        const bool found = std::any_of(offered.cbegin(), offered.cend(), [&child](const Platform &p) {
            return p.matches(*child.platform);
        });
        if (!found)
            missing << *child.platform;
    }
    if (missing.isEmpty())
        return true;
    fail(Error::make(Error::Kind::PlatformMismatch,
                     QStringLiteral("the new base %1 has no image for %2 of the source's platforms (%3); it has: %4")
                         .arg(m_request.newBase.toString())
                         .arg(missing.size())
                         .arg(Platform::joined(missing), Platform::joined(offered)),
                     QStringLiteral("choose the platforms to rebase with --platform, or another new base")));
    return false;
}

void RebaseOperation::addUnit(const Reference &sourceRef, const std::optional<Descriptor> &child,
                              const std::optional<Manifest> &manifest)
{
    const int index = int(m_units.size());
    Unit unit;
    unit.sourceRef = sourceRef;
    unit.child = child;
    if (m_request.oldBase) {
        unit.oldRef = *m_request.oldBase;
        unit.result.oldBaseSource = OldBaseSource::Given;
    }
    m_units << unit;

    auto *resolver = new ImageResolver(m_client, sourceRef, [this, index](Result<ImageData> image) {
        if (!image.ok()) {
            const QString what = m_units[index].child && m_units[index].child->platform
                ? QStringLiteral("source (%1)").arg(m_units[index].child->platform->toString())
                : QStringLiteral("source");
            return fail(Error(image.error()).prefixed(what));
        }
        onUnitSource(index, image.value());
    }, this);
    resolver->setSinglePlatform();
    resolver->setManifestHook([this, index](const Manifest &m) { onUnitSourceManifest(index, m); });
    track(resolver);
    startBaseResolvers(index);
    if (manifest)
        resolver->startWithManifest(*manifest);
    else
        resolver->start();
}

void RebaseOperation::onUnitSourceManifest(int index, const Manifest &manifest)
{
    if (m_finished || m_units[index].oldRef)
        return;
    // The old base is named by the source's annotations: start on it before the config arrives.
    const QJsonObject annotations = manifest.annotations();
    const QString name = annotations.value(BaseNameAnnotation).toString();
    const QString digest = annotations.value(BaseDigestAnnotation).toString();
    if (name.isEmpty() && digest.isEmpty())
        return; // searched for once the source's config (platform, diff_ids) is known
    auto ref = Reference::parse(name);
    auto pinned = Digest::parse(digest);
    if (!ref || !pinned)
        return fail(Error::make(Error::Kind::InvalidContent,
                                QStringLiteral("the source's base annotations are invalid (%1 = \"%2\", %3 = \"%4\")")
                                    .arg(BaseNameAnnotation, name, BaseDigestAnnotation, digest),
                                QStringLiteral("pass --old-base IMAGE")));
    qCDebug(lcRebase).noquote() << "old base from annotations:" << ref->withDigest(pinned.value()).toString();
    setOldBase(index, ref->withDigest(pinned.value()), OldBaseSource::Annotations);
}

void RebaseOperation::onUnitSource(int index, const ImageData &source)
{
    if (m_finished)
        return;
    Unit &unit = m_units[index];
    unit.source = source;
    const Platform platform = source.config.platform();
    if (!m_request.platforms.isEmpty() && !unit.child && !platform.matches(m_request.platforms.first()))
        return fail(Error::make(Error::Kind::PlatformMismatch,
                                QStringLiteral("the source %1 is %2, not %3")
                                    .arg(m_request.source.toString(), platform.toString(true),
                                         m_request.platforms.first().toString())));
    if (unit.newResolver)
        unit.newResolver->setPlatform(platform);
    if (unit.oldResolver)
        unit.oldResolver->setPlatform(platform);
    if (!unit.oldRef && !unit.oldBase && !unit.searching)
        return searchOldBase(index);
    planUnit(index);
}

void RebaseOperation::startBaseResolvers(int index)
{
    if (m_finished || index >= m_units.size())
        return;
    Unit &unit = m_units[index];
    if (!unit.newBase && !unit.newResolver && m_newBaseManifest) {
        unit.newResolver = new ImageResolver(m_client, m_request.newBase, [this, index](Result<ImageData> image) {
            if (!image.ok())
                return fail(Error(image.error()).prefixed(QStringLiteral("new base")));
            m_units[index].newBase = image.value();
            planUnit(index);
        }, this);
        track(unit.newResolver);
        if (unit.source)
            unit.newResolver->setPlatform(unit.source->config.platform());
        unit.newResolver->startWithManifest(*m_newBaseManifest);
    }
    Unit &again = m_units[index]; // the resolver may have completed (and planned) synchronously
    if (m_finished || again.oldBase || again.oldResolver || !again.oldRef)
        return;
    const bool given = again.result.oldBaseSource == OldBaseSource::Given;
    if (given && !m_oldBaseManifest)
        return; // started when the shared manifest arrives
    again.oldResolver = new ImageResolver(m_client, *again.oldRef, [this, index](Result<ImageData> image) {
        if (!image.ok())
            return fail(Error(image.error()).prefixed(QStringLiteral("old base")));
        m_units[index].oldBase = image.value();
        planUnit(index);
    }, this);
    QPointer<ImageResolver> resolver = again.oldResolver;
    track(resolver);
    if (again.source)
        resolver->setPlatform(again.source->config.platform());
    if (given)
        resolver->startWithManifest(*m_oldBaseManifest);
    else
        resolver->start();
}

void RebaseOperation::setOldBase(int index, const Reference &ref, OldBaseSource how)
{
    Unit &unit = m_units[index];
    unit.oldRef = ref;
    unit.result.oldBaseSource = how;
    m_client->addScopes(ref.registry(), {Scopes::pull(ref.repository())});
    startBaseResolvers(index);
}

void RebaseOperation::searchOldBase(int index)
{
    Unit &unit = m_units[index];
    unit.searching = true;
    const Reference repository = m_request.newBase.repositoryOnly();
    const QString platform = unit.source->config.platform().toString(true);
    setPhase(Progress::Phase::Resolving,
             QStringLiteral("%1 names no base: looking for it in %2").arg(unit.sourceRef.toString(), repository.name()));
    auto *finder = new BaseFinder(m_client, *unit.source, repository, m_request.searchLimit,
                                  [this, index, repository, platform](Result<QList<BaseCandidate>> found) {
        if (!found.ok())
            return fail(Error(found.error()).prefixed(QStringLiteral("looking for the old base in %1").arg(repository.name())));
        Unit &unit = m_units[index];
        if (found->isEmpty())
            return fail(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("the source %1 does not say which base it was built on (no %2 and %3 "
                                                   "annotations), and no image of %4 (%5, at most %6 tags examined) has "
                                                   "layers that begin the source's")
                                        .arg(unit.sourceRef.toString(), BaseNameAnnotation, BaseDigestAnnotation,
                                             repository.name(), platform)
                                        .arg(m_request.searchLimit),
                                    QStringLiteral("pass --old-base IMAGE: the image its Dockerfile starts FROM")));
        const BaseCandidate &best = found->first();
        unit.oldBase = best.image;
        unit.oldRef = best.image.reference;
        unit.result.oldBaseSource = best.osVersionTag ? OldBaseSource::OsVersionTag : OldBaseSource::Search;
        QString note = QStringLiteral("old base found %1: %2 (%3 of the source's %4 layers)")
                           .arg(best.osVersionTag ? QStringLiteral("by the os.version tag") : QStringLiteral("by searching"),
                                best.image.pinned().toString())
                           .arg(best.matchedLayers)
                           .arg(unit.source->config.diffIds().size());
        if (found->size() > 1)
            note += QStringLiteral("; %1 other candidate%2").arg(found->size() - 1).arg(found->size() > 2 ? QStringLiteral("s") : QString());
        m_outcome.notes << note;
        planUnit(index);
    }, this);
    finder->setProgress([this](int examined, int total) {
        m_progress.message = QStringLiteral("looking for the old base: %1 of %2 tags examined").arg(examined).arg(total);
        Q_EMIT progressChanged();
    });
    track(finder);
    finder->start();
}

void RebaseOperation::planUnit(int index)
{
    if (m_finished)
        return;
    Unit &unit = m_units[index];
    if (unit.planned || !unit.source || !unit.oldBase || !unit.newBase)
        return;
    auto plan = planRebase(*unit.source, *unit.oldBase, *unit.newBase);
    if (!plan.ok()) {
        Error e = plan.error();
        if (unit.child && unit.child->platform)
            e.prefixed(unit.child->platform->toString());
        return fail(e);
    }
    unit.result.plan = plan.value();
    unit.result.digest = unit.result.plan.manifestDigest;
    unit.planned = true;
    Q_EMIT planned(unit.result.plan);
    syncBlobs();
}

// --- blobs ------------------------------------------------------------------------------------------

void RebaseOperation::syncBlobs()
{
    if (m_finished || m_syncing || !m_targetChecked || m_units.isEmpty())
        return;
    for (const Unit &u : std::as_const(m_units)) {
        if (!u.planned)
            return;
    }
    // Nothing is written before the target's current state is known: an index there must not be
    // replaced by one platform's image by accident.
    if (!m_outcome.isIndex && !m_request.replaceIndex && m_outcome.previousTarget
        && Image::MediaType::isIndex(m_outcome.previousTarget->mediaType))
        return fail(Error::make(Error::Kind::InvalidInput,
                                QStringLiteral("the target %1 holds a multi-platform index; pushing this single-platform "
                                               "image there would replace every platform")
                                    .arg(m_request.target.toString()),
                                QStringLiteral("pass --replace-index if that is what you want, or choose another tag")));
    m_syncing = true;

    const Reference target = m_request.target.repositoryOnly();
    QList<Registry::BlobItem> items;
    QList<std::pair<int, int>> origins; // item -> (unit, step)
    for (int u = 0; u < m_units.size(); ++u) {
        Unit &unit = m_units[u];
        const Plan &plan = unit.result.plan;
        const Reference sourceRepository = plan.source.reference.repositoryOnly();
        // A registry keeps the blobs of every manifest it holds: every layer of the source's
        // manifest (its own, and new base layers it already had) is present in its repository
        // without asking.
        const bool targetIsSourceRepository = sourceRepository == target;
        QSet<Digest> inSource;
        for (const Descriptor &d : plan.source.manifest.layers())
            inSource.insert(d.digest);
        QSet<Digest> seen;
        for (const StackLayer &layer : plan.newStack) {
            if (seen.contains(layer.descriptor.digest))
                continue;
            seen.insert(layer.descriptor.digest);
            BlobStep step;
            step.blob = layer.descriptor;
            step.origin = layer.origin;
            step.from = layer.origin == Origin::NewBase ? plan.newBase.reference.repositoryOnly() : sourceRepository;
            Registry::BlobItem item;
            item.blob = step.blob;
            item.from = step.from;
            item.knownPresent = targetIsSourceRepository && inSource.contains(layer.descriptor.digest);
            origins.append({u, int(unit.result.steps.size())});
            items << item;
            unit.result.steps << step;
        }
        BlobStep config;
        config.blob = plan.configDescriptor;
        config.isConfig = true;
        config.action = BlobAction::Upload;
        Registry::BlobItem item;
        item.blob = plan.configDescriptor;
        item.data = plan.config;
        origins.append({u, int(unit.result.steps.size())});
        items << item;
        unit.result.steps << config;
    }

    setPhase(m_request.dryRun ? Progress::Phase::Checking : Progress::Phase::Transferring,
             QStringLiteral("checking %1 in %2").arg(items.size() == 1 ? QStringLiteral("1 blob") : QStringLiteral("%1 blobs").arg(items.size()),
                                                     target.name()));
    auto *sync = new Registry::BlobSync(m_client, target, items, m_request.dryRun,
                                        [this, origins](Result<QList<Registry::BlobItem>> done) {
        if (!done.ok())
            return fail(done.error());
        for (int i = 0; i < done->size(); ++i) {
            BlobStep &step = m_units[origins[i].first].result.steps[origins[i].second];
            step.action = done->at(i).action;
            step.done = done->at(i).done;
        }
        if (m_request.dryRun)
            return succeed();
        push();
    }, this);
    sync->setProgress([this](int done, int total, qint64 bytes) {
        m_progress.stepsDone = done;
        m_progress.stepsTotal = total;
        m_progress.bytesDone = bytes;
        if (!m_request.dryRun)
            m_progress.message = QStringLiteral("%1 of %2 blobs in place").arg(done).arg(total);
        Q_EMIT progressChanged();
    });
    track(sync);
    sync->start();
}

// --- pushing ----------------------------------------------------------------------------------------

void RebaseOperation::push()
{
    if (m_finished || m_pushing)
        return;
    m_pushing = true;
    if (!m_outcome.isIndex) {
        setPhase(Progress::Phase::Pushing, QStringLiteral("pushing the manifest to %1").arg(m_request.target.toString()));
        const Plan &plan = m_units.first().result.plan;
        m_tagPut = m_client->pushManifest(m_request.target, plan.manifest, plan.manifestMediaType, this,
                                          [this](Result<Digest> r) { onTagPut(r); });
        track(m_tagPut);
        return;
    }
    // Each platform's manifest by digest first; the index, which names them, goes to the tag last.
    setPhase(Progress::Phase::Pushing,
             QStringLiteral("pushing %1 platform manifests to %2").arg(m_units.size()).arg(m_request.target.name()));
    auto pending = std::make_shared<int>(int(m_units.size()));
    for (int u = 0; u < m_units.size(); ++u) {
        const Plan &plan = m_units[u].result.plan;
        const Reference byDigest = m_request.target.repositoryOnly().withDigest(plan.manifestDigest);
        track(m_client->pushManifest(byDigest, plan.manifest, plan.manifestMediaType, this, [this, pending](Result<Digest> r) {
            if (!r.ok())
                return fail(r.error());
            if (--*pending == 0)
                pushIndex();
        }));
    }
}

Result<QByteArray> RebaseOperation::buildIndex() const
{
    QJsonObject index = m_sourceIndex->json();
    QJsonArray manifests;
    for (const QJsonValue &value : index.value(QLatin1String("manifests")).toArray()) {
        const QString digest = value.toObject().value(QLatin1String("digest")).toString();
        auto unit = std::find_if(m_units.cbegin(), m_units.cend(),
                                 [&digest](const Unit &u) { return u.child && u.child->digest.toString() == digest; });
        if (unit == m_units.cend())
            continue; // an attestation, or a platform left out
        const Plan &plan = unit->result.plan;
        Descriptor d = *unit->child;
        d.mediaType = plan.manifestMediaType;
        d.digest = plan.manifestDigest;
        d.size = plan.manifest.size();
        Platform platform = plan.newBase.config.platform();
        if (platform.isEmpty())
            platform = d.platform.value_or(Platform());
        d.platform = platform;
        manifests.append(d.toJson());
    }
    index.insert(QLatin1String("manifests"), manifests);
    if (m_sourceIndex->family() == Image::MediaType::Family::Oci && m_newBaseManifest) {
        QJsonObject annotations = index.value(QLatin1String("annotations")).toObject();
        annotations.insert(BaseNameAnnotation, m_request.newBase.withTag(m_request.newBase.tag()).toString());
        annotations.insert(BaseDigestAnnotation, m_newBaseManifest->digest().toString());
        index.insert(QLatin1String("annotations"), annotations);
    }
    return QJsonDocument(index).toJson(QJsonDocument::Compact);
}

void RebaseOperation::pushIndex()
{
    if (m_cancelRequested)
        return fail(Error::make(Error::Kind::Cancelled,
                                QStringLiteral("rebase cancelled; the target tag was not changed (the platform manifests "
                                               "pushed by digest are untagged)")));
    auto index = buildIndex();
    if (!index.ok())
        return fail(index.error());
    m_outcome.index = index.value();
    m_outcome.indexMediaType = m_sourceIndex->mediaType();
    setPhase(Progress::Phase::Pushing, QStringLiteral("pushing the index to %1").arg(m_request.target.toString()));
    m_tagPut = m_client->pushManifest(m_request.target, m_outcome.index, m_outcome.indexMediaType, this,
                                      [this](Result<Digest> r) { onTagPut(r); });
    track(m_tagPut);
}

void RebaseOperation::onTagPut(const Result<Digest> &result)
{
    if (result.ok()) {
        m_outcome.digest = result.value();
        return succeed();
    }
    if (!m_cancelRequested)
        return fail(result.error());
    fail(Registry::interruptedTagPut(m_request.target, m_outcome.isIndex ? QStringLiteral("index") : QStringLiteral("manifest"),
                                     result.error()));
}

void RebaseOperation::cancel()
{
    if (m_finished)
        return;
    m_cancelRequested = true;
    if (m_tagPut) {
        // The registry may already be storing it: aborting now could leave the tag changed while
        // reporting it unchanged. Let it end (without retrying) and report what really happened.
        setPhase(m_progress.phase, QStringLiteral("finishing the push of %1: it can no longer be taken back")
                                       .arg(m_request.target.toString()));
        if (m_tagPut)
            m_tagPut->finishWithoutRetrying();
        return;
    }
    if (m_pushing && m_outcome.isIndex)
        return; // platform manifests (by digest) are in flight; pushIndex() stops before the tag
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("rebase cancelled; the target tag was not changed")));
}

void RebaseOperation::fail(Error error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_client->discardPreparedUploads(this);
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
    m_client->discardPreparedUploads(this);
    for (const Unit &unit : std::as_const(m_units))
        m_outcome.platforms << unit.result;
    if (m_outcome.isIndex) {
        if (m_outcome.index.isEmpty()) { // a dry run: the index that would be pushed
            auto index = buildIndex();
            if (!index.ok())
                return fail(index.error());
            m_outcome.index = index.value();
            m_outcome.indexMediaType = m_sourceIndex->mediaType();
        }
        if (m_request.dryRun)
            m_outcome.digest = Digest::of(m_outcome.index);
    } else if (m_request.dryRun) {
        m_outcome.digest = m_outcome.platforms.first().digest;
    }
    m_finished = true;
    m_result = m_outcome;
    m_progress.phase = Progress::Phase::Done;
    m_progress.message = m_request.dryRun ? QStringLiteral("dry run complete; nothing was written")
                                          : QStringLiteral("pushed %1@%2").arg(m_request.target.toString(), m_outcome.digest.toString());
    Q_EMIT progressChanged();
    Q_EMIT finished();
}

} // namespace Restack::Rebase
