// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

#include <optional>

#include "common/result.h"
#include "image/platform.h"
#include "image/reference.h"
#include "rebase/plan.h"
#include "registry/task.h"

namespace Restack::Registry
{
class Client;
}

namespace Restack::Rebase
{

/**
 * Fetches a single-platform image: the manifest @p ref names, and when that is an index (OCI
 * image index / Docker manifest list) the child matching @p platform, then its config blob; all
 * verified against their digests.
 *
 * Without @p platform an index resolves only when it has exactly one runnable child (attestation
 * manifests with platform unknown/unknown are ignored). With a Windows platform, a child of the
 * same build (major.minor.build of os.version) is preferred; failing that, the only child of the
 * same os, architecture and variant is taken. Errors: those of the registry client,
 * InvalidInput when an index has several platforms and none was given (listing them),
 * PlatformMismatch when no child matches (listing the available ones), InvalidContent for an
 * invalid config.
 */
Registry::Task *resolveImage(Registry::Client *client, const Image::Reference &ref,
                             const std::optional<Image::Platform> &platform, QObject *context, Callback<ImageData> done);

/**
 * resolveImage() with the platform supplied later: the manifest is fetched at once, and when it
 * is an index the child is chosen once setPlatform() was called (the platform of the source is
 * only known after its config arrived; bases are fetched meanwhile). The callback is called
 * exactly once, as for resolveImage().
 */
class ImageResolver final : public Registry::CompositeTask<ImageData>
{
public:
    ImageResolver(Registry::Client *client, Image::Reference ref, Callback<ImageData> done, QObject *parent);
    void start();
    /** Starts from @p manifest, already fetched for this reference (it is not fetched again). */
    void startWithManifest(const Image::Manifest &manifest);
    /** The platform an index's child must match; may be called before or after start(). */
    void setPlatform(const Image::Platform &platform);
    /** Without a platform, an index must have exactly one runnable child. */
    void setSinglePlatform();
    /** Called with the manifest the reference names as soon as it arrived (before any config). */
    void setManifestHook(std::function<void(const Image::Manifest &)> hook) { m_manifestHook = std::move(hook); }

private:
    void onManifest(const Image::Manifest &manifest);
    void pickChild();
    void fetchConfig(const Image::Manifest &manifest);

    Registry::Client *m_client;
    Image::Reference m_ref;
    std::function<void(const Image::Manifest &)> m_manifestHook;
    std::optional<Image::Manifest> m_index;
    std::optional<Image::Platform> m_platform;
    bool m_platformKnown = false;
    ImageData m_data;
};

/**
 * Whether index entry @p descriptor is an attestation manifest (BuildKit's provenance/SBOM entries:
 * platform unknown/unknown, annotation vnd.docker.reference.type), not a runnable image.
 */
bool isAttestation(const Image::Descriptor &descriptor);

/** The platforms of an index's runnable children (attestations left out). */
QList<Image::Platform> indexPlatforms(const Image::Manifest &index);

} // namespace Restack::Rebase
