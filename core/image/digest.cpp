// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/digest.h"

#include <QCryptographicHash>
#include <QHash>
#include <QRegularExpression>

#include <openssl/evp.h>

namespace Restack::Image
{

namespace
{
// OpenSSL 3 looks an implicitly named algorithm (EVP_sha256()) up in its provider tables on every
// EVP_DigestInit_ex, which costs more than hashing a manifest; fetch each one once and keep it for the
// life of the process (a static, so still reachable at exit, never reported as a leak).
const EVP_MD *fetched(const char *name, const EVP_MD *implicit)
{
    const EVP_MD *md = EVP_MD_fetch(nullptr, name, nullptr);
    return md ? md : implicit;
}

const EVP_MD *evpAlgorithm(Digest::Algorithm algorithm)
{
    if (algorithm == Digest::Algorithm::Sha512) {
        static const EVP_MD *const sha512 = fetched("SHA2-512", EVP_sha512());
        return sha512;
    }
    static const EVP_MD *const sha256 = fetched("SHA2-256", EVP_sha256());
    return sha256;
}
} // namespace

struct DigestHasher::Context
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
};

Result<Digest> Digest::parse(const QString &text)
{
    // OCI image spec: digest := algorithm ":" encoded
    static const QRegularExpression grammar(
        QStringLiteral("^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)\\z"));
    const auto match = grammar.match(text);
    if (!match.hasMatch()) {
        if (!text.contains(QLatin1Char(':')))
            return Error::make(Error::Kind::InvalidInput,
                               QStringLiteral("invalid digest \"%1\": expected ALGORITHM:HEX, e.g. sha256:<64 hex digits>")
                                   .arg(text));
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("invalid digest \"%1\": not of the form ALGORITHM:ENCODED").arg(text));
    }
    const QString algorithm = match.captured(1);
    const QString encoded = match.captured(2);
    static const QRegularExpression lowerHex(QStringLiteral("^[a-f0-9]+\\z"));

    Digest digest;
    qsizetype expectedLength = 0;
    if (algorithm == QLatin1String("sha256")) {
        digest.m_algorithm = Algorithm::Sha256;
        expectedLength = 64;
    } else if (algorithm == QLatin1String("sha512")) {
        digest.m_algorithm = Algorithm::Sha512;
        expectedLength = 128;
    } else {
        return Error::make(Error::Kind::Unsupported,
                           QStringLiteral("unsupported digest algorithm \"%1\" in \"%2\"").arg(algorithm, text),
                           QStringLiteral("only sha256 and sha512 digests can be verified"));
    }
    if (!lowerHex.match(encoded).hasMatch())
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("invalid digest \"%1\": %2 must be lowercase hexadecimal").arg(text, algorithm));
    if (encoded.size() != expectedLength)
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("invalid digest \"%1\": %2 needs %3 hex digits, got %4")
                               .arg(text, algorithm)
                               .arg(expectedLength)
                               .arg(encoded.size()));
    digest.m_hex = encoded;
    return digest;
}

Digest Digest::of(const QByteArray &data, Algorithm algorithm)
{
    if (data.size() < OneShotQtBytes) {
        const auto qtAlgorithm = algorithm == Algorithm::Sha512 ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256;
        return Digest(algorithm, QString::fromLatin1(QCryptographicHash::hash(data, qtAlgorithm).toHex()));
    }
    DigestHasher hasher(algorithm);
    hasher.addData(data);
    return hasher.result();
}

QString Digest::algorithmName() const
{
    return m_algorithm == Algorithm::Sha512 ? QStringLiteral("sha512") : QStringLiteral("sha256");
}

QString Digest::toString() const
{
    if (!isValid())
        return {};
    return algorithmName() + QLatin1Char(':') + m_hex;
}

QString Digest::shortString() const
{
    if (!isValid())
        return {};
    return algorithmName() + QLatin1Char(':') + m_hex.left(12);
}

size_t qHash(const Digest &digest, size_t seed)
{
    return ::qHash(digest.hex(), seed);
}

DigestHasher::DigestHasher(Digest::Algorithm algorithm)
    : m_algorithm(algorithm)
    , m_context(std::make_unique<Context>())
{
    // Only fails when out of memory: then EVP_DigestUpdate/Final fail too and result() is empty,
    // which never equals a digest asked for.
    EVP_DigestInit_ex(m_context->ctx, evpAlgorithm(algorithm), nullptr);
}

DigestHasher::~DigestHasher() = default;

void DigestHasher::addData(QByteArrayView data)
{
    EVP_DigestUpdate(m_context->ctx, data.data(), size_t(data.size()));
    m_bytes += data.size();
}

Digest DigestHasher::result() const
{
    // Finish a copy, so that the hasher can go on.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool ok = copy && EVP_MD_CTX_copy_ex(copy, m_context->ctx) == 1 && EVP_DigestFinal_ex(copy, out, &length) == 1;
    EVP_MD_CTX_free(copy);
    if (!ok)
        return Digest(m_algorithm, QString());
    return Digest(m_algorithm, QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(out), int(length)).toHex()));
}

} // namespace Restack::Image
