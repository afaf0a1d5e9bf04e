// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "common/result.h"
#include "image/descriptor.h"
#include "image/digest.h"
#include "image/mediatypes.h"

namespace Restack::Image
{

/**
 * An image manifest or an index (manifest list), as Docker schema 2 or OCI image spec v1.1
 * (manifest.md, image-index.md) define them. The exact bytes are kept: digest() is computed
 * from raw(), and the manifest is never re-serialised unless something in it changes.
 */
class Manifest
{
public:
    /** Manifests larger than this are refused (the OCI distribution spec lets registries cap at 4 MiB). */
    static constexpr qint64 MaxBytes = 4 * 1024 * 1024;

    /**
     * Parses manifest bytes. @p contentType is the Content-Type the registry sent (used when the
     * manifest has no mediaType field, as OCI allows). Errors: TooLarge over MaxBytes;
     * InvalidContent for invalid JSON, a schemaVersion other than 2, a missing config/layers or
     * manifests array, invalid descriptors, or a mediaType field contradicting the structure;
     * Unsupported for schema 1 and unknown media types.
     */
    static Result<Manifest> parse(const QByteArray &raw, const QString &contentType = {});

    const QByteArray &raw() const { return m_raw; }
    /** sha256 of raw(). */
    Digest digest() const { return m_digest; }
    /** The digest of raw() with @p algorithm (to verify against a sha512 reference). */
    Digest digest(Digest::Algorithm algorithm) const;
    /** The effective media type: the mediaType field, else the Content-Type, else inferred. */
    QString mediaType() const { return m_mediaType; }
    MediaType::Family family() const { return m_family; }
    bool isIndex() const { return m_isIndex; }

    /** Config descriptor (image manifests only). */
    const Descriptor &config() const { return m_config; }
    /** Layer descriptors, base first (image manifests only). */
    const QList<Descriptor> &layers() const { return m_layers; }
    /** Child manifest descriptors (indexes only). */
    const QList<Descriptor> &manifests() const { return m_manifests; }
    QJsonObject annotations() const { return m_json.value(QLatin1String("annotations")).toObject(); }
    /** The parsed JSON object, for building a modified manifest. */
    const QJsonObject &json() const { return m_json; }

    /** A descriptor pointing at this manifest (media type, digest, size). */
    Descriptor descriptor() const;

    /** Sum of the layer sizes in bytes (image manifests). */
    qint64 layersSize() const;

private:
    QByteArray m_raw;
    Digest m_digest;
    QString m_mediaType;
    MediaType::Family m_family = MediaType::Family::Oci;
    bool m_isIndex = false;
    Descriptor m_config;
    QList<Descriptor> m_layers;
    QList<Descriptor> m_manifests;
    QJsonObject m_json;
};

} // namespace Restack::Image
