// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// WWW-Authenticate parsing (RFC 9110 §11.6.1, §11.2): challenge lists, auth-params in any order and case,
// quoted-strings with commas, '=' and escapes, token68, and tolerance of empty list elements and garbage.

#include <QtTest>

#include "registry/wwwauthenticate.h"

using Restack::Registry::Challenge;
using Restack::Registry::parseWwwAuthenticate;

namespace
{

// One challenge as text: "Scheme(name=value|name=value)" with the parameters in name order, or
// "Scheme[token68]" when it carried a token68.
QString describe(const Challenge &challenge)
{
    if (!challenge.token68.isEmpty()) {
        Q_ASSERT(challenge.params.isEmpty());
        return challenge.scheme + QLatin1Char('[') + challenge.token68 + QLatin1Char(']');
    }
    QStringList params;
    for (auto it = challenge.params.cbegin(); it != challenge.params.cend(); ++it)
        params << it.key() + QLatin1Char('=') + it.value();
    return challenge.scheme + QLatin1Char('(') + params.join(QLatin1Char('|')) + QLatin1Char(')');
}

} // namespace

class WwwAuthenticateTest : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
};

void WwwAuthenticateTest::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("challenges");
    QTest::addColumn<QString>("bearerRealm"); // realm of the first challenge that isScheme("Bearer")

    const QString realm = QStringLiteral("https://auth.example.com/token");

    QTest::newRow("bearer: realm, service, scope")
        << QByteArrayLiteral(
               "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:foo/bar:pull\"")
        << QStringList{QStringLiteral(
               "Bearer(realm=https://auth.example.com/token|scope=repository:foo/bar:pull|service=registry.example.com)")}
        << realm;
    QTest::newRow("bearer: scope first, realm last")
        << QByteArrayLiteral(
               "Bearer scope=\"repository:foo/bar:pull,push\",service=\"registry.example.com\",realm=\"https://auth.example.com/token\"")
        << QStringList{QStringLiteral(
               "Bearer(realm=https://auth.example.com/token|scope=repository:foo/bar:pull,push|service=registry.example.com)")}
        << realm;
    QTest::newRow("bearer: spaces after commas")
        << QByteArrayLiteral("Bearer realm=\"https://auth.example.com/token\", service=\"reg\", scope=\"registry:catalog:*\"")
        << QStringList{QStringLiteral("Bearer(realm=https://auth.example.com/token|scope=registry:catalog:*|service=reg)")}
        << realm;
    QTest::newRow("quoted value with commas and '='")
        << QByteArrayLiteral("Bearer realm=\"https://auth.example.com/token?a=1,b=2&c==\",service=\"s\"")
        << QStringList{QStringLiteral("Bearer(realm=https://auth.example.com/token?a=1,b=2&c==|service=s)")}
        << QStringLiteral("https://auth.example.com/token?a=1,b=2&c==");
    QTest::newRow("escaped quote and backslash")
        << QByteArrayLiteral("Bearer realm=\"say \\\"hi\\\", ok\",service=\"c:\\\\d\"")
        << QStringList{QStringLiteral("Bearer(realm=say \"hi\", ok|service=c:\\d)")} << QStringLiteral("say \"hi\", ok");
    QTest::newRow("unquoted token values")
        << QByteArrayLiteral("Bearer realm=auth.example.com,service=registry.example.com,scope=x")
        << QStringList{QStringLiteral("Bearer(realm=auth.example.com|scope=x|service=registry.example.com)")}
        << QStringLiteral("auth.example.com");
    QTest::newRow("empty quoted value")
        << QByteArrayLiteral("Bearer realm=\"\",service=\"s\"") << QStringList{QStringLiteral("Bearer(realm=|service=s)")}
        << QString();
    QTest::newRow("bearer then basic")
        << QByteArrayLiteral("Bearer realm=\"a\",service=\"b\", Basic realm=\"c\"")
        << QStringList{QStringLiteral("Bearer(realm=a|service=b)"), QStringLiteral("Basic(realm=c)")}
        << QStringLiteral("a");
    QTest::newRow("basic then bearer")
        << QByteArrayLiteral("Basic realm=\"c\", Bearer realm=\"a\",service=\"b\"")
        << QStringList{QStringLiteral("Basic(realm=c)"), QStringLiteral("Bearer(realm=a|service=b)")}
        << QStringLiteral("a");
    QTest::newRow("basic alone") << QByteArrayLiteral("Basic realm=\"Registry Realm\"")
                                 << QStringList{QStringLiteral("Basic(realm=Registry Realm)")} << QString();
    QTest::newRow("basic with charset") << QByteArrayLiteral("Basic realm=\"r\", charset=\"UTF-8\"")
                                        << QStringList{QStringLiteral("Basic(charset=UTF-8|realm=r)")} << QString();
    QTest::newRow("scheme lowercase") << QByteArrayLiteral("bearer realm=\"a\"")
                                      << QStringList{QStringLiteral("bearer(realm=a)")} << QStringLiteral("a");
    QTest::newRow("scheme uppercase") << QByteArrayLiteral("BEARER realm=\"a\", BASIC realm=\"b\"")
                                      << QStringList{QStringLiteral("BEARER(realm=a)"), QStringLiteral("BASIC(realm=b)")}
                                      << QStringLiteral("a");
    QTest::newRow("param names are case-insensitive")
        << QByteArrayLiteral("Bearer REALM=\"a\", Service=\"b\", sCoPe=\"c\"")
        << QStringList{QStringLiteral("Bearer(realm=a|scope=c|service=b)")} << QStringLiteral("a");
    QTest::newRow("token68") << QByteArrayLiteral("Negotiate abc==")
                             << QStringList{QStringLiteral("Negotiate[abc==]")} << QString();
    QTest::newRow("token68 then bearer")
        << QByteArrayLiteral("Negotiate YWJj+/9-._~, Bearer realm=\"a\"")
        << QStringList{QStringLiteral("Negotiate[YWJj+/9-._~]"), QStringLiteral("Bearer(realm=a)")} << QStringLiteral("a");
    QTest::newRow("scheme without parameters") << QByteArrayLiteral("Bearer")
                                               << QStringList{QStringLiteral("Bearer()")} << QString();
    QTest::newRow("two bare schemes") << QByteArrayLiteral("Negotiate, NTLM")
                                      << QStringList{QStringLiteral("Negotiate()"), QStringLiteral("NTLM()")} << QString();
    QTest::newRow("empty header") << QByteArray() << QStringList{} << QString();
    QTest::newRow("only separators") << QByteArrayLiteral(" , ,\t,") << QStringList{} << QString();
    QTest::newRow("garbage: a quoted string") << QByteArrayLiteral("\"garbage, with, commas\"") << QStringList{}
                                              << QString();
    QTest::newRow("garbage: only equals signs") << QByteArrayLiteral("=====") << QStringList{} << QString();
    QTest::newRow("garbage before a challenge")
        << QByteArrayLiteral("@@@, Bearer realm=\"a\"") << QStringList{QStringLiteral("Bearer(realm=a)")}
        << QStringLiteral("a");
    QTest::newRow("extra white space and empty list elements")
        << QByteArrayLiteral("  ,  Bearer   realm = \"a\" , , service=\"b\" ,,\t")
        << QStringList{QStringLiteral("Bearer(realm=a|service=b)")} << QStringLiteral("a");
    QTest::newRow("tab after the scheme") << QByteArrayLiteral("Bearer\trealm=\"a\"")
                                          << QStringList{QStringLiteral("Bearer(realm=a)")} << QStringLiteral("a");
    QTest::newRow("several space-separated scopes")
        << QByteArrayLiteral("Bearer realm=\"r\",service=\"s\",scope=\"repository:a/b:pull repository:c:pull,push\"")
        << QStringList{QStringLiteral("Bearer(realm=r|scope=repository:a/b:pull repository:c:pull,push|service=s)")}
        << QStringLiteral("r");
    QTest::newRow("insufficient_scope error")
        << QByteArrayLiteral("Bearer realm=\"r\",service=\"s\",scope=\"repository:x:pull,push\",error=\"insufficient_scope\"")
        << QStringList{QStringLiteral("Bearer(error=insufficient_scope|realm=r|scope=repository:x:pull,push|service=s)")}
        << QStringLiteral("r");
    QTest::newRow("UTF-8 in a quoted value")
        << QByteArrayLiteral("Basic realm=\"R\xc3\xa9gistre\"") << QStringList{QStringLiteral("Basic(realm=R\u00e9gistre)")}
        << QString();
}

void WwwAuthenticateTest::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QStringList, challenges);
    QFETCH(QString, bearerRealm);

    const QList<Challenge> parsed = parseWwwAuthenticate(header);
    QStringList described;
    for (const Challenge &c : parsed)
        described << describe(c);
    QCOMPARE(described, challenges);

    QString realm;
    for (const Challenge &c : parsed) {
        if (c.isScheme("Bearer")) {
            realm = c.param("realm");
            break;
        }
    }
    QCOMPARE(realm, bearerRealm);
}

QTEST_GUILESS_MAIN(WwwAuthenticateTest)
#include "tst_wwwauthenticate.moc"
