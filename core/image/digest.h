// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

#include "common/result.h"

namespace Restack::Image
{

/**
 * A content digest "algorithm:encoded" (OCI image spec §"Digests"). Only the registered
 * algorithms sha256 (64 lowercase hex characters) and sha512 (128) are accepted, since content
 * must be verified against it; any other algorithm is rejected as unsupported.
 */
class Digest
{
public:
    enum class Algorithm { Sha256, Sha512 };

    Digest() = default;

    /**
     * Parses "sha256:<64 hex>" or "sha512:<128 hex>". Errors: InvalidInput for text that is not
     * a digest by the grammar or has the wrong length / characters, Unsupported for a
     * well-formed digest of another algorithm.
     */
    static Result<Digest> parse(const QString &text);

    /**
     * The digest of @p data with @p algorithm. Inputs under OneShotQtBytes (manifests, configs)
     * are hashed with QCryptographicHash, which needs no setup; larger ones with DigestHasher
     * (libcrypto), whose first use in a process loads it (about a millisecond).
     */
    static Digest of(const QByteArray &data, Algorithm algorithm = Algorithm::Sha256);
    /** Below this many bytes, of() uses QCryptographicHash (under 0.4 ms at its ~170 MiB/s). */
    static constexpr qsizetype OneShotQtBytes = 64 * 1024;

    bool isValid() const { return !m_hex.isEmpty(); }
    Algorithm algorithm() const { return m_algorithm; }
    QString algorithmName() const;
    /** The encoded (hex) part. */
    QString hex() const { return m_hex; }
    /** "sha256:…" in full. */
    QString toString() const;
    /** "sha256:" and the first 12 hex characters, for tables. */
    QString shortString() const;

    friend bool operator==(const Digest &a, const Digest &b) = default;

private:
    friend class DigestHasher;
    Digest(Algorithm algorithm, QString hex)
        : m_algorithm(algorithm)
        , m_hex(std::move(hex))
    {
    }

    Algorithm m_algorithm = Algorithm::Sha256;
    QString m_hex;
};

size_t qHash(const Digest &digest, size_t seed = 0);

/**
 * Incremental digest computation for streamed content (blobs are never held whole in memory).
 * Feed bytes with addData(), then compare with result(). Uses OpenSSL's libcrypto rather than
 * QCryptographicHash: with the CPU's SHA extensions it hashes about ten times faster (1.9 GB/s
 * against 0.16 GB/s here), which is what bounds the speed of copying a large layer.
 *
 * libcrypto (libcrypto.so.3) is not linked: the first hasher of a process loads it with
 * QLibrary, so that processes that hash only manifests and configs (Digest::of) never map it.
 * Where it cannot be loaded, hashers use QCryptographicHash and give the same digests.
 */
class DigestHasher
{
public:
    /** Fastest: libcrypto where it loads, else QCryptographicHash. Qt: QCryptographicHash always. */
    enum class Backend { Fastest, Qt };

    explicit DigestHasher(Digest::Algorithm algorithm = Digest::Algorithm::Sha256, Backend backend = Backend::Fastest);
    ~DigestHasher();
    DigestHasher(const DigestHasher &) = delete;
    DigestHasher &operator=(const DigestHasher &) = delete;

    void addData(QByteArrayView data);
    /** The digest of everything added so far (adding more afterwards is still possible). */
    Digest result() const;
    qint64 bytes() const { return m_bytes; }
    /** True when this hasher runs on libcrypto (false on the QCryptographicHash fallback). */
    bool usesLibCrypto() const;

private:
    struct Context;
    Digest::Algorithm m_algorithm;
    std::unique_ptr<Context> m_context;
    qint64 m_bytes = 0;
};

} // namespace Restack::Image
