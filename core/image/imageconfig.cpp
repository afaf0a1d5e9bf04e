// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/imageconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Restack::Image
{

namespace
{
Error invalid(const QString &what)
{
    return Error::make(Error::Kind::InvalidContent, QStringLiteral("invalid image config: %1").arg(what));
}

QStringList stringArray(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list << v.toString();
    return list;
}
} // namespace

bool HistoryEntry::sameStep(const HistoryEntry &other) const
{
    return createdBy == other.createdBy && emptyLayer == other.emptyLayer && comment == other.comment;
}

Result<ImageConfig> ImageConfig::parse(const QByteArray &raw)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return invalid(QStringLiteral("not a JSON object"));

    ImageConfig config;
    config.m_raw = raw;
    config.m_json = document.object();

    const QJsonValue rootfs = config.m_json.value(QLatin1String("rootfs"));
    if (!rootfs.isObject())
        return invalid(QStringLiteral("\"rootfs\" is missing or not an object"));
    const QJsonValue type = rootfs.toObject().value(QLatin1String("type"));
    if (type.toString() != QLatin1String("layers"))
        return invalid(QStringLiteral("rootfs.type must be \"layers\""));
    const QJsonValue diffIds = rootfs.toObject().value(QLatin1String("diff_ids"));
    if (!diffIds.isArray())
        return invalid(QStringLiteral("rootfs.diff_ids is missing or not an array"));
    const QJsonArray ids = diffIds.toArray();
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (!ids.at(i).isString())
            return invalid(QStringLiteral("rootfs.diff_ids[%1] is not a string").arg(i));
        auto digest = Digest::parse(ids.at(i).toString());
        if (!digest) {
            Error e = digest.error();
            if (e.kind == Error::Kind::InvalidInput)
                e.kind = Error::Kind::InvalidContent;
            return e.prefixed(QStringLiteral("invalid image config: rootfs.diff_ids[%1]").arg(i));
        }
        config.m_diffIds << digest.value();
    }

    const QJsonValue history = config.m_json.value(QLatin1String("history"));
    if (!history.isUndefined() && !history.isNull()) {
        if (!history.isArray())
            return invalid(QStringLiteral("history is not an array"));
        const QJsonArray entries = history.toArray();
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (!entries.at(i).isObject())
                return invalid(QStringLiteral("history[%1] is not an object").arg(i));
            const QJsonObject object = entries.at(i).toObject();
            HistoryEntry entry;
            entry.json = object;
            entry.created = object.value(QLatin1String("created")).toString();
            entry.createdBy = object.value(QLatin1String("created_by")).toString();
            entry.author = object.value(QLatin1String("author")).toString();
            entry.comment = object.value(QLatin1String("comment")).toString();
            const QJsonValue empty = object.value(QLatin1String("empty_layer"));
            if (!empty.isUndefined() && !empty.isBool())
                return invalid(QStringLiteral("history[%1].empty_layer is not a boolean").arg(i));
            entry.emptyLayer = empty.toBool(false);
            config.m_history << entry;
        }
    }
    const QJsonValue containerConfig = config.m_json.value(QLatin1String("config"));
    if (!containerConfig.isUndefined() && !containerConfig.isNull() && !containerConfig.isObject())
        return invalid(QStringLiteral("\"config\" is not an object"));
    return config;
}

qsizetype ImageConfig::nonEmptyHistoryCount() const
{
    qsizetype count = 0;
    for (const HistoryEntry &entry : m_history) {
        if (!entry.emptyLayer)
            ++count;
    }
    return count;
}

QStringList ImageConfig::entrypoint() const
{
    return stringArray(containerConfig().value(QLatin1String("Entrypoint")));
}

QStringList ImageConfig::cmd() const
{
    return stringArray(containerConfig().value(QLatin1String("Cmd")));
}

QStringList ImageConfig::env() const
{
    return stringArray(containerConfig().value(QLatin1String("Env")));
}

} // namespace Restack::Image
