// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Restack::Image
{

namespace
{
Error invalid(const QString &what)
{
    return Error::make(Error::Kind::InvalidContent, QStringLiteral("invalid manifest: %1").arg(what));
}

Result<QList<Descriptor>> descriptors(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isArray())
        return invalid(QStringLiteral("\"%1\" is missing or not an array").arg(QLatin1String(key)));
    QList<Descriptor> list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto d = Descriptor::fromJson(array.at(i), QStringLiteral("invalid manifest: %1[%2]").arg(QLatin1String(key)).arg(i));
        if (!d)
            return d.error();
        list << d.value();
    }
    return list;
}

// The Content-Type may carry parameters ("; charset=utf-8").
QString bareType(const QString &contentType)
{
    return contentType.section(QLatin1Char(';'), 0, 0).trimmed();
}
} // namespace

Result<Manifest> Manifest::parse(const QByteArray &raw, const QString &contentType)
{
    if (raw.size() > MaxBytes)
        return Error::make(Error::Kind::TooLarge,
                           QStringLiteral("manifest is %1 bytes; Restack refuses manifests over %2 bytes (4 MiB)")
                               .arg(raw.size())
                               .arg(MaxBytes));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return invalid(QStringLiteral("not a JSON object"));

    Manifest m;
    m.m_raw = raw;
    m.m_digest = Digest::of(raw);
    m.m_json = document.object();

    const QJsonValue schemaVersion = m.m_json.value(QLatin1String("schemaVersion"));
    const QJsonValue mediaTypeField = m.m_json.value(QLatin1String("mediaType"));
    const QString declared = mediaTypeField.toString();
    const QString header = bareType(contentType);
    if (schemaVersion.toInteger(-1) == 1 || declared == MediaType::DockerSchema1 || declared == MediaType::DockerSchema1Signed
        || header == MediaType::DockerSchema1 || header == MediaType::DockerSchema1Signed)
        return Error::make(Error::Kind::Unsupported,
                           QStringLiteral("Docker schema 1 manifests are deprecated and not supported"),
                           QStringLiteral("push the image again with a current client to get a schema 2 or OCI manifest"));
    if (!schemaVersion.isDouble() || schemaVersion.toInteger(-1) != 2)
        return invalid(QStringLiteral("schemaVersion must be 2"));
    if (!mediaTypeField.isUndefined() && !mediaTypeField.isString())
        return invalid(QStringLiteral("mediaType is not a string"));

    const bool hasManifests = m.m_json.contains(QLatin1String("manifests"));
    const bool hasLayers = m.m_json.contains(QLatin1String("layers")) || m.m_json.contains(QLatin1String("config"));
    if (!declared.isEmpty()) {
        m.m_mediaType = declared;
    } else if (MediaType::isManifest(header)) {
        m.m_mediaType = header;
    } else if (hasManifests && !hasLayers) {
        m.m_mediaType = MediaType::OciIndex;
    } else if (hasLayers && !hasManifests) {
        m.m_mediaType = MediaType::OciManifest;
    } else {
        return invalid(QStringLiteral("no mediaType, and neither a \"manifests\" array nor \"config\" and \"layers\""));
    }
    const auto family = MediaType::familyOf(m.m_mediaType);
    if (!family)
        return Error::make(Error::Kind::Unsupported,
                           QStringLiteral("unsupported manifest media type \"%1\"").arg(m.m_mediaType));
    m.m_family = *family;
    m.m_isIndex = MediaType::isIndex(m.m_mediaType);

    if (m.m_isIndex) {
        if (hasLayers)
            return invalid(QStringLiteral("media type %1 is an index but it has config/layers").arg(m.m_mediaType));
        auto children = descriptors(m.m_json, "manifests");
        if (!children)
            return children.error();
        m.m_manifests = children.value();
    } else {
        if (hasManifests)
            return invalid(QStringLiteral("media type %1 is an image manifest but it has \"manifests\"").arg(m.m_mediaType));
        auto config = Descriptor::fromJson(m.m_json.value(QLatin1String("config")), QStringLiteral("invalid manifest: config"));
        if (!config)
            return config.error();
        m.m_config = config.value();
        auto layers = descriptors(m.m_json, "layers");
        if (!layers)
            return layers.error();
        m.m_layers = layers.value();
    }
    const QJsonValue annotations = m.m_json.value(QLatin1String("annotations"));
    if (!annotations.isUndefined() && !annotations.isObject())
        return invalid(QStringLiteral("annotations is not an object"));
    return m;
}

Digest Manifest::digest(Digest::Algorithm algorithm) const
{
    return algorithm == m_digest.algorithm() ? m_digest : Digest::of(m_raw, algorithm);
}

Descriptor Manifest::descriptor() const
{
    Descriptor d;
    d.mediaType = m_mediaType;
    d.digest = m_digest;
    d.size = m_raw.size();
    return d;
}

qint64 Manifest::layersSize() const
{
    qint64 total = 0;
    for (const Descriptor &layer : m_layers)
        total = addSizes(total, layer.size);
    return total;
}

} // namespace Restack::Image
