// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/mediatypes.h"

namespace Restack::Image::MediaType
{

QByteArray manifestAcceptHeader()
{
    return QStringList{OciIndex, OciManifest, DockerManifestList, DockerManifest}.join(QStringLiteral(", ")).toLatin1();
}

bool isImageManifest(const QString &mediaType)
{
    return mediaType == DockerManifest || mediaType == OciManifest;
}

bool isIndex(const QString &mediaType)
{
    return mediaType == DockerManifestList || mediaType == OciIndex;
}

bool isManifest(const QString &mediaType)
{
    return isImageManifest(mediaType) || isIndex(mediaType);
}

bool isLayer(const QString &mediaType)
{
    return mediaType.startsWith(QLatin1String("application/vnd.docker.image.rootfs."))
        || mediaType.startsWith(QLatin1String("application/vnd.oci.image.layer."));
}

bool isForeignLayer(const QString &mediaType)
{
    return mediaType == DockerForeignLayer || mediaType == OciNondistributableLayer
        || mediaType == OciNondistributableLayerGzip || mediaType == OciNondistributableLayerZstd;
}

std::optional<Family> familyOf(const QString &manifestMediaType)
{
    if (manifestMediaType == DockerManifest || manifestMediaType == DockerManifestList)
        return Family::Docker;
    if (manifestMediaType == OciManifest || manifestMediaType == OciIndex)
        return Family::Oci;
    return std::nullopt;
}

QString manifestType(Family family)
{
    return family == Family::Docker ? DockerManifest : OciManifest;
}

QString indexType(Family family)
{
    return family == Family::Docker ? DockerManifestList : OciIndex;
}

QString configType(Family family)
{
    return family == Family::Docker ? DockerConfig : OciConfig;
}

QString familyName(Family family)
{
    return family == Family::Docker ? QStringLiteral("Docker schema 2") : QStringLiteral("OCI");
}

std::optional<QString> convertLayerType(const QString &layerType, Family family)
{
    if (family == Family::Docker) {
        if (layerType == OciLayerGzip)
            return DockerLayer;
        if (layerType == OciLayer)
            return DockerLayerUncompressed;
        if (layerType == OciNondistributableLayerGzip)
            return DockerForeignLayer;
        if (layerType == OciLayerZstd || layerType == OciNondistributableLayerZstd
            || layerType == OciNondistributableLayer)
            return std::nullopt;
        return layerType;
    }
    if (layerType == DockerLayer)
        return OciLayerGzip;
    if (layerType == DockerLayerUncompressed)
        return OciLayer;
    if (layerType == DockerForeignLayer)
        return OciNondistributableLayerGzip;
    return layerType;
}

} // namespace Restack::Image::MediaType
