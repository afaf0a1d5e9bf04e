// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "common/result.h"
#include "image/digest.h"
#include "image/platform.h"

namespace Restack::Image
{

/** One entry of an image config's "history" (OCI image spec config.md §"history"). */
struct HistoryEntry
{
    QString created;
    QString createdBy;
    QString author;
    QString comment;
    bool emptyLayer = false; ///< true when the step made no filesystem layer (ENV, CMD, ...)
    QJsonObject json;        ///< the entry as read, with unknown fields

    /** True when both describe the same build step (created_by, empty_layer, comment). */
    bool sameStep(const HistoryEntry &other) const;
};

/**
 * An image config (OCI image spec config.md; Docker's application/vnd.docker.container.image.v1+json
 * has the same shape). The raw bytes and JSON are kept so that a rebase edits only what it must.
 */
class ImageConfig
{
public:
    /**
     * Parses config bytes. Errors (InvalidContent): invalid JSON or not an object; rootfs missing,
     * rootfs.type other than "layers", rootfs.diff_ids not an array of valid digests; history not
     * an array of objects. Unknown fields are kept.
     */
    static Result<ImageConfig> parse(const QByteArray &raw);

    const QByteArray &raw() const { return m_raw; }
    const QJsonObject &json() const { return m_json; }
    Digest digest() const { return Digest::of(m_raw); }

    Platform platform() const { return Platform::fromConfigJson(m_json); }
    /** Uncompressed layer digests, base first: one per layer of the manifest. */
    const QList<Digest> &diffIds() const { return m_diffIds; }
    const QList<HistoryEntry> &history() const { return m_history; }
    /** The number of history entries that made a layer (empty_layer false). */
    qsizetype nonEmptyHistoryCount() const;

    QString created() const { return m_json.value(QLatin1String("created")).toString(); }
    QString author() const { return m_json.value(QLatin1String("author")).toString(); }
    /** The container config ("config" object): Env, Entrypoint, Cmd, Labels, WorkingDir, User, ... */
    QJsonObject containerConfig() const { return m_json.value(QLatin1String("config")).toObject(); }
    QStringList entrypoint() const;
    QStringList cmd() const;
    QStringList env() const;
    QJsonObject labels() const { return containerConfig().value(QLatin1String("Labels")).toObject(); }

private:
    QByteArray m_raw;
    QJsonObject m_json;
    QList<Digest> m_diffIds;
    QList<HistoryEntry> m_history;
};

} // namespace Restack::Image
