// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "common/result.h"
#include "image/descriptor.h"
#include "image/digest.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/reference.h"

namespace Restack::Rebase
{

/**
 * A single-platform image as fetched: the reference the user named, its image manifest (never an
 * index; when the reference named an index, the child for the wanted platform) and its config.
 */
struct ImageData
{
    Image::Reference reference;  ///< as named by the user (tag and/or digest)
    Image::Manifest manifest;    ///< the platform's image manifest
    Image::ImageConfig config;
    Image::Digest indexDigest;   ///< digest of the index the reference named, if it named one

    /** The reference pinned to the image manifest's digest: "registry/repo:tag@sha256:…". */
    Image::Reference pinned() const { return reference.withDigest(manifest.digest()); }
};

/** Where a layer of a stack comes from. */
enum class Origin { OldBase, NewBase, App };

/** "old base" / "new base" / "app". */
QString originName(Origin origin);

/** One layer of a stack as shown side by side. */
struct StackLayer
{
    int index = 0;              ///< position in its manifest, 0 = bottom
    Image::Descriptor descriptor;
    Image::Digest diffId;
    Origin origin = Origin::App;
    QString createdBy;          ///< the history entry that made the layer, when known
};

/** OCI annotations naming the base image (OCI image spec annotations.md). */
inline const QString BaseNameAnnotation = QStringLiteral("org.opencontainers.image.base.name");
inline const QString BaseDigestAnnotation = QStringLiteral("org.opencontainers.image.base.digest");

/**
 * The complete, pure result of planning a rebase: both stacks and the exact manifest and config
 * bytes that will be pushed (so the manifest digest is known before anything is written).
 */
struct Plan
{
    ImageData source;
    ImageData oldBase;
    ImageData newBase;

    QList<StackLayer> oldStack; ///< the source's layers (old base, then app)
    QList<StackLayer> newStack; ///< the result's layers (new base, then app)

    QByteArray manifest;        ///< bytes to PUT
    QString manifestMediaType;
    Image::Digest manifestDigest;
    QByteArray config;          ///< bytes to upload
    Image::Descriptor configDescriptor;
    QStringList notes;          ///< things the user should know (recompressed matches, conversions, ...)

    int appLayerCount() const;
    qint64 bytesRemoved() const; ///< compressed bytes of the old base's layers
    qint64 bytesAdded() const;   ///< compressed bytes of the new base's layers
};

/**
 * Plans a rebase of @p source from @p oldBase onto @p newBase (a pure function: no I/O).
 *
 * Checks: each image's config has one diff_id per manifest layer; source, old base and new base
 * are of the same platform (os, architecture, variant); every old base layer is the source's
 * layer at the same position, by digest or, where the compressed digests differ, by diff_id; the
 * old base's history entries are the first entries of the source's history.
 *
 * Result manifest: the source's JSON with the config descriptor replaced and the layers = the new
 * base's layers (media types converted to the source's family) followed by the source's own; the
 * media type family and every other field are kept; OCI manifests get the base.name/base.digest
 * annotations naming the new base. Result config: the source's JSON with rootfs.diff_ids and
 * history spliced the same way (the non-empty history entries number exactly the layers) and
 * os, architecture, variant, os.version and os.features taken from the new base; every other
 * field (labels, env, created, author, unknown fields) kept.
 *
 * Errors: NotPrefix (naming the layer or history entry that differs), PlatformMismatch,
 * InvalidContent (inconsistent images), Unsupported (a new base layer type the source's family
 * cannot express, such as zstd in Docker schema 2).
 */
Result<Plan> planRebase(const ImageData &source, const ImageData &oldBase, const ImageData &newBase);

} // namespace Restack::Rebase
