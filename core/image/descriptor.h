// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

#include "common/result.h"
#include "image/digest.h"
#include "image/platform.h"

namespace Restack::Image
{

/**
 * @p a + @p b in bytes, saturating at the largest qint64 instead of overflowing: sums of
 * descriptor sizes come from registries and may be absurd (each size may be up to 9e15).
 */
inline qint64 addSizes(qint64 a, qint64 b)
{
    qint64 sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<qint64>::max() : sum;
}

/**
 * A content descriptor (OCI image spec §"Content Descriptors"): media type, digest and size in
 * bytes of the content it points to, plus optional urls, annotations and platform. The JSON it
 * was read from is kept so that unknown fields survive a rewrite.
 */
struct Descriptor
{
    QString mediaType;
    Digest digest;
    qint64 size = 0; ///< bytes
    QStringList urls;
    QJsonObject annotations;
    std::optional<Platform> platform;
    QJsonObject json; ///< the descriptor as read, including unknown fields

    /**
     * Reads a descriptor. Errors (InvalidContent, naming @p where): not an object, missing or
     * non-string mediaType, missing or malformed digest, size missing, negative or not an integer.
     * An unknown digest algorithm is Unsupported.
     */
    static Result<Descriptor> fromJson(const QJsonValue &value, const QString &where);

    /** The descriptor as JSON: the original object with mediaType, digest, size and platform updated. */
    QJsonObject toJson() const;

    bool isForeign() const;
};

} // namespace Restack::Image
