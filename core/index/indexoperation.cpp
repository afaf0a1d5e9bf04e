// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "index/indexoperation.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "rebase/resolver.h"
#include "registry/client.h"
#include "registry/registryerror.h"
#include "registry/scopes.h"

namespace Restack::Index
{

using Image::Descriptor;
using Image::Platform;
using Image::Reference;
namespace MediaType = Image::MediaType;

IndexOperation::IndexOperation(Registry::Client *client, IndexRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{
}

IndexOperation::~IndexOperation() = default;

void IndexOperation::track(Registry::Task *task)
{
    m_tasks.removeIf([](const QPointer<Registry::Task> &t) { return t.isNull(); });
    m_tasks << task;
}

void IndexOperation::setStatus(const QString &status)
{
    m_status = status;
    Q_EMIT statusChanged();
}

void IndexOperation::start()
{
    const Reference &target = m_request.target;
    if (target.tag().isEmpty() || target.hasDigest())
        return fail(Error::make(Error::Kind::InvalidInput,
                                QStringLiteral("the target %1 must name a tag and no digest").arg(target.toString())));
    if (m_request.entries.isEmpty())
        return fail(Error::make(Error::Kind::InvalidInput, QStringLiteral("no image to put in the index")));
    m_client->addScopes(target.registry(), {m_request.dryRun ? Registry::Scopes::pull(target.repository())
                                                             : Registry::Scopes::pullPush(target.repository())});
    for (const IndexEntry &entry : std::as_const(m_request.entries))
        m_client->addScopes(entry.image.registry(), {Registry::Scopes::pull(entry.image.repository())});

    m_outcome.target = target;
    m_outcome.dryRun = m_request.dryRun;
    m_images.resize(m_request.entries.size());
    setStatus(QStringLiteral("reading %1").arg(m_request.entries.size() == 1 ? QStringLiteral("1 image")
                                                                              : QStringLiteral("%1 images").arg(m_request.entries.size())));
    for (int i = 0; i < m_request.entries.size(); ++i) {
        const IndexEntry &entry = m_request.entries.at(i);
        // With a platform named, an index entry yields its child of that platform.
        std::optional<Platform> wanted;
        if (entry.platform && !entry.platform->os.isEmpty() && !entry.platform->architecture.isEmpty())
            wanted = entry.platform;
        track(Rebase::resolveImage(m_client, entry.image, wanted, this, [this, i](Result<Rebase::ImageData> image) {
            if (!image.ok())
                return fail(Error(image.error()).prefixed(m_request.entries.at(i).image.toString()));
            m_images[i] = image.value();
            if (++m_resolved == m_images.size())
                onResolved();
        }));
    }
}

void IndexOperation::onResolved()
{
    if (m_finished)
        return;
    // Platforms, duplicates and the index type.
    bool anyOci = false;
    bool anyDocker = false;
    for (int i = 0; i < m_images.size(); ++i) {
        const Rebase::ImageData &image = *m_images[i];
        IndexChild child;
        child.entry = m_request.entries.at(i);
        child.image = image;
        child.descriptor = image.manifest.descriptor();
        const Platform platform = child.entry.platform ? image.config.platform().overriddenBy(*child.entry.platform) : image.config.platform();
        if (platform.os.isEmpty() || platform.architecture.isEmpty())
            return fail(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("%1 has no os/architecture in its config").arg(image.reference.toString()),
                                    QStringLiteral("give it one: %1,platform=OS/ARCH").arg(image.reference.toString())));
        child.descriptor.platform = platform;
        for (const IndexChild &other : std::as_const(m_outcome.children)) {
            if (other.descriptor.platform->sameIndexEntry(platform))
                return fail(Error::make(Error::Kind::InvalidInput,
                                        QStringLiteral("%1 and %2 are both %3: an index holds one image per platform")
                                            .arg(other.image.reference.toString(), image.reference.toString(),
                                                 platform.toString(true)),
                                        QStringLiteral("drop one, or set a distinguishing platform field (variant, os.version)")));
        }
        (image.manifest.family() == MediaType::Family::Oci ? anyOci : anyDocker) = true;
        m_outcome.children << child;
    }
    MediaType::Family family;
    if (m_request.type) {
        family = *m_request.type;
    } else if (anyOci && anyDocker) {
        return fail(Error::make(Error::Kind::InvalidInput,
                                QStringLiteral("the images mix Docker schema 2 and OCI manifests"),
                                QStringLiteral("choose the index type with --type oci or --type docker")));
    } else {
        family = anyDocker ? MediaType::Family::Docker : MediaType::Family::Oci;
    }
    if (family == MediaType::Family::Docker && anyOci)
        return fail(Error::make(Error::Kind::InvalidInput,
                                QStringLiteral("a Docker manifest list cannot hold OCI manifests"),
                                QStringLiteral("use --type oci")));
    m_outcome.mediaType = MediaType::indexType(family);

    // Images from elsewhere: their blobs first, then their manifests by digest.
    const Reference target = m_request.target.repositoryOnly();
    QList<Registry::BlobItem> items;
    QList<int> owners;
    for (int c = 0; c < m_outcome.children.size(); ++c) {
        const IndexChild &child = m_outcome.children.at(c);
        const Reference from = child.image.reference.repositoryOnly();
        if (from == target)
            continue; // its manifest, and so its blobs, are in the target repository already
        Registry::BlobItem config;
        config.blob = child.image.manifest.config();
        config.from = from;
        items << config;
        owners << c;
        for (const Descriptor &layer : child.image.manifest.layers()) {
            Registry::BlobItem item;
            item.blob = layer;
            item.from = from;
            items << item;
            owners << c;
        }
    }
    if (items.isEmpty())
        return m_request.dryRun ? pushIndex() : pushChildren();
    setStatus(QStringLiteral("bringing %1 blobs into %2").arg(items.size()).arg(target.name()));
    auto *sync = new Registry::BlobSync(m_client, target, items, m_request.dryRun,
                                        [this, owners](Result<QList<Registry::BlobItem>> done) {
        if (!done.ok())
            return fail(done.error());
        for (int i = 0; i < done->size(); ++i)
            m_outcome.children[owners[i]].blobs << done->at(i);
        if (m_request.dryRun)
            return pushIndex();
        pushChildren();
    }, this);
    track(sync);
    sync->start();
}

void IndexOperation::pushChildren()
{
    const Reference target = m_request.target.repositoryOnly();
    QList<int> pending;
    for (int c = 0; c < m_outcome.children.size(); ++c) {
        if (m_outcome.children.at(c).image.reference.repositoryOnly() != target)
            pending << c;
    }
    if (pending.isEmpty())
        return pushIndex();
    setStatus(QStringLiteral("pushing %1 image manifests to %2").arg(pending.size()).arg(target.name()));
    auto remaining = std::make_shared<int>(int(pending.size()));
    for (int c : std::as_const(pending)) {
        const Image::Manifest &manifest = m_outcome.children.at(c).image.manifest;
        track(m_client->pushManifest(target.withDigest(manifest.digest()), manifest.raw(), manifest.mediaType(), this,
                                     [this, c, remaining](Result<Image::Digest> r) {
            if (!r.ok())
                return fail(r.error());
            m_outcome.children[c].manifestCopied = true;
            if (--*remaining == 0)
                pushIndex();
        }));
    }
}

Result<QByteArray> IndexOperation::buildIndex()
{
    QJsonObject index;
    index.insert(QLatin1String("schemaVersion"), 2);
    index.insert(QLatin1String("mediaType"), m_outcome.mediaType);
    QJsonArray manifests;
    for (const IndexChild &child : std::as_const(m_outcome.children)) {
        QJsonObject d;
        d.insert(QLatin1String("mediaType"), child.descriptor.mediaType);
        d.insert(QLatin1String("digest"), child.descriptor.digest.toString());
        d.insert(QLatin1String("size"), child.descriptor.size);
        Descriptor withPlatform = child.descriptor;
        withPlatform.json = d;
        manifests.append(withPlatform.toJson());
    }
    index.insert(QLatin1String("manifests"), manifests);
    if (!m_request.annotations.isEmpty()) {
        if (m_outcome.mediaType != MediaType::OciIndex)
            return Error::make(Error::Kind::InvalidInput, QStringLiteral("a Docker manifest list cannot carry annotations"),
                               QStringLiteral("use --type oci"));
        index.insert(QLatin1String("annotations"), m_request.annotations);
    }
    return QJsonDocument(index).toJson(QJsonDocument::Compact);
}

void IndexOperation::pushIndex()
{
    if (m_finished)
        return;
    auto index = buildIndex();
    if (!index.ok())
        return fail(index.error());
    m_outcome.index = index.value();
    m_outcome.digest = Image::Digest::of(m_outcome.index);
    m_tagsToPush = QStringList{m_request.target.tag()} + m_request.extraTags;
    if (m_request.dryRun) {
        m_outcome.tags = m_tagsToPush;
        m_finished = true;
        m_result = m_outcome;
        setStatus(QStringLiteral("dry run complete; nothing was written"));
        Q_EMIT finished();
        return;
    }
    pushNextTag();
}

void IndexOperation::pushNextTag()
{
    if (m_cancelRequested && !m_tagsToPush.isEmpty())
        return cancel();
    if (m_tagsToPush.isEmpty()) {
        m_finished = true;
        m_result = m_outcome;
        setStatus(QStringLiteral("pushed %1@%2").arg(m_request.target.toString(), m_outcome.digest.toString()));
        Q_EMIT finished();
        return;
    }
    const QString tag = m_tagsToPush.takeFirst();
    const Reference ref = m_request.target.withTag(tag);
    setStatus(QStringLiteral("pushing the index to %1").arg(ref.toString()));
    m_tagPut = m_client->pushManifest(ref, m_outcome.index, m_outcome.mediaType, this, [this, tag, ref](Result<Image::Digest> r) {
        m_tagPut = nullptr;
        if (r.ok()) {
            m_outcome.tags << tag;
            return pushNextTag();
        }
        if (!m_cancelRequested)
            return fail(r.error());
        QStringList context;
        if (!m_outcome.tags.isEmpty())
            context << QStringLiteral("pushed before: %1").arg(references(m_outcome.tags));
        if (!m_tagsToPush.isEmpty())
            context << QStringLiteral("not pushed: %1").arg(references(m_tagsToPush));
        fail(Registry::interruptedTagPut(ref, QStringLiteral("index"), r.error(), context.join(QStringLiteral("; "))));
    });
    track(m_tagPut);
}

QString IndexOperation::references(const QStringList &tags) const
{
    QStringList list;
    for (const QString &tag : tags)
        list << m_request.target.withTag(tag).toString();
    return list.join(QStringLiteral(", "));
}

void IndexOperation::cancel()
{
    if (m_finished)
        return;
    m_cancelRequested = true;
    if (m_tagPut) {
        setStatus(QStringLiteral("finishing the push of the index to a tag: it can no longer be taken back"));
        if (m_tagPut)
            m_tagPut->finishWithoutRetrying();
        return; // pushNextTag() stops before the next tag
    }
    if (m_outcome.tags.isEmpty())
        return fail(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled; the target tag was not changed")));
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled after pushing the index %1 to %2; not pushed to %3")
                                                 .arg(m_outcome.digest.toString(), references(m_outcome.tags),
                                                      references(m_tagsToPush))));
}

void IndexOperation::fail(Error error)
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
    Q_EMIT finished();
}

} // namespace Restack::Index
