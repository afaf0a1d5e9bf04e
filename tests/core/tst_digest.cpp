// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Content digests (OCI image spec descriptor.md §"Digests"): parsing, the registered algorithms against
// known test vectors (FIPS 180-2), incremental hashing and the short form used in tables.

#include <QtTest>

#include "common/error.h"
#include "image/digest.h"

using Restack::Error;
using Restack::Image::Digest;
using Restack::Image::DigestHasher;

Q_DECLARE_METATYPE(Restack::Image::Digest::Algorithm)
Q_DECLARE_METATYPE(Restack::Image::DigestHasher::Backend)

namespace
{
const QString EmptySha256 = QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
const QString AbcSha256 = QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
const QString EmptySha512 = QStringLiteral("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                                           "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
/** Whether libcrypto is mapped into this process (Linux: /proc/self/maps; nullopt elsewhere). */
std::optional<bool> libCryptoMapped()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return std::nullopt;
    return maps.readAll().contains("libcrypto.so");
}
const QString AbcSha512 = QStringLiteral("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                                         "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
} // namespace

class DigestTest : public QObject
{
    Q_OBJECT

private slots:
    void libCryptoIsLoadedOnFirstUse();
    void parse_data();
    void parse();
    void of_data();
    void of();
    void hasherMatchesOneShot_data();
    void hasherMatchesOneShot();
    void shortString();
    void invalidDigest();
    void equalityAndHash();
};

// The `restack` CLI does not link libcrypto (its start would map it for nothing on a
// same-registry rebase): hashing manifests leaves it unmapped, the first streaming hasher loads it.
void DigestTest::libCryptoIsLoadedOnFirstUse()
{
    const std::optional<bool> before = libCryptoMapped();
    if (!before)
        QSKIP("no /proc/self/maps on this system");
    QVERIFY2(!*before, "libcrypto is mapped before anything hashed: is it linked again?");
    QCOMPARE(Digest::of(QByteArrayLiteral("abc")).hex(), AbcSha256);
    QCOMPARE(libCryptoMapped(), std::optional<bool>(false));
    DigestHasher hasher;
    QVERIFY2(hasher.usesLibCrypto(), "libcrypto.so.3 did not load (is libssl3 installed?)");
    QCOMPARE(libCryptoMapped(), std::optional<bool>(true));
    QVERIFY(!DigestHasher(Digest::Algorithm::Sha256, DigestHasher::Backend::Qt).usesLibCrypto());
}

void DigestTest::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("hex");

    const int none = int(Error::Kind::Internal);
    const int input = int(Error::Kind::InvalidInput);
    const int unsupported = int(Error::Kind::Unsupported);

    QTest::newRow("sha256") << QStringLiteral("sha256:") + EmptySha256 << true << none << QString()
                            << QStringLiteral("sha256") << EmptySha256;
    QTest::newRow("sha512") << QStringLiteral("sha512:") + EmptySha512 << true << none << QString()
                            << QStringLiteral("sha512") << EmptySha512;
    QTest::newRow("uppercase hex") << QStringLiteral("sha256:") + EmptySha256.toUpper() << false << input
                                   << QStringLiteral("lowercase hexadecimal") << QString() << QString();
    QTest::newRow("one uppercase hex digit") << QStringLiteral("sha256:E") + EmptySha256.mid(1) << false << input
                                             << QStringLiteral("lowercase hexadecimal") << QString() << QString();
    QTest::newRow("non-hex letter") << QStringLiteral("sha256:g") + EmptySha256.mid(1) << false << input
                                    << QStringLiteral("lowercase hexadecimal") << QString() << QString();
    QTest::newRow("short sha256") << QStringLiteral("sha256:abc") << false << input
                                  << QStringLiteral("needs 64 hex digits, got 3") << QString() << QString();
    QTest::newRow("long sha256") << QStringLiteral("sha256:") + EmptySha256 + QStringLiteral("00") << false << input
                                 << QStringLiteral("needs 64 hex digits, got 66") << QString() << QString();
    QTest::newRow("sha512 of sha256 length") << QStringLiteral("sha512:") + EmptySha256 << false << input
                                             << QStringLiteral("needs 128 hex digits, got 64") << QString() << QString();
    QTest::newRow("md5 is unsupported") << QStringLiteral("md5:d41d8cd98f00b204e9800998ecf8427e") << false
                                        << unsupported << QStringLiteral("unsupported digest algorithm \"md5\"")
                                        << QString() << QString();
    QTest::newRow("blake3 is unsupported") << QStringLiteral("blake3:") + EmptySha256 << false << unsupported
                                           << QStringLiteral("unsupported digest algorithm \"blake3\"") << QString()
                                           << QString();
    QTest::newRow("algorithm with separator is unsupported")
        << QStringLiteral("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564") << false << unsupported
        << QStringLiteral("\"sha256+b64u\"") << QString() << QString();
    QTest::newRow("uppercase algorithm") << QStringLiteral("SHA256:") + EmptySha256 << false << input
                                         << QStringLiteral("not of the form ALGORITHM:ENCODED") << QString() << QString();
    QTest::newRow("no colon") << EmptySha256 << false << input << QStringLiteral("expected ALGORITHM:HEX") << QString()
                              << QString();
    QTest::newRow("empty") << QString() << false << input << QStringLiteral("expected ALGORITHM:HEX") << QString()
                           << QString();
    QTest::newRow("empty encoded part") << QStringLiteral("sha256:") << false << input
                                        << QStringLiteral("not of the form ALGORITHM:ENCODED") << QString() << QString();
    QTest::newRow("empty algorithm") << QStringLiteral(":") + EmptySha256 << false << input
                                     << QStringLiteral("not of the form ALGORITHM:ENCODED") << QString() << QString();
    QTest::newRow("leading space") << QStringLiteral(" sha256:") + EmptySha256 << false << input
                                   << QStringLiteral("not of the form") << QString() << QString();
    QTest::newRow("trailing newline") << QStringLiteral("sha256:") + EmptySha256 + QLatin1Char('\n') << false << input
                                      << QStringLiteral("not of the form") << QString() << QString();
    QTest::newRow("two colons") << QStringLiteral("sha256:sha256:") + EmptySha256 << false << input
                                << QStringLiteral("not of the form") << QString() << QString();
}

void DigestTest::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QFETCH(QString, error);
    QFETCH(QString, algorithm);
    QFETCH(QString, hex);

    const auto digest = Digest::parse(text);
    QVERIFY2(digest.ok() == ok, qPrintable(digest.ok() ? digest->toString() : digest.error().message));
    if (!ok) {
        QCOMPARE(Error::kindName(digest.error().kind), Error::kindName(Error::Kind(kind)));
        QVERIFY2(digest.error().message.contains(error), qPrintable(digest.error().message));
        return;
    }
    QVERIFY(digest->isValid());
    QCOMPARE(digest->algorithmName(), algorithm);
    QCOMPARE(digest->algorithm(), algorithm == QLatin1String("sha512") ? Digest::Algorithm::Sha512
                                                                       : Digest::Algorithm::Sha256);
    QCOMPARE(digest->hex(), hex);
    QCOMPARE(digest->toString(), text);
}

void DigestTest::of_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<QString>("expected");

    QTest::newRow("sha256 of nothing") << QByteArray() << Digest::Algorithm::Sha256
                                       << QStringLiteral("sha256:") + EmptySha256;
    QTest::newRow("sha256 of abc") << QByteArrayLiteral("abc") << Digest::Algorithm::Sha256
                                   << QStringLiteral("sha256:") + AbcSha256;
    QTest::newRow("sha256 of the two-block message")
        << QByteArrayLiteral("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") << Digest::Algorithm::Sha256
        << QStringLiteral("sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("sha256 of a million a")
        << QByteArray(1000000, 'a') << Digest::Algorithm::Sha256
        << QStringLiteral("sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    QTest::newRow("sha512 of nothing") << QByteArray() << Digest::Algorithm::Sha512
                                       << QStringLiteral("sha512:") + EmptySha512;
    QTest::newRow("sha512 of abc") << QByteArrayLiteral("abc") << Digest::Algorithm::Sha512
                                   << QStringLiteral("sha512:") + AbcSha512;
}

void DigestTest::of()
{
    QFETCH(QByteArray, data);
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(QString, expected);

    const Digest digest = Digest::of(data, algorithm);
    QCOMPARE(digest.toString(), expected);
    QCOMPARE(digest.algorithm(), algorithm);
    // What of() computes, parse() reads back to the same value.
    const auto parsed = Digest::parse(expected);
    QVERIFY(parsed.ok());
    QVERIFY(parsed.value() == digest);
}

void DigestTest::hasherMatchesOneShot_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<DigestHasher::Backend>("backend");

    QByteArray pattern;
    for (int i = 0; i < 100000; ++i)
        pattern.append(char(i * 31 % 251));
    struct Row
    {
        QByteArray name;
        QByteArray data;
        int chunk;
        Digest::Algorithm algorithm;
    };
    QList<Row> rows = {
        {"empty, sha256", QByteArray(), 1, Digest::Algorithm::Sha256},
        {"abc byte by byte", QByteArrayLiteral("abc"), 1, Digest::Algorithm::Sha256},
        {"100 kB in 7-byte chunks", pattern, 7, Digest::Algorithm::Sha256},
        {"100 kB in 64-byte chunks", pattern, 64, Digest::Algorithm::Sha256},
        {"100 kB in one chunk", pattern, int(pattern.size()), Digest::Algorithm::Sha256},
        {"100 kB in 4093-byte chunks, sha512", pattern, 4093, Digest::Algorithm::Sha512},
        {"empty, sha512", QByteArray(), 1, Digest::Algorithm::Sha512},
    };
    // Digest::of() hashes small inputs with QCryptographicHash and larger ones with libcrypto:
    // both sides of the threshold (Digest::OneShotQtBytes) give what the streaming hasher gives.
    for (const qsizetype size : {Digest::OneShotQtBytes - 1, Digest::OneShotQtBytes, Digest::OneShotQtBytes + 1}) {
        for (const auto algorithm : {Digest::Algorithm::Sha256, Digest::Algorithm::Sha512})
            rows.append({QByteArray::number(size) + (algorithm == Digest::Algorithm::Sha256 ? " bytes, sha256" : " bytes, sha512"),
                         pattern.repeated(2).left(size), 1000, algorithm});
    }
    // Every row on both backends: libcrypto, and the QCryptographicHash fallback used where
    // libcrypto.so.3 does not load.
    for (const Row &row : std::as_const(rows)) {
        QTest::addRow("%s, libcrypto", row.name.constData()) << row.data << row.chunk << row.algorithm
                                                             << DigestHasher::Backend::Fastest;
        QTest::addRow("%s, Qt", row.name.constData()) << row.data << row.chunk << row.algorithm
                                                      << DigestHasher::Backend::Qt;
    }
}

void DigestTest::hasherMatchesOneShot()
{
    QFETCH(QByteArray, data);
    QFETCH(int, chunk);
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(DigestHasher::Backend, backend);

    DigestHasher hasher(algorithm, backend);
    QCOMPARE(hasher.bytes(), 0);
    const qsizetype half = data.size() / 2;
    for (qsizetype pos = 0; pos < data.size(); pos += chunk) {
        hasher.addData(QByteArrayView(data).sliced(pos, qMin<qsizetype>(chunk, data.size() - pos)));
        // result() may be asked midway and hashing goes on (progress checks do that).
        if (pos <= half && half < pos + chunk)
            QCOMPARE(hasher.result().toString(), Digest::of(data.left(pos + qMin<qsizetype>(chunk, data.size() - pos)), algorithm).toString());
    }
    QCOMPARE(hasher.bytes(), data.size());
    QCOMPARE(hasher.result().toString(), Digest::of(data, algorithm).toString());
    QVERIFY(hasher.result() == Digest::of(data, algorithm));
}

void DigestTest::shortString()
{
    QCOMPARE(Digest::of({}).shortString(), QStringLiteral("sha256:e3b0c44298fc"));
    QCOMPARE(Digest::of(QByteArrayLiteral("abc"), Digest::Algorithm::Sha512).shortString(),
             QStringLiteral("sha512:ddaf35a19361"));
    const auto parsed = Digest::parse(QStringLiteral("sha256:") + AbcSha256);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->shortString(), QStringLiteral("sha256:ba7816bf8f01"));
}

void DigestTest::invalidDigest()
{
    const Digest none;
    QVERIFY(!none.isValid());
    QCOMPARE(none.toString(), QString());
    QCOMPARE(none.shortString(), QString());
    QVERIFY(!(none == Digest::of({})));
}

void DigestTest::equalityAndHash()
{
    const Digest a = Digest::of(QByteArrayLiteral("abc"));
    const auto b = Digest::parse(QStringLiteral("sha256:") + AbcSha256);
    QVERIFY(b.ok());
    QVERIFY(a == b.value());
    QCOMPARE(qHash(a), qHash(b.value()));
    QVERIFY(!(a == Digest::of(QByteArrayLiteral("abd"))));
    QVERIFY(!(a == Digest::of(QByteArrayLiteral("abc"), Digest::Algorithm::Sha512)));

    QSet<Digest> set{a, b.value(), Digest::of({})};
    QCOMPARE(set.size(), 2);
}

QTEST_GUILESS_MAIN(DigestTest)
#include "tst_digest.moc"
