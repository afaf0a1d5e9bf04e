// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

#include "common/result.h"
#include "image/mediatypes.h"
#include "image/platform.h"
#include "image/reference.h"

namespace Restack::Index
{

/** One image of an index to assemble, with platform fields that override what its config says. */
struct IndexEntry
{
    Image::Reference image;
    /**
     * Overrides: each non-empty field replaces the one read from the image's config (os,
     * architecture, variant, os.version, os.features). When the image is itself an index, the
     * child of this platform is taken.
     */
    std::optional<Image::Platform> platform;
};

/** An index (OCI image index or Docker manifest list) to assemble and push. */
struct IndexRequest
{
    Image::Reference target;                       ///< REPOSITORY:TAG the index is pushed to
    QStringList extraTags;                         ///< further tags of the same repository
    QList<IndexEntry> entries;
    std::optional<Image::MediaType::Family> type;  ///< unset: the children's family
    QJsonObject annotations;                       ///< index annotations (OCI only)
    bool dryRun = false;
};

/**
 * Parses an entry argument of `restack manifest create`: "IMAGE[,platform=OS/ARCH[/VARIANT]]
 * [,os.version=VERSION][,os.features=F1;F2]" (references never contain commas). Errors:
 * InvalidInput naming the bad part.
 */
Result<IndexEntry> parseEntry(const QString &text);

/**
 * Parses manifest-tool's YAML spec (`manifest-tool push from-spec`): `image` (the target),
 * `tags` (extra tags), `manifests[]` with `image` and `platform` (`architecture`, `os`,
 * `variant`, `os.version` or `osversion`, `features`/`os.features`/`osfeatures`), and
 * `annotations`. Unknown keys are rejected so that typos do not pass silently. Errors:
 * InvalidInput with the YAML line and what is wrong.
 */
Result<IndexRequest> parseSpec(const QByteArray &yaml);

} // namespace Restack::Index
