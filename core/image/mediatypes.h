// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Restack::Image::MediaType
{

// Docker Image Manifest V2, Schema 2 (docker/distribution docs/spec/manifest-v2-2.md)
inline const QString DockerManifest = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
inline const QString DockerManifestList = QStringLiteral("application/vnd.docker.distribution.manifest.list.v2+json");
inline const QString DockerConfig = QStringLiteral("application/vnd.docker.container.image.v1+json");
inline const QString DockerLayer = QStringLiteral("application/vnd.docker.image.rootfs.diff.tar.gzip");
inline const QString DockerLayerUncompressed = QStringLiteral("application/vnd.docker.image.rootfs.diff.tar");
inline const QString DockerForeignLayer = QStringLiteral("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
inline const QString DockerSchema1 = QStringLiteral("application/vnd.docker.distribution.manifest.v1+json");
inline const QString DockerSchema1Signed = QStringLiteral("application/vnd.docker.distribution.manifest.v1+prettyjws");

// OCI image spec v1.1 (media-types.md)
inline const QString OciManifest = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
inline const QString OciIndex = QStringLiteral("application/vnd.oci.image.index.v1+json");
inline const QString OciConfig = QStringLiteral("application/vnd.oci.image.config.v1+json");
inline const QString OciLayer = QStringLiteral("application/vnd.oci.image.layer.v1.tar");
inline const QString OciLayerGzip = QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip");
inline const QString OciLayerZstd = QStringLiteral("application/vnd.oci.image.layer.v1.tar+zstd");
inline const QString OciNondistributableLayer = QStringLiteral("application/vnd.oci.image.layer.nondistributable.v1.tar");
inline const QString OciNondistributableLayerGzip =
    QStringLiteral("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
inline const QString OciNondistributableLayerZstd =
    QStringLiteral("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

/** The two manifest families: a rebase keeps the source's family. */
enum class Family { Docker, Oci };

/** The Accept header value for manifest requests: every manifest and index type Restack reads. */
QByteArray manifestAcceptHeader();

bool isImageManifest(const QString &mediaType);
bool isIndex(const QString &mediaType);
bool isManifest(const QString &mediaType); ///< an image manifest or an index
bool isLayer(const QString &mediaType);
/**
 * Foreign (Docker) and non-distributable (OCI) layers: their blobs live at the descriptor's
 * `urls`, not in the registry, and are never HEADed, mounted or uploaded.
 */
bool isForeignLayer(const QString &mediaType);

std::optional<Family> familyOf(const QString &manifestMediaType);
QString manifestType(Family family);
QString indexType(Family family);
QString configType(Family family);
QString familyName(Family family); ///< "Docker schema 2" / "OCI"

/**
 * The equivalent of layer media type @p layerType in @p family (e.g. Docker's tar.gzip for OCI's
 * tar+gzip, foreign for non-distributable). Returns nullopt when the family has no equivalent
 * (zstd layers in a Docker schema 2 manifest); unknown types are returned unchanged.
 */
std::optional<QString> convertLayerType(const QString &layerType, Family family);

} // namespace Restack::Image::MediaType
