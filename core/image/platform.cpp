// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/platform.h"

#include <QJsonArray>

namespace Restack::Image
{

namespace
{
QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        if (v.isString())
            list << v.toString();
    }
    return list;
}

QString windowsBuild(const QString &osVersion)
{
    // 10.0.14393.1715 -> 10.0.14393
    return osVersion.section(QLatin1Char('.'), 0, 2);
}
} // namespace

Result<Platform> Platform::parse(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('/'));
    if (parts.size() < 2 || parts.size() > 3 || parts.contains(QString()))
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("invalid platform \"%1\": expected OS/ARCHITECTURE[/VARIANT], e.g. linux/arm64")
                               .arg(text));
    Platform platform;
    platform.os = parts.at(0);
    platform.architecture = parts.at(1);
    if (parts.size() == 3)
        platform.variant = parts.at(2);
    return platform;
}

Platform Platform::fromIndexJson(const QJsonObject &object)
{
    Platform platform;
    platform.os = object.value(QLatin1String("os")).toString();
    platform.architecture = object.value(QLatin1String("architecture")).toString();
    platform.variant = object.value(QLatin1String("variant")).toString();
    platform.osVersion = object.value(QLatin1String("os.version")).toString();
    platform.osFeatures = stringList(object.value(QLatin1String("os.features")));
    return platform;
}

Platform Platform::fromConfigJson(const QJsonObject &config)
{
    return fromIndexJson(config);
}

QString Platform::toString(bool withVersion) const
{
    QString text = os + QLatin1Char('/') + architecture;
    if (!variant.isEmpty())
        text += QLatin1Char('/') + variant;
    if (withVersion && !osVersion.isEmpty())
        text += QStringLiteral(" (") + osVersion + QLatin1Char(')');
    return text;
}

QString Platform::normalisedVariant() const
{
    if (variant.isEmpty() && (architecture == QLatin1String("arm64") || architecture == QLatin1String("aarch64")))
        return QStringLiteral("v8");
    return variant;
}

bool Platform::sameIndexEntry(const Platform &other) const
{
    return os == other.os && architecture == other.architecture && normalisedVariant() == other.normalisedVariant()
        && osVersion == other.osVersion;
}

Platform Platform::overriddenBy(const Platform &overrides) const
{
    Platform result = *this;
    if (!overrides.os.isEmpty())
        result.os = overrides.os;
    if (!overrides.architecture.isEmpty())
        result.architecture = overrides.architecture;
    if (!overrides.variant.isEmpty())
        result.variant = overrides.variant;
    if (!overrides.osVersion.isEmpty())
        result.osVersion = overrides.osVersion;
    if (!overrides.osFeatures.isEmpty())
        result.osFeatures = overrides.osFeatures;
    return result;
}

QString Platform::joined(const QList<Platform> &platforms)
{
    QStringList names;
    for (const Platform &p : platforms)
        names << p.toString(true);
    return names.join(QStringLiteral(", "));
}

bool Platform::matches(const Platform &other) const
{
    if (os != other.os || architecture != other.architecture)
        return false;
    if (normalisedVariant() != other.normalisedVariant())
        return false;
    if (os == QLatin1String("windows") && !osVersion.isEmpty() && !other.osVersion.isEmpty())
        return windowsBuild(osVersion) == windowsBuild(other.osVersion);
    return true;
}

} // namespace Restack::Image
