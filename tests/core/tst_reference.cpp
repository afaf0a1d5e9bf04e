// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Image references by the grammar of github.com/distribution/reference (reference.go) with Docker's
// normalisation (normalize.go): registry detection, Docker Hub aliases and "library/", tags, digests,
// length limits and the reasons given for rejected input.

#include <QtTest>

#include "common/error.h"
#include "image/digest.h"
#include "image/reference.h"

using Restack::Error;
using Restack::Image::Digest;
using Restack::Image::Reference;

namespace
{

const QString Sha256Hex = QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
const QString Sha256 = QStringLiteral("sha256:") + Sha256Hex;
const QString Sha512 = QStringLiteral("sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                                      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
const QString Hub = QStringLiteral("docker.io");
const QString HubApi = QStringLiteral("registry-1.docker.io");

void addValid(const char *scenario, const QString &input, const QString &registry, const QString &apiHost,
              const QString &repository, const QString &tag, const QString &digest, const QString &identifier)
{
    QTest::newRow(scenario) << input << true << registry << apiHost << repository << tag << digest << identifier
                            << int(Error::Kind::Internal) << QString();
}

void addInvalid(const char *scenario, const QString &input, const QString &reason,
                Error::Kind kind = Error::Kind::InvalidInput)
{
    QTest::newRow(scenario) << input << false << QString() << QString() << QString() << QString() << QString()
                            << QString() << int(kind) << reason;
}

} // namespace

class ReferenceTest : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void roundTrip_data();
    void roundTrip();
    void toString_data();
    void toString();
    void parseRepository_data();
    void parseRepository();
    void parseRegistry_data();
    void parseRegistry();
    void isLoopback_data();
    void isLoopback();
    void derivedReferences();
};

void ReferenceTest::parse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("apiHost");
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("identifier");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("error");

    const QString latest = QStringLiteral("latest");
    const QString none;

    // --- Docker Hub normalisation ------------------------------------------------------------------
    addValid("hub: one component gets library/", QStringLiteral("alpine"), Hub, HubApi, QStringLiteral("library/alpine"),
             none, none, latest);
    addValid("hub: one component with tag", QStringLiteral("alpine:3.19"), Hub, HubApi,
             QStringLiteral("library/alpine"), QStringLiteral("3.19"), none, QStringLiteral("3.19"));
    addValid("hub: library/ written out", QStringLiteral("library/alpine"), Hub, HubApi,
             QStringLiteral("library/alpine"), none, none, latest);
    addValid("hub: user/repo keeps its path", QStringLiteral("user/app"), Hub, HubApi, QStringLiteral("user/app"), none,
             none, latest);
    addValid("hub: docker.io/alpine", QStringLiteral("docker.io/alpine"), Hub, HubApi, QStringLiteral("library/alpine"),
             none, none, latest);
    addValid("hub: docker.io/library/alpine:edge", QStringLiteral("docker.io/library/alpine:edge"), Hub, HubApi,
             QStringLiteral("library/alpine"), QStringLiteral("edge"), none, QStringLiteral("edge"));
    addValid("hub: index.docker.io alias", QStringLiteral("index.docker.io/alpine"), Hub, HubApi,
             QStringLiteral("library/alpine"), none, none, latest);
    addValid("hub: registry-1.docker.io alias", QStringLiteral("registry-1.docker.io/foo/bar:1"), Hub, HubApi,
             QStringLiteral("foo/bar"), QStringLiteral("1"), none, QStringLiteral("1"));
    addValid("hub: three components", QStringLiteral("org/team/app:v2"), Hub, HubApi, QStringLiteral("org/team/app"),
             QStringLiteral("v2"), none, QStringLiteral("v2"));
    addValid("hub: digits only", QStringLiteral("123/456"), Hub, HubApi, QStringLiteral("123/456"), none, none, latest);
    addValid("hub: single character", QStringLiteral("a"), Hub, HubApi, QStringLiteral("library/a"), none, none, latest);
    addValid("hub: dotted single component is a repository", QStringLiteral("foo.bar"), Hub, HubApi,
             QStringLiteral("library/foo.bar"), none, none, latest);
    addValid("hub: localhost:5000 alone is repository localhost, tag 5000", QStringLiteral("localhost:5000"), Hub,
             HubApi, QStringLiteral("library/localhost"), QStringLiteral("5000"), none, QStringLiteral("5000"));
    addValid("hub: example.com:5000 alone is a tagged repository", QStringLiteral("example.com:5000"), Hub, HubApi,
             QStringLiteral("library/example.com"), QStringLiteral("5000"), none, QStringLiteral("5000"));

    // --- other registries ---------------------------------------------------------------------------
    addValid("localhost without port", QStringLiteral("localhost/foo"), QStringLiteral("localhost"),
             QStringLiteral("localhost"), QStringLiteral("foo"), none, none, latest);
    addValid("localhost with port, deep path and tag", QStringLiteral("localhost:5000/foo/bar:v1"),
             QStringLiteral("localhost:5000"), QStringLiteral("localhost:5000"), QStringLiteral("foo/bar"),
             QStringLiteral("v1"), none, QStringLiteral("v1"));
    addValid("domain without port", QStringLiteral("example.com/foo"), QStringLiteral("example.com"),
             QStringLiteral("example.com"), QStringLiteral("foo"), none, none, latest);
    addValid("domain with port", QStringLiteral("registry.example.com:5000/team/app:1.2.3"),
             QStringLiteral("registry.example.com:5000"), QStringLiteral("registry.example.com:5000"),
             QStringLiteral("team/app"), QStringLiteral("1.2.3"), none, QStringLiteral("1.2.3"));
    addValid("domain with hyphen and port", QStringLiteral("my-registry.local:8080/x"),
             QStringLiteral("my-registry.local:8080"), QStringLiteral("my-registry.local:8080"), QStringLiteral("x"),
             none, none, latest);
    addValid("domain keeps its case", QStringLiteral("Example.COM/foo"), QStringLiteral("Example.COM"),
             QStringLiteral("Example.COM"), QStringLiteral("foo"), none, none, latest);
    addValid("port 65535", QStringLiteral("example.com:65535/foo"), QStringLiteral("example.com:65535"),
             QStringLiteral("example.com:65535"), QStringLiteral("foo"), none, none, latest);
    addValid("IPv4 with port", QStringLiteral("127.0.0.1:5000/foo"), QStringLiteral("127.0.0.1:5000"),
             QStringLiteral("127.0.0.1:5000"), QStringLiteral("foo"), none, none, latest);
    addValid("IPv4 without port, tagged", QStringLiteral("192.168.1.10/foo:tag"), QStringLiteral("192.168.1.10"),
             QStringLiteral("192.168.1.10"), QStringLiteral("foo"), QStringLiteral("tag"), none, QStringLiteral("tag"));
    addValid("IPv6 bracketed without port", QStringLiteral("[::1]/foo"), QStringLiteral("[::1]"), QStringLiteral("[::1]"),
             QStringLiteral("foo"), none, none, latest);
    addValid("IPv6 bracketed with port and tag", QStringLiteral("[::1]:5000/foo:tag"), QStringLiteral("[::1]:5000"),
             QStringLiteral("[::1]:5000"), QStringLiteral("foo"), QStringLiteral("tag"), none, QStringLiteral("tag"));
    addValid("IPv6 full address with port", QStringLiteral("[2001:db8::1]:443/a/b"), QStringLiteral("[2001:db8::1]:443"),
             QStringLiteral("[2001:db8::1]:443"), QStringLiteral("a/b"), none, none, latest);
    addValid("deep path", QStringLiteral("example.com/a/b/c/d/e/f:tag"), QStringLiteral("example.com"),
             QStringLiteral("example.com"), QStringLiteral("a/b/c/d/e/f"), QStringLiteral("tag"), none,
             QStringLiteral("tag"));
    addValid("separators . _ __ - ---", QStringLiteral("example.com/a.b/c_d/e__f/g-h/i---j"),
             QStringLiteral("example.com"), QStringLiteral("example.com"), QStringLiteral("a.b/c_d/e__f/g-h/i---j"),
             none, none, latest);
    addValid("mixed separators in one component", QStringLiteral("foo.bar_baz__qux-quux"), Hub, HubApi,
             QStringLiteral("library/foo.bar_baz__qux-quux"), none, none, latest);

    // --- tags ---------------------------------------------------------------------------------------
    const QString tag128 = QStringLiteral("t") + QString(127, QLatin1Char('x'));
    addValid("tag of 128 characters", QStringLiteral("foo:") + tag128, Hub, HubApi, QStringLiteral("library/foo"), tag128,
             none, tag128);
    addValid("tag starting with '_'", QStringLiteral("foo:_v1"), Hub, HubApi, QStringLiteral("library/foo"),
             QStringLiteral("_v1"), none, QStringLiteral("_v1"));
    addValid("tag with '.', '-' and '_'", QStringLiteral("foo:v1.0-rc_1"), Hub, HubApi, QStringLiteral("library/foo"),
             QStringLiteral("v1.0-rc_1"), none, QStringLiteral("v1.0-rc_1"));
    addValid("tag with uppercase", QStringLiteral("foo:UPPER"), Hub, HubApi, QStringLiteral("library/foo"),
             QStringLiteral("UPPER"), none, QStringLiteral("UPPER"));
    addValid("tag 'latest' written out", QStringLiteral("foo:latest"), Hub, HubApi, QStringLiteral("library/foo"),
             QStringLiteral("latest"), none, QStringLiteral("latest"));

    // --- digests ------------------------------------------------------------------------------------
    addValid("sha256 digest", QStringLiteral("alpine@") + Sha256, Hub, HubApi, QStringLiteral("library/alpine"), none,
             Sha256, Sha256);
    addValid("sha512 digest", QStringLiteral("example.com/foo@") + Sha512, QStringLiteral("example.com"),
             QStringLiteral("example.com"), QStringLiteral("foo"), none, Sha512, Sha512);
    addValid("name:tag@digest fetches the digest", QStringLiteral("alpine:3.19@") + Sha256, Hub, HubApi,
             QStringLiteral("library/alpine"), QStringLiteral("3.19"), Sha256, Sha256);
    addValid("port, tag and digest", QStringLiteral("localhost:5000/foo/bar:1.0@") + Sha256,
             QStringLiteral("localhost:5000"), QStringLiteral("localhost:5000"), QStringLiteral("foo/bar"),
             QStringLiteral("1.0"), Sha256, Sha256);
    addValid("IPv6, port and digest", QStringLiteral("[::1]:5000/foo@") + Sha256, QStringLiteral("[::1]:5000"),
             QStringLiteral("[::1]:5000"), QStringLiteral("foo"), none, Sha256, Sha256);

    // --- length limits ------------------------------------------------------------------------------
    // NameTotalLengthMax = 255 applies to the whole name "registry/path" (reference.go).
    addValid("name of exactly 255 characters", QStringLiteral("example.com/") + QString(243, QLatin1Char('a')),
             QStringLiteral("example.com"), QStringLiteral("example.com"), QString(243, QLatin1Char('a')), none, none,
             latest);
    addInvalid("name of 256 characters", QStringLiteral("example.com/") + QString(244, QLatin1Char('a')),
               QStringLiteral("longer than 255"));
    // ParseNormalizedNamed checks the length of the *normalised* name "docker.io/library/<name>".
    addValid("hub name of 255 characters after normalisation", QString(237, QLatin1Char('a')), Hub, HubApi,
             QStringLiteral("library/") + QString(237, QLatin1Char('a')), none, none, latest);
    addInvalid("hub name of 256 characters after normalisation", QString(238, QLatin1Char('a')),
               QStringLiteral("longer than 255"));
    addValid("index.docker.io name of 255 characters after normalisation",
             QStringLiteral("index.docker.io/team/") + QString(240, QLatin1Char('b')), Hub, HubApi,
             QStringLiteral("team/") + QString(240, QLatin1Char('b')), none, none, latest);

    // --- invalid: empty and white space --------------------------------------------------------------
    addInvalid("empty", QString(), QStringLiteral("empty"));
    addInvalid("only spaces", QStringLiteral("   "), QStringLiteral("empty"));
    addInvalid("leading space", QStringLiteral(" alpine"), QStringLiteral("white space"));
    addInvalid("trailing space", QStringLiteral("alpine "), QStringLiteral("white space"));
    addInvalid("trailing newline", QStringLiteral("alpine:3\n"), QStringLiteral("white space"));
    addInvalid("leading tab", QStringLiteral("\tlocalhost:5000/foo"), QStringLiteral("white space"));
    addInvalid("space inside the name", QStringLiteral("foo bar"), QStringLiteral("may contain only"));
    // A line break inside the input is no white space at either end, and must not pass the grammar either.
    addInvalid("newline ending an inner path component", QStringLiteral("foo\n/bar"), QStringLiteral("may contain only"));
    addInvalid("newline ending the registry host", QStringLiteral("example.com\n/foo"),
               QStringLiteral("not a valid registry host"));
    addInvalid("newline ending a tag before a digest", QStringLiteral("foo:v1\n@") + Sha256,
               QStringLiteral("may contain only letters"));
    addInvalid("only a tag", QStringLiteral(":tag"), QStringLiteral("repository name is empty"));
    addInvalid("only a digest", QStringLiteral("@") + Sha256, QStringLiteral("repository name is empty"));

    // --- invalid: case --------------------------------------------------------------------------------
    addInvalid("uppercase one-component repository", QStringLiteral("Alpine"), QStringLiteral("lowercase"));
    addInvalid("uppercase in a hub path", QStringLiteral("library/Alpine"), QStringLiteral("lowercase"));
    addInvalid("uppercase repository on a registry", QStringLiteral("example.com/foo/Bar:1"), QStringLiteral("lowercase"));
    addInvalid("uppercase repository after a port", QStringLiteral("localhost:5000/FOO"), QStringLiteral("lowercase"));

    // --- invalid: components and separators ------------------------------------------------------------
    addInvalid("empty component a//b", QStringLiteral("a//b"), QStringLiteral("empty path component"));
    addInvalid("empty component after the registry", QStringLiteral("example.com/a//b"),
               QStringLiteral("empty path component"));
    addInvalid("trailing slash", QStringLiteral("foo/"), QStringLiteral("ends with '/'"));
    addInvalid("trailing slash after a path", QStringLiteral("example.com/foo/bar/"), QStringLiteral("ends with '/'"));
    addInvalid("registry with nothing after it", QStringLiteral("example.com/"), QStringLiteral("repository name is empty"));
    addInvalid("leading slash", QStringLiteral("/foo"), QStringLiteral("starts with '/'"));
    addInvalid("trailing '-'", QStringLiteral("foo-"), QStringLiteral("ends with a separator"));
    addInvalid("trailing '.'", QStringLiteral("foo."), QStringLiteral("ends with a separator"));
    addInvalid("trailing '_' in an inner component", QStringLiteral("example.com/foo_/bar"),
               QStringLiteral("ends with a separator"));
    addInvalid("leading '-'", QStringLiteral("-foo"), QStringLiteral("starts with a separator"));
    addInvalid("leading '_' after the registry", QStringLiteral("localhost/_foo"),
               QStringLiteral("starts with a separator"));
    addInvalid("double dot", QStringLiteral("foo..bar"), QStringLiteral("separators"));
    addInvalid("triple underscore", QStringLiteral("foo___bar"), QStringLiteral("separators"));
    addInvalid("mixed separator run -_", QStringLiteral("foo-_bar"), QStringLiteral("separators"));
    addInvalid("non-ASCII letter", QStringLiteral("f\u00f6\u00f6"), QStringLiteral("may contain only"));

    // --- invalid: registry host and port -----------------------------------------------------------------
    addInvalid("port 0", QStringLiteral("localhost:0/foo"), QStringLiteral("not a valid port"));
    addInvalid("port 99999", QStringLiteral("localhost:99999/foo"), QStringLiteral("not a valid port"));
    addInvalid("port not numeric", QStringLiteral("example.com:abc/foo"), QStringLiteral("not a valid port"));
    addInvalid("empty port", QStringLiteral("example.com:/foo"), QStringLiteral("empty port"));
    addInvalid("host starting with '-'", QStringLiteral("-example.com/foo"), QStringLiteral("not a valid registry host"));
    addInvalid("host with '_'", QStringLiteral("ex_ample.com/foo"), QStringLiteral("not a valid registry host"));
    addInvalid("IPv6 without closing bracket", QStringLiteral("[::1/foo"), QStringLiteral("closing ']'"));
    addInvalid("IPv6 bracket with garbage after", QStringLiteral("[::1]x/foo"), QStringLiteral("after the IPv6 address"));
    addInvalid("IPv6 bracket with empty port", QStringLiteral("[::1]:/foo"), QStringLiteral("empty port"));
    addInvalid("bracketed non-IPv6", QStringLiteral("[127.0.0.1]/foo"), QStringLiteral("not an IPv6 address"));
    addInvalid("bracketed garbage", QStringLiteral("[zzzz::1]:5000/foo"), QStringLiteral("not an IPv6 address"));
    addInvalid("unbracketed IPv6", QStringLiteral("::1/foo"), QStringLiteral("empty host"));
    addInvalid("URL scheme", QStringLiteral("http://127.0.0.1:5000/demo/app:1.0"), QStringLiteral("takes no scheme"));
    addInvalid("docker:// transport prefix", QStringLiteral("docker://example.com/app"), QStringLiteral("leave out \"docker://\""));
    addInvalid("IPv6 with a zone", QStringLiteral("[fe80::1%eth0]:5000/foo"), QStringLiteral("not an IPv6 address"));
    addInvalid("IPv6 with embedded IPv4", QStringLiteral("[::ffff:127.0.0.1]/foo"), QStringLiteral("not an IPv6 address"));
    // Found by fuzz_reference (tests/fuzz/regressions/reference/ipv6-nul-at.txt): QHostAddress stops at a NUL,
    // so "[::1<NUL><NUL>]" passed for an IPv6 address (see parseRegistry's table for the '@' variant).
    addInvalid("IPv6 with NULs inside the brackets",
               QStringLiteral("[::1") + QString(2, QChar(0)) + QStringLiteral("]/foo"), QStringLiteral("not an IPv6 address"));

    // --- invalid: tags ----------------------------------------------------------------------------------
    addInvalid("empty tag", QStringLiteral("foo:"), QStringLiteral("tag after ':' is empty"));
    addInvalid("empty tag before a digest", QStringLiteral("foo:@") + Sha256, QStringLiteral("tag after ':' is empty"));
    addInvalid("tag of 129 characters", QStringLiteral("foo:") + tag128 + QLatin1Char('x'),
               QStringLiteral("at most 128"));
    addInvalid("tag starting with '.'", QStringLiteral("foo:.tag"), QStringLiteral("must not start with '.' or '-'"));
    addInvalid("tag starting with '-'", QStringLiteral("foo:-tag"), QStringLiteral("must not start with '.' or '-'"));
    addInvalid("tag with a second ':'", QStringLiteral("foo:tag:extra"), QStringLiteral("may contain only letters"));
    addInvalid("tag with '+'", QStringLiteral("localhost:5000/foo:1.0+build"), QStringLiteral("may contain only letters"));

    // --- invalid: digests ------------------------------------------------------------------------------------
    addInvalid("uppercase digest hex", QStringLiteral("alpine@sha256:") + Sha256Hex.toUpper(),
               QStringLiteral("lowercase hexadecimal"));
    addInvalid("short digest hex", QStringLiteral("alpine@sha256:abc123"), QStringLiteral("needs 64 hex digits, got 6"));
    addInvalid("sha512 with sha256 length", QStringLiteral("alpine@sha512:") + Sha256Hex,
               QStringLiteral("needs 128 hex digits, got 64"));
    addInvalid("unknown digest algorithm", QStringLiteral("alpine@md5:d41d8cd98f00b204e9800998ecf8427e"),
               QStringLiteral("unsupported digest algorithm \"md5\""));  // bad input (exit 2), like any other typo
    addInvalid("empty digest", QStringLiteral("alpine@"), QStringLiteral("digest after '@' is empty"));
    addInvalid("digest without algorithm", QStringLiteral("alpine@") + Sha256Hex, QStringLiteral("ALGORITHM:HEX"));
    addInvalid("two digests", QStringLiteral("alpine@") + Sha256 + QLatin1Char('@') + Sha256,
               QStringLiteral("more than one '@'"));
}

void ReferenceTest::parse()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);

    const auto ref = Reference::parse(input);
    if (!ok) {
        QFETCH(int, kind);
        QFETCH(QString, error);
        QVERIFY2(!ref.ok(), qPrintable(QStringLiteral("accepted as ") + (ref.ok() ? ref->toString() : QString())));
        QCOMPARE(Error::kindName(ref.error().kind), Error::kindName(Error::Kind(kind)));
        QVERIFY2(ref.error().message.startsWith(QStringLiteral("invalid reference \"") + input + QLatin1Char('"')),
                 qPrintable(ref.error().message));
        QVERIFY2(ref.error().message.contains(error), qPrintable(ref.error().message));
        return;
    }

    QFETCH(QString, registry);
    QFETCH(QString, apiHost);
    QFETCH(QString, repository);
    QFETCH(QString, tag);
    QFETCH(QString, digest);
    QFETCH(QString, identifier);
    QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
    QVERIFY(ref->isValid());
    QCOMPARE(ref->registry(), registry);
    QCOMPARE(ref->apiHost(), apiHost);
    QCOMPARE(ref->repository(), repository);
    QCOMPARE(ref->tag(), tag);
    QCOMPARE(ref->digest().toString(), digest);
    QCOMPARE(ref->hasDigest(), !digest.isEmpty());
    QCOMPARE(ref->identifier(), identifier);
    QCOMPARE(ref->name(), registry + QLatin1Char('/') + repository);
}

void ReferenceTest::roundTrip_data()
{
    parse_data();
}

void ReferenceTest::roundTrip()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    if (!ok)
        return; // nothing to round-trip

    const auto ref = Reference::parse(input);
    QVERIFY(ref.ok());
    const auto again = Reference::parse(ref->toString());
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
    QCOMPARE(again->toString(), ref->toString());
    QVERIFY(again.value() == ref.value());
    QCOMPARE(ref->displayString(), ref->toString());
}

void ReferenceTest::toString_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("hub short name") << QStringLiteral("alpine") << QStringLiteral("docker.io/library/alpine");
    QTest::newRow("hub short name with tag") << QStringLiteral("alpine:3.19")
                                             << QStringLiteral("docker.io/library/alpine:3.19");
    QTest::newRow("hub alias with digest") << QStringLiteral("index.docker.io/foo/bar@") + Sha256
                                           << QStringLiteral("docker.io/foo/bar@") + Sha256;
    QTest::newRow("registry-1 alias") << QStringLiteral("registry-1.docker.io/alpine:edge")
                                      << QStringLiteral("docker.io/library/alpine:edge");
    QTest::newRow("tag and digest") << QStringLiteral("localhost:5000/a:b@") + Sha256
                                    << QStringLiteral("localhost:5000/a:b@") + Sha256;
    QTest::newRow("IPv6 with port") << QStringLiteral("[::1]:5000/foo") << QStringLiteral("[::1]:5000/foo");
    QTest::newRow("sha512") << QStringLiteral("example.com/x/y@") + Sha512 << QStringLiteral("example.com/x/y@") + Sha512;
}

void ReferenceTest::toString()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto ref = Reference::parse(input);
    QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
    QCOMPARE(ref->toString(), expected);
}

void ReferenceTest::parseRepository_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error");

    QTest::newRow("hub short name") << QStringLiteral("alpine") << true << QStringLiteral("docker.io/library/alpine")
                                    << QString();
    QTest::newRow("port is not a tag") << QStringLiteral("localhost:5000/foo/bar") << true
                                       << QStringLiteral("localhost:5000/foo/bar") << QString();
    QTest::newRow("IPv6 with port") << QStringLiteral("[::1]:5000/foo") << true << QStringLiteral("[::1]:5000/foo")
                                    << QString();
    QTest::newRow("tag rejected") << QStringLiteral("alpine:3.19") << false << QString()
                                  << QStringLiteral("without tag or digest");
    QTest::newRow("latest rejected") << QStringLiteral("localhost:5000/foo:latest") << false << QString()
                                     << QStringLiteral("without tag or digest");
    QTest::newRow("digest rejected") << QStringLiteral("alpine@") + Sha256 << false << QString()
                                     << QStringLiteral("without tag or digest");
    QTest::newRow("invalid name still explained") << QStringLiteral("Foo") << false << QString()
                                                  << QStringLiteral("lowercase");
}

void ReferenceTest::parseRepository()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    QFETCH(QString, name);
    QFETCH(QString, error);
    const auto ref = Reference::parseRepository(input);
    QCOMPARE(ref.ok(), ok);
    if (ok) {
        QCOMPARE(ref->name(), name);
        QCOMPARE(ref->toString(), name);
        QVERIFY(ref->tag().isEmpty());
        QVERIFY(!ref->hasDigest());
    } else {
        QCOMPARE(Error::kindName(ref.error().kind), Error::kindName(Error::Kind::InvalidInput));
        QVERIFY2(ref.error().message.contains(error), qPrintable(ref.error().message));
    }
}

void ReferenceTest::parseRegistry_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("error");

    QTest::newRow("host") << QStringLiteral("example.com") << true << QStringLiteral("example.com") << QString();
    QTest::newRow("host:port") << QStringLiteral("localhost:5000") << true << QStringLiteral("localhost:5000") << QString();
    QTest::newRow("https URL with trailing slash") << QStringLiteral("https://host:5000/") << true
                                                   << QStringLiteral("host:5000") << QString();
    QTest::newRow("http URL") << QStringLiteral("http://127.0.0.1:5000") << true << QStringLiteral("127.0.0.1:5000")
                              << QString();
    QTest::newRow("surrounding space") << QStringLiteral("  example.com  ") << true << QStringLiteral("example.com")
                                       << QString();
    QTest::newRow("IPv6 with port") << QStringLiteral("[::1]:5000") << true << QStringLiteral("[::1]:5000") << QString();
    QTest::newRow("IPv6 with NUL and '@' (fuzz)")
        << QStringLiteral("[::1") + QString(3, QChar(0)) + QStringLiteral("@") + QString(2, QChar(0)) + QStringLiteral("]")
        << false << QString() << QStringLiteral("not an IPv6 address");
    QTest::newRow("docker.io") << QStringLiteral("docker.io") << true << Hub << QString();
    QTest::newRow("index.docker.io alias") << QStringLiteral("index.docker.io") << true << Hub << QString();
    QTest::newRow("registry-1.docker.io alias") << QStringLiteral("https://registry-1.docker.io/") << true << Hub
                                                << QString();
    QTest::newRow("path rejected") << QStringLiteral("example.com/foo") << false << QString()
                                   << QStringLiteral("without a path");
    QTest::newRow("URL with path rejected") << QStringLiteral("https://host:5000/v2/") << false << QString()
                                            << QStringLiteral("without a path");
    QTest::newRow("empty") << QString() << false << QString() << QStringLiteral("empty");
    QTest::newRow("only a scheme") << QStringLiteral("https://") << false << QString() << QStringLiteral("empty");
    QTest::newRow("empty port") << QStringLiteral("host:") << false << QString() << QStringLiteral("empty port");
    QTest::newRow("port out of range") << QStringLiteral("host:70000") << false << QString()
                                       << QStringLiteral("not a valid port");
    QTest::newRow("bad host") << QStringLiteral("ho st") << false << QString()
                              << QStringLiteral("not a valid registry host");
}

void ReferenceTest::parseRegistry()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    QFETCH(QString, registry);
    QFETCH(QString, error);
    const auto result = Reference::parseRegistry(input);
    QVERIFY2(result.ok() == ok, qPrintable(result.ok() ? result.value() : result.error().message));
    if (ok) {
        QCOMPARE(result.value(), registry);
    } else {
        QCOMPARE(Error::kindName(result.error().kind), Error::kindName(Error::Kind::InvalidInput));
        QVERIFY2(result.error().message.contains(error), qPrintable(result.error().message));
    }
}

void ReferenceTest::isLoopback_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<bool>("loopback");

    QTest::newRow("localhost") << QStringLiteral("localhost") << true;
    QTest::newRow("localhost:5000") << QStringLiteral("localhost:5000") << true;
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("127.0.0.5:5000") << QStringLiteral("127.0.0.5:5000") << true;
    QTest::newRow("127.255.255.254") << QStringLiteral("127.255.255.254") << true;
    QTest::newRow("[::1]") << QStringLiteral("[::1]") << true;
    QTest::newRow("[::1]:5000") << QStringLiteral("[::1]:5000") << true;
    QTest::newRow("10.0.0.1") << QStringLiteral("10.0.0.1") << false;
    QTest::newRow("128.0.0.1") << QStringLiteral("128.0.0.1:5000") << false;
    QTest::newRow("[::2]") << QStringLiteral("[::2]") << false;
    QTest::newRow("localhost as a subdomain") << QStringLiteral("localhost.example.com") << false;
    QTest::newRow("127 as a subdomain") << QStringLiteral("127.example.com") << false;
    QTest::newRow("docker.io") << QStringLiteral("docker.io") << false;
}

void ReferenceTest::isLoopback()
{
    QFETCH(QString, registry);
    QFETCH(bool, loopback);
    QCOMPARE(Reference::isLoopbackRegistry(registry), loopback);
    // Host names are case-insensitive.
    QCOMPARE(Reference::isLoopbackRegistry(registry.toUpper()), loopback);
    // The same through a parsed reference, where the registry is a valid one.
    const auto ref = Reference::parse(registry + QStringLiteral("/repo:tag"));
    QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
    QCOMPARE(ref->isLoopback(), loopback);
}

void ReferenceTest::derivedReferences()
{
    const auto ref = Reference::parse(QStringLiteral("localhost:5000/team/app:1.0@") + Sha256);
    QVERIFY(ref.ok());

    const Reference tagged = ref->withTag(QStringLiteral("2.0"));
    QCOMPARE(tagged.toString(), QStringLiteral("localhost:5000/team/app:2.0"));
    QVERIFY(!tagged.hasDigest());
    QCOMPARE(tagged.identifier(), QStringLiteral("2.0"));

    const auto other = Digest::parse(Sha512);
    QVERIFY(other.ok());
    const Reference pinned = ref->withDigest(other.value());
    QCOMPARE(pinned.toString(), QStringLiteral("localhost:5000/team/app:1.0@") + Sha512);
    QCOMPARE(pinned.identifier(), Sha512);

    const Reference bare = ref->repositoryOnly();
    QCOMPARE(bare.toString(), QStringLiteral("localhost:5000/team/app"));
    QCOMPARE(bare.identifier(), QStringLiteral("latest"));

    const Reference hub = Reference::fromParts(QStringLiteral("index.docker.io"), QStringLiteral("library/busybox"),
                                               QStringLiteral("1"));
    QCOMPARE(hub.registry(), Hub);
    QCOMPARE(hub.apiHost(), HubApi);
    QCOMPARE(hub.toString(), QStringLiteral("docker.io/library/busybox:1"));

    QVERIFY(!Reference().isValid());
    QCOMPARE(Reference::apiHostFor(Hub), HubApi);
    QCOMPARE(Reference::apiHostFor(QStringLiteral("example.com:5000")), QStringLiteral("example.com:5000"));
}

QTEST_GUILESS_MAIN(ReferenceTest)
#include "tst_reference.moc"
