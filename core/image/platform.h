// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "common/result.h"

namespace Restack::Image
{

/**
 * The platform an image runs on (OCI image index spec §"platform"; the same fields appear at the
 * top level of an image config): os, architecture, optional variant, os.version and os.features.
 */
struct Platform
{
    QString os;
    QString architecture;
    QString variant;
    QString osVersion;
    QStringList osFeatures;

    bool isEmpty() const { return os.isEmpty() && architecture.isEmpty(); }

    /** Parses "os/architecture[/variant]", e.g. "linux/arm/v7". Errors: InvalidInput. */
    static Result<Platform> parse(const QString &text);
    /** Reads the fields of an index descriptor's "platform" object. */
    static Platform fromIndexJson(const QJsonObject &object);
    /** Reads the top-level platform fields of an image config. */
    static Platform fromConfigJson(const QJsonObject &config);

    /** "os/architecture[/variant]"; with @p withVersion also " (os.version)". */
    QString toString(bool withVersion = false) const;

    /**
     * True when both describe the same runnable platform: same os and architecture, and the same
     * variant after normalisation (arm64 implies v8; an empty variant matches the default one).
     * For Windows, os.version must match on major.minor.build when both have it.
     */
    bool matches(const Platform &other) const;

    /**
     * True when an index may not hold both (image index spec, "manifests"): same os, architecture,
     * normalised variant and exact os.version; os.features are not compared.
     */
    bool sameIndexEntry(const Platform &other) const;

    /** This platform with every field that @p overrides sets (non-empty) taken from @p overrides. */
    Platform overriddenBy(const Platform &overrides) const;

    /** Variant with architecture defaults filled in (arm64 → v8). */
    QString normalisedVariant() const;

    /** "linux/amd64, windows/amd64 (10.0.17763.1)": each with its os.version, comma-separated. */
    static QString joined(const QList<Platform> &platforms);

    friend bool operator==(const Platform &a, const Platform &b) = default;
};

} // namespace Restack::Image
