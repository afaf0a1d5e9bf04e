// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/descriptor.h"

#include <QJsonArray>

#include <cmath>

#include "image/mediatypes.h"

namespace Restack::Image
{

namespace
{
Error invalid(const QString &where, const QString &what)
{
    return Error::make(Error::Kind::InvalidContent, QStringLiteral("%1: %2").arg(where, what));
}
} // namespace

Result<Descriptor> Descriptor::fromJson(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return invalid(where, QStringLiteral("descriptor is not a JSON object"));
    const QJsonObject object = value.toObject();
    Descriptor d;
    d.json = object;

    const QJsonValue mediaType = object.value(QLatin1String("mediaType"));
    if (!mediaType.isString() || mediaType.toString().isEmpty())
        return invalid(where, QStringLiteral("descriptor has no mediaType string"));
    d.mediaType = mediaType.toString();

    const QJsonValue digest = object.value(QLatin1String("digest"));
    if (!digest.isString())
        return invalid(where, QStringLiteral("descriptor has no digest string"));
    auto parsed = Digest::parse(digest.toString());
    if (!parsed) {
        Error e = parsed.error();
        if (e.kind == Error::Kind::InvalidInput)
            e.kind = Error::Kind::InvalidContent;
        return e.prefixed(where);
    }
    d.digest = parsed.value();

    const QJsonValue size = object.value(QLatin1String("size"));
    if (!size.isDouble())
        return invalid(where, QStringLiteral("descriptor has no numeric size"));
    const double sizeValue = size.toDouble();
    if (sizeValue < 0 || std::floor(sizeValue) != sizeValue || sizeValue > 9.0e15)
        return invalid(where, QStringLiteral("descriptor size %1 is not a non-negative integer").arg(sizeValue));
    d.size = size.toInteger();

    const QJsonValue urls = object.value(QLatin1String("urls"));
    if (!urls.isUndefined()) {
        if (!urls.isArray())
            return invalid(where, QStringLiteral("descriptor urls is not an array"));
        for (const QJsonValue &url : urls.toArray()) {
            if (!url.isString())
                return invalid(where, QStringLiteral("descriptor urls holds a non-string"));
            d.urls << url.toString();
        }
    }
    const QJsonValue annotations = object.value(QLatin1String("annotations"));
    if (!annotations.isUndefined()) {
        if (!annotations.isObject())
            return invalid(where, QStringLiteral("descriptor annotations is not an object"));
        d.annotations = annotations.toObject();
    }
    const QJsonValue platform = object.value(QLatin1String("platform"));
    if (!platform.isUndefined()) {
        if (!platform.isObject())
            return invalid(where, QStringLiteral("descriptor platform is not an object"));
        d.platform = Platform::fromIndexJson(platform.toObject());
    }
    return d;
}

QJsonObject Descriptor::toJson() const
{
    QJsonObject object = json;
    object.insert(QLatin1String("mediaType"), mediaType);
    object.insert(QLatin1String("digest"), digest.toString());
    object.insert(QLatin1String("size"), size);
    if (!annotations.isEmpty())
        object.insert(QLatin1String("annotations"), annotations);
    else
        object.remove(QLatin1String("annotations"));
    if (platform) {
        QJsonObject p = object.value(QLatin1String("platform")).toObject();
        p.insert(QLatin1String("os"), platform->os);
        p.insert(QLatin1String("architecture"), platform->architecture);
        auto setOrRemove = [&p](const char *key, const QString &value) {
            if (value.isEmpty())
                p.remove(QLatin1String(key));
            else
                p.insert(QLatin1String(key), value);
        };
        setOrRemove("variant", platform->variant);
        setOrRemove("os.version", platform->osVersion);
        if (platform->osFeatures.isEmpty())
            p.remove(QLatin1String("os.features"));
        else
            p.insert(QLatin1String("os.features"), QJsonArray::fromStringList(platform->osFeatures));
        object.insert(QLatin1String("platform"), p);
    }
    return object;
}

bool Descriptor::isForeign() const
{
    return MediaType::isForeignLayer(mediaType);
}

} // namespace Restack::Image
