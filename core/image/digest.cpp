// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/digest.h"

#include <QCryptographicHash>
#include <QHash>
#include <QLibrary>
#include <QRegularExpression>

#include <openssl/evp.h> // declarations only: libcrypto is loaded on first use, never linked

#include <variant>

namespace Restack::Image
{

namespace
{

/**
 * OpenSSL 3's libcrypto, loaded with QLibrary the first time a large input is hashed. Linking it
 * would map it into every process at start (about 3,400 symbol bindings, 0.6 ms of the `restack`
 * CLI's start) although a same-registry rebase hashes only manifests and configs, which
 * QCryptographicHash does. Types come from <openssl/evp.h>, so a changed signature fails to
 * compile. Where libcrypto.so.3 cannot be loaded, every hasher falls back to QCryptographicHash
 * (correct, about ten times slower).
 */
struct LibCrypto
{
    decltype(&::EVP_MD_fetch) mdFetch = nullptr;
    decltype(&::EVP_MD_CTX_new) ctxNew = nullptr;
    decltype(&::EVP_MD_CTX_free) ctxFree = nullptr;
    decltype(&::EVP_MD_CTX_copy_ex) ctxCopy = nullptr;
    decltype(&::EVP_DigestInit_ex) init = nullptr;
    decltype(&::EVP_DigestUpdate) update = nullptr;
    decltype(&::EVP_DigestFinal_ex) final = nullptr;
    // OpenSSL 3 looks an implicitly named algorithm up in its provider tables on every
    // EVP_DigestInit_ex, which costs more than hashing a manifest: fetch each one once, for the
    // life of the process (still reachable at exit, never reported as a leak).
    const EVP_MD *sha256 = nullptr;
    const EVP_MD *sha512 = nullptr;

    bool usable() const { return sha256 && sha512; }

    /** The process's one instance; loads the library on the first call (thread-safe). */
    static const LibCrypto &get()
    {
        static const LibCrypto instance = load();
        return instance;
    }

private:
    template<typename F>
    static bool resolve(QLibrary &library, const char *symbol, F *function)
    {
        *function = reinterpret_cast<F>(library.resolve(symbol));
        return *function != nullptr;
    }

    static LibCrypto load()
    {
        LibCrypto c;
        // Never unloaded (a QLibrary going out of scope does not unload): the pointers stay valid.
        QLibrary library(QStringLiteral("crypto"), 3);
        if (!library.load())
            return c;
        const bool all = resolve(library, "EVP_MD_fetch", &c.mdFetch) && resolve(library, "EVP_MD_CTX_new", &c.ctxNew)
            && resolve(library, "EVP_MD_CTX_free", &c.ctxFree) && resolve(library, "EVP_MD_CTX_copy_ex", &c.ctxCopy)
            && resolve(library, "EVP_DigestInit_ex", &c.init) && resolve(library, "EVP_DigestUpdate", &c.update)
            && resolve(library, "EVP_DigestFinal_ex", &c.final);
        if (!all)
            return LibCrypto();
        c.sha256 = c.mdFetch(nullptr, "SHA2-256", nullptr);
        c.sha512 = c.mdFetch(nullptr, "SHA2-512", nullptr);
        return c;
    }
};

QCryptographicHash::Algorithm qtAlgorithm(Digest::Algorithm algorithm)
{
    return algorithm == Digest::Algorithm::Sha512 ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256;
}

} // namespace

/** Either an EVP context of the loaded libcrypto or, without it, a QCryptographicHash. */
struct DigestHasher::Context
{
    struct Evp
    {
        EVP_MD_CTX *ctx = nullptr;
    };
    std::variant<Evp, QCryptographicHash> state;

    Context(Digest::Algorithm algorithm, DigestHasher::Backend backend)
        : state(Evp{})
    {
        const LibCrypto *crypto = backend == DigestHasher::Backend::Fastest ? &LibCrypto::get() : nullptr;
        EVP_MD_CTX *ctx = crypto && crypto->usable() ? crypto->ctxNew() : nullptr;
        // EVP_DigestInit_ex only fails when out of memory; fall back rather than hash nothing.
        if (ctx
            && crypto->init(ctx, algorithm == Digest::Algorithm::Sha512 ? crypto->sha512 : crypto->sha256, nullptr) == 1) {
            state = Evp{ctx};
            return;
        }
        if (ctx)
            crypto->ctxFree(ctx);
        state.emplace<QCryptographicHash>(qtAlgorithm(algorithm));
    }
    ~Context()
    {
        if (const Evp *evp = std::get_if<Evp>(&state))
            LibCrypto::get().ctxFree(evp->ctx);
    }
    Context(const Context &) = delete;
    Context &operator=(const Context &) = delete;
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
        return Digest(algorithm, QString::fromLatin1(QCryptographicHash::hash(data, qtAlgorithm(algorithm)).toHex()));
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

DigestHasher::DigestHasher(Digest::Algorithm algorithm, Backend backend)
    : m_algorithm(algorithm)
    , m_context(std::make_unique<Context>(algorithm, backend))
{
}

DigestHasher::~DigestHasher() = default;

void DigestHasher::addData(QByteArrayView data)
{
    if (auto *evp = std::get_if<Context::Evp>(&m_context->state))
        LibCrypto::get().update(evp->ctx, data.data(), size_t(data.size()));
    else
        std::get<QCryptographicHash>(m_context->state).addData(data);
    m_bytes += data.size();
}

bool DigestHasher::usesLibCrypto() const
{
    return std::holds_alternative<Context::Evp>(m_context->state);
}

Digest DigestHasher::result() const
{
    // Finish a copy, so that the hasher can go on.
    // QCryptographicHash finishes a copy of its state itself (more data may follow).
    if (const auto *qt = std::get_if<QCryptographicHash>(&m_context->state))
        return Digest(m_algorithm, QString::fromLatin1(qt->result().toHex()));
    const LibCrypto &crypto = LibCrypto::get();
    const auto &evp = std::get<Context::Evp>(m_context->state);
    EVP_MD_CTX *copy = crypto.ctxNew();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool ok = copy && crypto.ctxCopy(copy, evp.ctx) == 1 && crypto.final(copy, out, &length) == 1;
    crypto.ctxFree(copy);
    if (!ok)
        return Digest(m_algorithm, QString());
    return Digest(m_algorithm, QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(out), int(length)).toHex()));
}

} // namespace Restack::Image
