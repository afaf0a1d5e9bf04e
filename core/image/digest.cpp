// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/digest.h"

#include <QHash>
#include <QRegularExpression>

namespace Restack::Image
{

namespace
{
QCryptographicHash::Algorithm qtAlgorithm(Digest::Algorithm algorithm)
{
    return algorithm == Digest::Algorithm::Sha512 ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256;
}
} // namespace

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
    return Digest(algorithm, QString::fromLatin1(QCryptographicHash::hash(data, qtAlgorithm(algorithm)).toHex()));
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
    , m_hash(std::make_unique<QCryptographicHash>(qtAlgorithm(algorithm)))
{
}

void DigestHasher::addData(QByteArrayView data)
{
    m_hash->addData(data);
    m_bytes += data.size();
}

Digest DigestHasher::result() const
{
    return Digest(m_algorithm, QString::fromLatin1(m_hash->result().toHex()));
}

} // namespace Restack::Image
