// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/plan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "image/mediatypes.h"

namespace Restack::Rebase
{

using Image::Descriptor;
using Image::Digest;
using Image::HistoryEntry;
using Image::Platform;

QString originName(Origin origin)
{
    switch (origin) {
    case Origin::OldBase: return QStringLiteral("old base");
    case Origin::NewBase: return QStringLiteral("new base");
    case Origin::App: return QStringLiteral("app");
    }
    return {};
}

int Plan::appLayerCount() const
{
    int n = 0;
    for (const StackLayer &l : newStack) {
        if (l.origin == Origin::App)
            ++n;
    }
    return n;
}

qint64 Plan::bytesRemoved() const
{
    qint64 total = 0;
    for (const StackLayer &l : oldStack) {
        if (l.origin == Origin::OldBase)
            total = Image::addSizes(total, l.descriptor.size);
    }
    return total;
}

qint64 Plan::bytesAdded() const
{
    qint64 total = 0;
    for (const StackLayer &l : newStack) {
        if (l.origin == Origin::NewBase)
            total = Image::addSizes(total, l.descriptor.size);
    }
    return total;
}

namespace
{

QString shortText(const QString &text, int max = 60)
{
    const QString simplified = text.simplified();
    return simplified.size() <= max ? simplified : simplified.left(max - 1) + QChar(0x2026);
}

Error consistencyError(const QString &role, const ImageData &image)
{
    return Error::make(Error::Kind::InvalidContent,
                       QStringLiteral("the %1 %2 is inconsistent: its manifest has %3 layers but its config lists %4 diff_ids")
                           .arg(role, image.reference.toString())
                           .arg(image.manifest.layers().size())
                           .arg(image.config.diffIds().size()));
}

Result<void> checkPlatform(const QString &role, const ImageData &image, const Platform &sourcePlatform,
                           const ImageData &source)
{
    const Platform p = image.config.platform();
    if (p.os != sourcePlatform.os || p.architecture != sourcePlatform.architecture
        || p.normalisedVariant() != sourcePlatform.normalisedVariant()) {
        return Error::make(Error::Kind::PlatformMismatch,
                           QStringLiteral("the %1 %2 is %3 but the source %4 is %5")
                               .arg(role, image.reference.toString(), p.toString(), source.reference.toString(),
                                    sourcePlatform.toString()),
                           QStringLiteral("choose %1 %2 with the source's platform (%3)")
                               .arg(role.startsWith(QLatin1Char('o')) ? QStringLiteral("an") : QStringLiteral("a"), role,
                                    sourcePlatform.toString()));
    }
    return {};
}

// The history entry that made each layer, by walking the non-empty entries (when they match).
QStringList layerCreators(const QList<HistoryEntry> &history, qsizetype layers)
{
    QStringList creators;
    for (const HistoryEntry &entry : history) {
        if (!entry.emptyLayer)
            creators << entry.createdBy;
    }
    if (creators.size() != layers)
        return QStringList(layers, QString());
    return creators;
}

QJsonArray historyJson(const QList<HistoryEntry> &entries)
{
    QJsonArray array;
    for (const HistoryEntry &entry : entries)
        array.append(entry.json);
    return array;
}

qsizetype nonEmpty(const QList<HistoryEntry> &entries)
{
    qsizetype n = 0;
    for (const HistoryEntry &e : entries) {
        if (!e.emptyLayer)
            ++n;
    }
    return n;
}

HistoryEntry synthesizedEntry(const QString &what)
{
    HistoryEntry entry;
    entry.createdBy = what;
    entry.comment = QStringLiteral("history entry added by restack: the image had none for this layer");
    QJsonObject json;
    json.insert(QLatin1String("created_by"), entry.createdBy);
    json.insert(QLatin1String("comment"), entry.comment);
    entry.json = json;
    return entry;
}

void setOrRemove(QJsonObject &object, const char *key, const QJsonValue &value)
{
    const bool empty = value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty())
        || (value.isArray() && value.toArray().isEmpty());
    if (empty)
        object.remove(QLatin1String(key));
    else
        object.insert(QLatin1String(key), value);
}

} // namespace

Result<Plan> planRebase(const ImageData &source, const ImageData &oldBase, const ImageData &newBase)
{
    const auto &srcLayers = source.manifest.layers();
    const auto &oldLayers = oldBase.manifest.layers();
    const auto &newLayers = newBase.manifest.layers();
    const auto &srcDiffs = source.config.diffIds();
    const auto &oldDiffs = oldBase.config.diffIds();
    const auto &newDiffs = newBase.config.diffIds();

    if (source.manifest.isIndex() || oldBase.manifest.isIndex() || newBase.manifest.isIndex())
        return Error::make(Error::Kind::Internal, QStringLiteral("planRebase needs image manifests, not indexes"));
    if (srcDiffs.size() != srcLayers.size())
        return consistencyError(QStringLiteral("source"), source);
    if (oldDiffs.size() != oldLayers.size())
        return consistencyError(QStringLiteral("old base"), oldBase);
    if (newDiffs.size() != newLayers.size())
        return consistencyError(QStringLiteral("new base"), newBase);

    const Platform platform = source.config.platform();
    if (auto r = checkPlatform(QStringLiteral("old base"), oldBase, platform, source); !r)
        return r.error();
    if (auto r = checkPlatform(QStringLiteral("new base"), newBase, platform, source); !r)
        return r.error();

    Plan plan;
    plan.source = source;
    plan.oldBase = oldBase;
    plan.newBase = newBase;

    // --- the old base must be a prefix of the source -------------------------------------------
    const qsizetype nOld = oldLayers.size();
    const QString notPrefixHint = QStringLiteral("pass the exact image the source was built on as --old-base");
    if (nOld > srcLayers.size())
        return Error::make(Error::Kind::NotPrefix,
                           QStringLiteral("the old base %1 has %2 layers but the source %3 has only %4")
                               .arg(oldBase.reference.toString())
                               .arg(nOld)
                               .arg(source.reference.toString())
                               .arg(srcLayers.size()),
                           notPrefixHint);
    for (qsizetype i = 0; i < nOld; ++i) {
        if (srcLayers[i].digest == oldLayers[i].digest)
            continue;
        if (srcDiffs[i] == oldDiffs[i]) {
            plan.notes << QStringLiteral("layer %1 matches the old base by diff_id (%2) but is compressed differently "
                                         "(%3 in the source, %4 in the old base)")
                              .arg(i)
                              .arg(srcDiffs[i].shortString(), srcLayers[i].digest.shortString(),
                                   oldLayers[i].digest.shortString());
            continue;
        }
        return Error::make(Error::Kind::NotPrefix,
                           QStringLiteral("the old base %1 is not a prefix of the source %2: layer %3 differs (source %4, "
                                          "diff_id %5; old base %6, diff_id %7)")
                               .arg(oldBase.reference.toString(), source.reference.toString())
                               .arg(i)
                               .arg(srcLayers[i].digest.toString(), srcDiffs[i].toString(), oldLayers[i].digest.toString(),
                                    oldDiffs[i].toString()),
                           notPrefixHint);
    }

    const QList<HistoryEntry> &srcHistory = source.config.history();
    const QList<HistoryEntry> &oldHistory = oldBase.config.history();
    QList<HistoryEntry> appHistory;
    if (!oldHistory.isEmpty() && !srcHistory.isEmpty()) {
        if (oldHistory.size() > srcHistory.size())
            return Error::make(Error::Kind::NotPrefix,
                               QStringLiteral("the old base %1 has %2 history entries but the source %3 has only %4")
                                   .arg(oldBase.reference.toString())
                                   .arg(oldHistory.size())
                                   .arg(source.reference.toString())
                                   .arg(srcHistory.size()),
                               notPrefixHint);
        for (qsizetype j = 0; j < oldHistory.size(); ++j) {
            if (!srcHistory[j].sameStep(oldHistory[j]))
                return Error::make(Error::Kind::NotPrefix,
                                   QStringLiteral("the old base %1 is not a prefix of the source %2: history entry %3 differs "
                                                  "(source \"%4\"%5, old base \"%6\"%7)")
                                       .arg(oldBase.reference.toString(), source.reference.toString())
                                       .arg(j)
                                       .arg(shortText(srcHistory[j].createdBy),
                                            srcHistory[j].emptyLayer ? QStringLiteral(" empty") : QString(),
                                            shortText(oldHistory[j].createdBy),
                                            oldHistory[j].emptyLayer ? QStringLiteral(" empty") : QString()),
                                   notPrefixHint);
        }
        appHistory = srcHistory.mid(oldHistory.size());
    } else if (!srcHistory.isEmpty()) {
        // The old base has no history: its part of the source's history ends with its last layer's entry.
        qsizetype cut = 0;
        qsizetype seen = 0;
        while (cut < srcHistory.size() && seen < nOld) {
            if (!srcHistory[cut].emptyLayer)
                ++seen;
            ++cut;
        }
        appHistory = srcHistory.mid(cut);
    }

    // --- the result's layers ------------------------------------------------------------------------
    const Image::MediaType::Family family = source.manifest.family();
    QJsonArray layersJson;
    const QStringList newCreators = layerCreators(newBase.config.history(), newLayers.size());
    const QStringList srcCreators = layerCreators(srcHistory, srcLayers.size());
    bool converted = false;
    for (qsizetype i = 0; i < newLayers.size(); ++i) {
        Descriptor d = newLayers[i];
        const auto type = Image::MediaType::convertLayerType(d.mediaType, family);
        if (!type)
            return Error::make(Error::Kind::Unsupported,
                               QStringLiteral("layer %1 of the new base %2 has media type %3, which a %4 manifest cannot "
                                              "express")
                                   .arg(i)
                                   .arg(newBase.reference.toString(), d.mediaType, Image::MediaType::familyName(family)),
                               QStringLiteral("use a new base with gzip layers, or an OCI source image"));
        if (*type != d.mediaType)
            converted = true;
        d.mediaType = *type;
        layersJson.append(d.toJson());
        plan.newStack.append({int(i), d, newDiffs[i], Origin::NewBase, newCreators.value(i)});
    }
    if (converted)
        plan.notes << QStringLiteral("the new base's layer media types were converted to %1 equivalents")
                          .arg(Image::MediaType::familyName(family));
    for (qsizetype i = 0; i < srcLayers.size(); ++i) {
        const Origin origin = i < nOld ? Origin::OldBase : Origin::App;
        plan.oldStack.append({int(i), srcLayers[i], srcDiffs[i], origin, srcCreators.value(i)});
        if (origin == Origin::App) {
            layersJson.append(srcLayers[i].json);
            plan.newStack.append({int(newLayers.size() + (i - nOld)), srcLayers[i], srcDiffs[i], Origin::App,
                                  srcCreators.value(i)});
        }
    }
    if (nOld == srcLayers.size())
        plan.notes << QStringLiteral("the source has no layers of its own: the result has the new base's layers and "
                                     "the source's config");

    // --- the result's config -------------------------------------------------------------------------
    QJsonObject config = source.config.json();
    QJsonObject rootfs = config.value(QLatin1String("rootfs")).toObject();
    QJsonArray diffIds;
    for (const Digest &d : newDiffs)
        diffIds.append(d.toString());
    for (qsizetype i = nOld; i < srcDiffs.size(); ++i)
        diffIds.append(srcDiffs[i].toString());
    rootfs.insert(QLatin1String("diff_ids"), diffIds);
    config.insert(QLatin1String("rootfs"), rootfs);

    const qsizetype nApp = srcLayers.size() - nOld;
    QList<HistoryEntry> baseHistory = newBase.config.history();
    if (!baseHistory.isEmpty() && nonEmpty(baseHistory) != newLayers.size()) {
        plan.notes << QStringLiteral("the new base's history does not match its layers; its entries were replaced");
        baseHistory.clear();
    }
    if (!appHistory.isEmpty() && nonEmpty(appHistory) != nApp) {
        plan.notes << QStringLiteral("the source's history does not match its own layers; its entries were replaced");
        appHistory.clear();
    }
    const bool anyHistory = !newBase.config.history().isEmpty() || !srcHistory.isEmpty();
    if (anyHistory) {
        if (baseHistory.isEmpty()) {
            for (qsizetype i = 0; i < newLayers.size(); ++i)
                baseHistory << synthesizedEntry(QStringLiteral("layer %1 of %2").arg(i).arg(newBase.reference.toString()));
        }
        if (appHistory.isEmpty()) {
            for (qsizetype i = 0; i < nApp; ++i)
                appHistory << synthesizedEntry(QStringLiteral("layer %1 of %2").arg(nOld + i).arg(source.reference.toString()));
        }
        config.insert(QLatin1String("history"), historyJson(baseHistory + appHistory));
    } else {
        config.remove(QLatin1String("history"));
    }

    const QJsonObject newConfig = newBase.config.json();
    for (const char *key : {"os", "architecture", "variant", "os.version", "os.features"})
        setOrRemove(config, key, newConfig.value(QLatin1String(key)));

    plan.config = QJsonDocument(config).toJson(QJsonDocument::Compact);
    plan.configDescriptor = source.manifest.config();
    plan.configDescriptor.digest = Digest::of(plan.config);
    plan.configDescriptor.size = plan.config.size();

    // --- the result's manifest -------------------------------------------------------------------------
    QJsonObject manifest = source.manifest.json();
    manifest.insert(QLatin1String("config"), plan.configDescriptor.toJson());
    manifest.insert(QLatin1String("layers"), layersJson);
    if (family == Image::MediaType::Family::Oci) {
        QJsonObject annotations = manifest.value(QLatin1String("annotations")).toObject();
        // base.name is a pullable name (with its tag); base.digest pins the exact image manifest.
        const Image::Reference baseName = newBase.reference.withTag(newBase.reference.tag());
        annotations.insert(BaseNameAnnotation, baseName.toString());
        annotations.insert(BaseDigestAnnotation, newBase.manifest.digest().toString());
        manifest.insert(QLatin1String("annotations"), annotations);
    } else {
        plan.notes << QStringLiteral("Docker schema 2 manifests cannot carry the base annotations: a later rebase of the "
                                     "result needs --old-base %1")
                          .arg(newBase.pinned().toString());
    }
    plan.manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    plan.manifestMediaType = source.manifest.mediaType();
    plan.manifestDigest = Digest::of(plan.manifest);

    // The result must still be a consistent image.
    const auto check = Image::ImageConfig::parse(plan.config);
    if (!check || check->diffIds().size() != plan.newStack.size()
        || (!check->history().isEmpty() && check->nonEmptyHistoryCount() != plan.newStack.size()))
        return Error::make(Error::Kind::Internal, QStringLiteral("the planned config is inconsistent with its layers"));
    return plan;
}

} // namespace Restack::Rebase
