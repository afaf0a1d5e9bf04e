// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

#include "common/result.h"
#include "image/digest.h"

namespace Restack::Image
{

/**
 * An image reference "[REGISTRY[:PORT]/]REPOSITORY[:TAG][@DIGEST]" parsed by the grammar of the
 * distribution reference package (github.com/distribution/reference, "reference.go"), with
 * Docker's normalisation:
 *  - the first path component is the registry when it contains '.' or ':', is "localhost", or is
 *    a bracketed IPv6 address; otherwise the registry is Docker Hub;
 *  - Docker Hub is called "docker.io" (also for "index.docker.io" and "registry-1.docker.io"),
 *    its API host is registry-1.docker.io, and one-component repositories get "library/";
 *  - without tag and digest the tag is "latest"; with both ("name:tag@digest") the digest is what
 *    is fetched and the tag is informational.
 */
class Reference
{
public:
    static inline const QString DockerHub = QStringLiteral("docker.io");
    static inline const QString DockerHubApiHost = QStringLiteral("registry-1.docker.io");

    Reference() = default;

    /**
     * Parses a full image reference. Errors (Kind::InvalidInput, message naming the reason):
     * empty input or components, uppercase repository, bad host or port, tag longer than 128
     * characters or with invalid characters, malformed digest, trailing separators, name longer
     * than 255 characters. A well-formed digest of an unknown algorithm is Kind::Unsupported.
     */
    static Result<Reference> parse(const QString &text);

    /**
     * Parses a repository reference "[REGISTRY/]REPOSITORY" (no tag and no digest allowed),
     * as taken by `restack tags`.
     */
    static Result<Reference> parseRepository(const QString &text);

    /** Parses a registry "HOST[:PORT]" (as taken by `restack catalog`); "docker.io" aliases map to Docker Hub. */
    static Result<QString> parseRegistry(const QString &text);

    /** Builds a reference to @p repository in @p registry, unvalidated parts assumed valid. */
    static Reference fromParts(const QString &registry, const QString &repository, const QString &tag = {},
                               const Digest &digest = {});

    bool isValid() const { return !m_repository.isEmpty(); }

    /** Registry host[:port] as named ("docker.io" for Docker Hub). */
    QString registry() const { return m_registry; }
    /** Host[:port] to send API requests to (registry-1.docker.io for Docker Hub). */
    QString apiHost() const { return apiHostFor(m_registry); }
    /** Repository path, e.g. "library/alpine". */
    QString repository() const { return m_repository; }
    /** Tag as written, empty when none was given. */
    QString tag() const { return m_tag; }
    /** Digest, invalid when none was given. */
    Digest digest() const { return m_digest; }
    bool hasDigest() const { return m_digest.isValid(); }

    /** What to ask the registry for: the digest when present, else the tag, else "latest". */
    QString identifier() const;

    /** "registry/repository". */
    QString name() const;
    /** The full normalised reference "registry/repository[:tag][@digest]". */
    QString toString() const;
    /** The reference as a user would write it to pull the same thing (tag kept, "latest" implied). */
    QString displayString() const { return toString(); }

    Reference withTag(const QString &tag) const;
    Reference withDigest(const Digest &digest) const;
    /** The same repository with neither tag nor digest. */
    Reference repositoryOnly() const;

    /** True for localhost, 127.0.0.0/8 and ::1: such registries may be reached over plain HTTP. */
    bool isLoopback() const { return isLoopbackRegistry(m_registry); }

    static QString apiHostFor(const QString &registry);
    static bool isLoopbackRegistry(const QString &registry);

    friend bool operator==(const Reference &a, const Reference &b) = default;

private:
    QString m_registry;
    QString m_repository;
    QString m_tag;
    Digest m_digest;
};

} // namespace Restack::Image
