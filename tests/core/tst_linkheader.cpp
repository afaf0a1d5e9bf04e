// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Link header parsing (RFC 8288) and the pagination "next" URL of the distribution spec (§"Listing Tags",
// catalog): relative and absolute targets, rel forms, several links, and opaque query tokens that must be
// sent back exactly as received.

#include <QtTest>

#include "registry/linkheader.h"

using Restack::Registry::Link;
using Restack::Registry::nextPageUrl;
using Restack::Registry::parseLinkHeader;

class LinkHeaderTest : public QObject
{
    Q_OBJECT

private slots:
    void nextPage_data();
    void nextPage();
    void parseLinks();
    void hasRel();
};

void LinkHeaderTest::nextPage_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("request");
    QTest::addColumn<int>("links");
    QTest::addColumn<QByteArray>("next"); // QUrl::toEncoded() of the next page, empty when there is none

    const QString catalog = QStringLiteral("http://127.0.0.1:5000/v2/_catalog?n=2");
    const QString tags = QStringLiteral("http://127.0.0.1:5000/v2/team/app/tags/list?n=2");

    QTest::newRow("relative next, quoted rel") << QByteArrayLiteral("</v2/_catalog?last=b&n=2>; rel=\"next\"")
                                               << catalog << 1
                                               << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("absolute next on another host")
        << QByteArrayLiteral("<https://mirror.example.com:8443/v2/team/app/tags/list?n=2&last=v1>; rel=\"next\"")
        << tags << 1 << QByteArrayLiteral("https://mirror.example.com:8443/v2/team/app/tags/list?n=2&last=v1");
    QTest::newRow("rel unquoted") << QByteArrayLiteral("</v2/_catalog?n=2&last=b>; rel=next") << catalog << 1
                                  << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?n=2&last=b");
    QTest::newRow("rel uppercase") << QByteArrayLiteral("</v2/_catalog?n=2&last=b>; rel=\"NEXT\"") << catalog << 1
                                   << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?n=2&last=b");
    QTest::newRow("several links, one next")
        << QByteArrayLiteral(
               "</v2/_catalog?n=2>; rel=\"first\", </v2/_catalog?last=b&n=2>; rel=\"next\", </v2/_catalog?last=z&n=2>; rel=\"last\"")
        << catalog << 3 << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("rel with several values") << QByteArrayLiteral("</v2/_catalog?last=c&n=2>; rel=\"prev next\"")
                                             << catalog << 1
                                             << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=c&n=2");
    QTest::newRow("no next") << QByteArrayLiteral("</v2/_catalog?n=2>; rel=\"prev\", </v2/_catalog>; rel=\"nextish\"")
                             << catalog << 2 << QByteArray();
    QTest::newRow("empty header") << QByteArray() << catalog << 0 << QByteArray();
    QTest::newRow("link without rel") << QByteArrayLiteral("</v2/_catalog?last=b&n=2>") << catalog << 1 << QByteArray();
    QTest::newRow("empty target") << QByteArrayLiteral("<>; rel=\"next\"") << catalog << 1 << QByteArray();
    QTest::newRow("opaque percent-encoded last")
        << QByteArrayLiteral("</v2/_catalog?n=2&last=abc%2Fdef%3D%3D>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?n=2&last=abc%2Fdef%3D%3D");
    QTest::newRow("opaque token with padding")
        << QByteArrayLiteral(
               "</v2/team/app/tags/list?token=eyJhbGciOiJIUzI1NiJ9.eyJsYXN0IjoidjEiLCJuIjoyfQ==>; rel=\"next\"")
        << tags << 1
        << QByteArrayLiteral(
               "http://127.0.0.1:5000/v2/team/app/tags/list?token=eyJhbGciOiJIUzI1NiJ9.eyJsYXN0IjoidjEiLCJuIjoyfQ==");
    QTest::newRow("opaque token with '+' and '%2B'")
        << QByteArrayLiteral("</v2/_catalog?last=a+b%2Bc&n=2>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=a+b%2Bc&n=2");
    QTest::newRow("opaque token with an encoded '&'")
        << QByteArrayLiteral("</v2/_catalog?last=a%26b&n=2>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=a%26b&n=2");
    // QUrl (and so any QNetworkRequest) normalises percent-encoding: hex digits are uppercased and encoded
    // unreserved characters decoded. Both are equivalent URIs (RFC 3986 §6.2.2.1, §6.2.2.2), so this is the
    // closest to "byte for byte" a Qt client can send; everything else in the query is kept.
    QTest::newRow("lowercase percent-encoding is uppercased")
        << QByteArrayLiteral("</v2/_catalog?last=abc%2fdef%3d&n=2>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=abc%2Fdef%3D&n=2");
    QTest::newRow("encoded unreserved characters are decoded")
        << QByteArrayLiteral("</v2/_catalog?last=%41%7E&n=2>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=A~&n=2");
    QTest::newRow("query-only target") << QByteArrayLiteral("<?last=b&n=2>; rel=\"next\"") << catalog << 1
                                       << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("scheme-relative target") << QByteArrayLiteral("<//mirror.example.com/v2/_catalog?last=b>; rel=\"next\"")
                                            << catalog << 1
                                            << QByteArrayLiteral("http://mirror.example.com/v2/_catalog?last=b");
    QTest::newRow("whitespace around everything")
        << QByteArrayLiteral("  </v2/_catalog?last=b&n=2>  ;  rel = \"next\"  ") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("no whitespace at all") << QByteArrayLiteral("</v2/_catalog?last=b&n=2>;rel=\"next\"") << catalog
                                          << 1 << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("empty list elements") << QByteArrayLiteral(", ,</v2/_catalog?last=b&n=2>; rel=next ,,") << catalog
                                         << 1 << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("tabs around a quoted rel") << QByteArrayLiteral("\t</v2/_catalog?last=b&n=2>\t;\trel=\"next\"\t")
                                              << catalog << 1
                                              << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    // RFC 8288 §3 / RFC 9110 §5.6.3: OWS is SP or HTAB, so a tab ends a bare value like a space does.
    QTest::newRow("tab after an unquoted rel value") << QByteArrayLiteral("</v2/_catalog?last=b&n=2>; rel=next\t")
                                                     << catalog << 1
                                                     << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("quoted parameter with ',' and ';' before rel")
        << QByteArrayLiteral("</v2/_catalog?last=b&n=2>; title=\"a, b; c\"; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("garbage element before the link")
        << QByteArrayLiteral("garbage \"with, comma\", </v2/_catalog?last=b&n=2>; rel=\"next\"") << catalog << 1
        << QByteArrayLiteral("http://127.0.0.1:5000/v2/_catalog?last=b&n=2");
    QTest::newRow("IPv6 request URL") << QByteArrayLiteral("</v2/_catalog?last=b&n=2>; rel=\"next\"")
                                      << QStringLiteral("http://[::1]:5000/v2/_catalog?n=2") << 1
                                      << QByteArrayLiteral("http://[::1]:5000/v2/_catalog?last=b&n=2");
}

void LinkHeaderTest::nextPage()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, request);
    QFETCH(int, links);
    QFETCH(QByteArray, next);

    QCOMPARE(parseLinkHeader(header).size(), links);
    const QUrl url = nextPageUrl(header, QUrl(request));
    QCOMPARE(url.toEncoded(), next);
    QCOMPARE(url.isEmpty(), next.isEmpty());
}

void LinkHeaderTest::parseLinks()
{
    const QList<Link> links = parseLinkHeader(QByteArrayLiteral(
        "< /a?x=1 >; rel=\"next\"; title=\"t, \\\"q\\\"\"; Type=text/plain, <https://h/b>; rel=prev; rel=\"ignored\""));
    QCOMPARE(links.size(), 2);
    QCOMPARE(links.at(0).target, QStringLiteral("/a?x=1"));
    QCOMPARE(links.at(0).params.value(QStringLiteral("rel")), QStringLiteral("next"));
    QCOMPARE(links.at(0).params.value(QStringLiteral("title")), QStringLiteral("t, \"q\""));
    QCOMPARE(links.at(0).params.value(QStringLiteral("type")), QStringLiteral("text/plain")); // names lowercased
    QCOMPARE(links.at(1).target, QStringLiteral("https://h/b"));
    // RFC 8288 §3.3: only the first rel parameter counts.
    QCOMPARE(links.at(1).params.value(QStringLiteral("rel")), QStringLiteral("prev"));
}

void LinkHeaderTest::hasRel()
{
    Link link;
    link.params.insert(QStringLiteral("rel"), QStringLiteral("prev  Next"));
    QVERIFY(link.hasRel(QStringLiteral("next")));
    QVERIFY(link.hasRel(QStringLiteral("PREV")));
    QVERIFY(!link.hasRel(QStringLiteral("nex")));
    QVERIFY(!link.hasRel(QStringLiteral("last")));
    QVERIFY(!Link().hasRel(QStringLiteral("next")));
}

QTEST_GUILESS_MAIN(LinkHeaderTest)
#include "tst_linkheader.moc"
