// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "index/indexrequest.h"

#include <yaml-cpp/yaml.h>

#include <QSet>

namespace Restack::Index
{

namespace
{

Error invalid(const QString &message)
{
    return Error::make(Error::Kind::InvalidInput, message);
}

QString where(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? QString() : QStringLiteral(" (line %1)").arg(mark.line + 1);
}

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.as<std::string>());
}

Result<QStringList> stringList(const YAML::Node &node, const QString &key)
{
    QStringList list;
    if (node.IsScalar()) {
        list << text(node);
        return list;
    }
    if (!node.IsSequence())
        return invalid(QStringLiteral("spec: \"%1\" must be a list of strings%2").arg(key, where(node)));
    for (const YAML::Node &item : node) {
        if (!item.IsScalar())
            return invalid(QStringLiteral("spec: \"%1\" must hold strings%2").arg(key, where(item)));
        list << text(item);
    }
    return list;
}

Result<Image::Platform> platformOf(const YAML::Node &node)
{
    if (!node.IsMap())
        return invalid(QStringLiteral("spec: \"platform\" must be a mapping%1").arg(where(node)));
    Image::Platform platform;
    for (const auto &pair : node) {
        const QString key = text(pair.first);
        const YAML::Node &value = pair.second;
        if (key == QLatin1String("features") || key == QLatin1String("os.features") || key == QLatin1String("osfeatures")) {
            auto list = stringList(value, key);
            if (!list)
                return list.error();
            platform.osFeatures = list.value();
            continue;
        }
        if (!value.IsScalar())
            return invalid(QStringLiteral("spec: platform \"%1\" must be a string%2").arg(key, where(value)));
        if (key == QLatin1String("os"))
            platform.os = text(value);
        else if (key == QLatin1String("architecture"))
            platform.architecture = text(value);
        else if (key == QLatin1String("variant"))
            platform.variant = text(value);
        else if (key == QLatin1String("os.version") || key == QLatin1String("osversion"))
            platform.osVersion = text(value);
        else
            return invalid(QStringLiteral("spec: unknown platform key \"%1\"%2 (expected architecture, os, variant, "
                                          "os.version, features)")
                               .arg(key, where(pair.first)));
    }
    return platform;
}

Result<Image::Reference> referenceOf(const YAML::Node &node, const QString &key)
{
    if (!node.IsScalar())
        return invalid(QStringLiteral("spec: \"%1\" must be an image reference%2").arg(key, where(node)));
    auto ref = Image::Reference::parse(text(node));
    if (!ref) {
        Error e = ref.error();
        return e.prefixed(QStringLiteral("spec: \"%1\"%2").arg(key, where(node)));
    }
    return ref;
}

} // namespace

Result<IndexEntry> parseEntry(const QString &argument)
{
    const QStringList parts = argument.split(QLatin1Char(','));
    IndexEntry entry;
    auto ref = Image::Reference::parse(parts.first());
    if (!ref)
        return ref.error();
    entry.image = ref.value();
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString key = parts[i].section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = parts[i].section(QLatin1Char('='), 1).trimmed();
        if (value.isEmpty())
            return invalid(QStringLiteral("invalid entry \"%1\": \"%2\" has no value").arg(argument, key));
        Image::Platform platform = entry.platform.value_or(Image::Platform());
        if (key == QLatin1String("platform")) {
            auto parsed = Image::Platform::parse(value);
            if (!parsed)
                return parsed.error();
            platform.os = parsed->os;
            platform.architecture = parsed->architecture;
            platform.variant = parsed->variant;
        } else if (key == QLatin1String("os.version")) {
            platform.osVersion = value;
        } else if (key == QLatin1String("os.features")) {
            platform.osFeatures = value.split(QLatin1Char(';'), Qt::SkipEmptyParts);
        } else {
            return invalid(QStringLiteral("invalid entry \"%1\": unknown key \"%2\" (expected platform, os.version, "
                                          "os.features)")
                               .arg(argument, key));
        }
        entry.platform = platform;
    }
    return entry;
}

Result<IndexRequest> parseSpec(const QByteArray &yaml)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return invalid(QStringLiteral("spec: invalid YAML at line %1, column %2: %3")
                           .arg(e.mark.line + 1)
                           .arg(e.mark.column + 1)
                           .arg(QString::fromStdString(e.msg)));
    }
    try {
        if (!root.IsMap())
            return invalid(QStringLiteral("spec: the document must be a mapping with image, tags and manifests"));
        IndexRequest request;
        bool hasImage = false;
        for (const auto &pair : root) {
            const QString key = text(pair.first);
            const YAML::Node &value = pair.second;
            if (key == QLatin1String("image")) {
                auto ref = referenceOf(value, key);
                if (!ref)
                    return ref.error();
                request.target = ref.value();
                hasImage = true;
            } else if (key == QLatin1String("tags")) {
                auto tags = stringList(value, key);
                if (!tags)
                    return tags.error();
                request.extraTags = tags.value();
            } else if (key == QLatin1String("annotations")) {
                if (!value.IsMap())
                    return invalid(QStringLiteral("spec: \"annotations\" must be a mapping%1").arg(where(value)));
                for (const auto &a : value)
                    request.annotations.insert(text(a.first), text(a.second));
            } else if (key == QLatin1String("manifests")) {
                if (!value.IsSequence())
                    return invalid(QStringLiteral("spec: \"manifests\" must be a list%1").arg(where(value)));
                for (const YAML::Node &item : value) {
                    if (!item.IsMap())
                        return invalid(QStringLiteral("spec: each manifest must be a mapping%1").arg(where(item)));
                    IndexEntry entry;
                    bool hasEntryImage = false;
                    for (const auto &field : item) {
                        const QString name = text(field.first);
                        if (name == QLatin1String("image")) {
                            auto ref = referenceOf(field.second, QStringLiteral("manifests[].image"));
                            if (!ref)
                                return ref.error();
                            entry.image = ref.value();
                            hasEntryImage = true;
                        } else if (name == QLatin1String("platform")) {
                            auto platform = platformOf(field.second);
                            if (!platform)
                                return platform.error();
                            entry.platform = platform.value();
                        } else {
                            return invalid(QStringLiteral("spec: unknown manifest key \"%1\"%2 (expected image, platform)")
                                               .arg(name, where(field.first)));
                        }
                    }
                    if (!hasEntryImage)
                        return invalid(QStringLiteral("spec: a manifest entry has no image%1").arg(where(item)));
                    request.entries << entry;
                }
            } else {
                return invalid(QStringLiteral("spec: unknown key \"%1\"%2 (expected image, tags, manifests, annotations)")
                                   .arg(key, where(pair.first)));
            }
        }
        if (!hasImage)
            return invalid(QStringLiteral("spec: \"image\" (the index to push) is missing"));
        if (request.entries.isEmpty())
            return invalid(QStringLiteral("spec: \"manifests\" lists no image"));
        // The tag of "image" is the first tag; "tags" adds more in the same repository.
        if (request.target.tag().isEmpty() || request.target.hasDigest())
            return invalid(QStringLiteral("spec: \"image\" must name a tag (REPOSITORY:TAG), got \"%1\"")
                               .arg(request.target.toString()));
        QSet<QString> seen{request.target.tag()};
        QStringList tags;
        for (const QString &tag : std::as_const(request.extraTags)) {
            auto check = Image::Reference::parse(request.target.repositoryOnly().toString() + QLatin1Char(':') + tag);
            if (!check)
                return invalid(QStringLiteral("spec: invalid tag \"%1\" in \"tags\"").arg(tag));
            if (!seen.contains(tag))
                tags << tag;
            seen.insert(tag);
        }
        request.extraTags = tags;
        return request;
    } catch (const YAML::Exception &e) {
        return invalid(QStringLiteral("spec: %1 at line %2").arg(QString::fromStdString(e.msg)).arg(e.mark.line + 1));
    }
}

} // namespace Restack::Index
