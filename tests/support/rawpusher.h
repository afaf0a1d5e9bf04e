// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "common/result.h"

namespace Restack::Test
{

/**
 * Pushes hand-made blobs and manifests to a registry over plain HTTP with the distribution API
 * (POST + PUT ?digest= monolithic uploads, PUT manifests), independently of restack's client: for
 * fixtures umoci and skopeo cannot make (indexes of separately built images, Windows-like images
 * whose base layers are foreign). Synchronous; test code only. Errors name the request and the
 * registry's answer.
 */
class RawPusher final
{
public:
    /** @p host: "127.0.0.1:PORT" of a plain-HTTP registry without authentication. */
    explicit RawPusher(QString host);

    /** Uploads @p data to @p repository; returns "sha256:<hex>". */
    Result<QString> pushBlob(const QString &repository, const QByteArray &data);

    /**
     * PUTs @p manifest exactly as given to @p repository under @p reference (a tag or a digest)
     * with Content-Type @p mediaType; returns its "sha256:<hex>".
     */
    Result<QString> pushManifest(const QString &repository, const QString &reference, const QByteArray &manifest,
                                 const QString &mediaType);

    /** GETs a manifest's exact bytes (Accept: every manifest type). */
    Result<QByteArray> manifest(const QString &repository, const QString &reference);

    /** Compact JSON bytes of @p object (what the tests push). */
    static QByteArray json(const QJsonObject &object);

private:
    QString m_host;
};

} // namespace Restack::Test
