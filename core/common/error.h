// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Restack
{

/**
 * An error the user can act on: what failed, where (registry / repository / reference), the
 * HTTP status and the registry's own error code (OCI distribution spec §"Error Codes") when
 * there was one, and a hint saying what to do.
 */
struct Error
{
    enum class Kind {
        InvalidInput,    ///< bad reference, option or file given by the user
        InvalidContent,  ///< a manifest or config that is not valid JSON of the expected shape
        Unsupported,     ///< valid but not something Restack handles (schema 1, unknown digest algorithm, ...)
        Network,         ///< connection refused, reset, DNS failure, ...
        Tls,             ///< certificate verification or handshake failure
        Timeout,         ///< a transfer stalled longer than the transfer timeout
        Cancelled,       ///< the user cancelled
        Http,            ///< the registry answered with an error status not covered below
        Unauthorized,    ///< 401 / 403: missing or insufficient credentials or token scope
        NotFound,        ///< 404: repository, manifest or blob unknown
        DigestMismatch,  ///< content does not hash to the digest asked for
        TooLarge,        ///< content larger than Restack accepts (manifests over 4 MiB, ...)
        NotPrefix,       ///< the old base is not a prefix of the source image
        PlatformMismatch,///< images of different platforms combined
        Unavailable,     ///< a local service Restack needs is missing (no keychain backend, no credential helper)
        Internal,        ///< a bug in Restack
    };

    Kind kind = Kind::Internal;
    QString message;       ///< one sentence saying what failed
    QString registry;      ///< registry host[:port] involved, if any
    QString repository;    ///< repository involved, if any
    QString reference;     ///< tag or digest involved, if any
    int httpStatus = 0;    ///< HTTP status code, 0 when there was no HTTP answer
    QString registryCode;  ///< the registry's error code (e.g. MANIFEST_UNKNOWN), if it sent one
    QString hint;          ///< what the user can do about it, if we know
    /**
     * A transient failure of a request that was already retried as far as the client's retry
     * policy allows (count and time budget): an operation around it must not start over, or the
     * retries multiply (a stalled registry would cost attempts × operation restarts × timeout).
     */
    bool retried = false;

    static Error make(Kind kind, const QString &message, const QString &hint = {});

    /** Sets registry/repository/reference unless already set; returns *this for chaining. */
    Error &at(const QString &registry, const QString &repository = {}, const QString &reference = {});
    Error &withHint(const QString &hint);
    Error &prefixed(const QString &context);

    /** Where it happened as "registry/repository:reference" (empty parts left out). */
    QString location() const;

    /** The whole error on one line: message, location, HTTP status, registry code and hint. */
    QString toString() const;

    /** A stable lowercase name for the kind, used in JSON output ("not-found", "unauthorized", ...). */
    static QString kindName(Kind kind);
};

} // namespace Restack
