// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/resolver.h"

#include <QPointer>

#include "registry/client.h"

namespace Restack::Rebase
{

using Image::Descriptor;
using Image::Manifest;
using Image::Platform;
using Image::Reference;

bool isAttestation(const Descriptor &d)
{
    if (d.annotations.contains(QLatin1String("vnd.docker.reference.type")))
        return true;
    return d.platform && d.platform->os == QLatin1String("unknown") && d.platform->architecture == QLatin1String("unknown");
}

QList<Platform> indexPlatforms(const Manifest &index)
{
    QList<Platform> platforms;
    for (const Descriptor &d : index.manifests()) {
        if (!isAttestation(d) && d.platform)
            platforms << *d.platform;
    }
    return platforms;
}

Registry::Task *resolveImage(Registry::Client *client, const Reference &ref, const std::optional<Platform> &platform,
                             QObject *context, Callback<ImageData> done)
{
    auto *task = new ImageResolver(client, ref, std::move(done), context);
    if (platform)
        task->setPlatform(*platform);
    else
        task->setSinglePlatform();
    task->start();
    return task;
}

ImageResolver::ImageResolver(Registry::Client *client, Reference ref, Callback<ImageData> done, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_ref(std::move(ref))
{
    m_data.reference = m_ref;
}

void ImageResolver::start()
{
    m_current = m_client->fetchManifest(m_ref, this, [this](Result<Manifest> m) {
        m_current = nullptr;
        if (!m.ok())
            return complete(m.error());
        onManifest(m.value());
    });
}

void ImageResolver::startWithManifest(const Manifest &manifest)
{
    onManifest(manifest);
}

void ImageResolver::onManifest(const Manifest &manifest)
{
    if (m_manifestHook) {
        QPointer<ImageResolver> self(this);
        m_manifestHook(manifest);
        if (!self || isFinished())
            return;
    }
    if (manifest.isIndex()) {
        m_index = manifest;
        m_data.indexDigest = manifest.digest();
        if (m_platformKnown)
            pickChild();
        return;
    }
    fetchConfig(manifest);
}

void ImageResolver::setPlatform(const Platform &platform)
{
    m_platform = platform;
    m_platformKnown = true;
    if (m_index && !m_current && !isFinished())
        pickChild();
}

void ImageResolver::setSinglePlatform()
{
    m_platform.reset();
    m_platformKnown = true;
    if (m_index && !m_current && !isFinished())
        pickChild();
}

void ImageResolver::pickChild()
{
    const Manifest index = *m_index;
    QList<Descriptor> candidates;
    for (const Descriptor &d : index.manifests()) {
        if (!isAttestation(d))
            candidates << d;
    }
    const QList<Platform> available = indexPlatforms(index);
    std::optional<Descriptor> chosen;
    if (m_platform) {
        for (const Descriptor &d : std::as_const(candidates)) {
            if (d.platform && d.platform->matches(*m_platform)) {
                chosen = d;
                break;
            }
        }
        if (!chosen && !m_platform->osVersion.isEmpty()) {
            // No image of the same Windows build: one image of the same os/architecture/variant is
            // taken (rebasing from one Windows release onto another is the point).
            Platform anyVersion = *m_platform;
            anyVersion.osVersion.clear();
            QList<Descriptor> sameKind;
            for (const Descriptor &d : std::as_const(candidates)) {
                if (d.platform && d.platform->matches(anyVersion))
                    sameKind << d;
            }
            if (sameKind.size() == 1)
                chosen = sameKind.first();
        }
        if (!chosen)
            return complete(Error::make(Error::Kind::PlatformMismatch,
                                        QStringLiteral("%1 has no image for %2; it has: %3")
                                            .arg(m_ref.toString(), m_platform->toString(true), Platform::joined(available)),
                                        QStringLiteral("choose one of the platforms it has (--platform), or an image that has %1")
                                            .arg(m_platform->toString(true)))
                                .at(m_ref.registry(), m_ref.repository(), m_ref.identifier()));
    } else if (candidates.size() == 1) {
        chosen = candidates.first();
    } else {
        return complete(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("%1 is a multi-platform index (%2); name one platform's image")
                                        .arg(m_ref.toString(), Platform::joined(available)),
                                    QStringLiteral("pass REPOSITORY@DIGEST of the platform's manifest (see `restack "
                                                   "inspect %1`)")
                                        .arg(m_ref.toString()))
                            .at(m_ref.registry(), m_ref.repository(), m_ref.identifier()));
    }
    if (!Image::MediaType::isImageManifest(chosen->mediaType))
        return complete(Error::make(Error::Kind::Unsupported,
                                    QStringLiteral("%1: the %2 entry is a %3, not an image manifest")
                                        .arg(m_ref.toString(), chosen->platform ? chosen->platform->toString() : QString(),
                                             chosen->mediaType)));
    const Reference child = m_ref.withDigest(chosen->digest);
    m_current = m_client->fetchManifest(child, this, [this](Result<Manifest> m) {
        m_current = nullptr;
        if (!m.ok())
            return complete(m.error());
        if (m->isIndex())
            return complete(Error::make(Error::Kind::Unsupported,
                                        QStringLiteral("%1: nested indexes are not supported").arg(m_ref.toString())));
        fetchConfig(m.value());
    });
}

void ImageResolver::fetchConfig(const Manifest &manifest)
{
    m_data.manifest = manifest;
    m_current = m_client->fetchBlob(m_ref.repositoryOnly(), manifest.config(), this, [this](Result<QByteArray> blob) {
        m_current = nullptr;
        if (!blob.ok())
            return complete(blob.error());
        auto config = Image::ImageConfig::parse(blob.value());
        if (!config.ok()) {
            Error e = config.error();
            return complete(e.prefixed(QStringLiteral("config of %1").arg(m_ref.toString()))
                                .at(m_ref.registry(), m_ref.repository(), m_data.manifest.config().digest.toString()));
        }
        m_data.config = config.value();
        complete(m_data);
    });
}

} // namespace Restack::Rebase
