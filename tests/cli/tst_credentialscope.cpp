// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// The registry's credentials go to the registry's own host only: a hostile or misconfigured
// registry whose Link rel="next" (or upload Location) names another host must not collect them.
// Two small HTTP servers of the test's own play the registry and the other host.

#include <QMutex>
#include <QNetworkAccessManager>
#include <QtTest>

#include <optional>

#include "registry/client.h"
#include "testhttpserver.h"

using namespace Restack;
using namespace Restack::Test;

class CredentialScopeTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextPageOnAnotherHostGetsNoCredentials();
};

void CredentialScopeTest::nextPageOnAnotherHostGetsNoCredentials()
{
    QMutex mutex;
    QList<QByteArray> elsewhereAuthorization;
    TestHttpServer elsewhere([&](const HttpRequest &request) {
        QMutexLocker lock(&mutex);
        elsewhereAuthorization << request.header("Authorization");
        HttpReply reply;
        reply.headers = {{"Content-Type", "application/json"}};
        reply.body = R"({"name":"app","tags":["stolen-page"]})";
        return reply;
    });
    QVERIFY(elsewhere.start());
    const QByteArray basic = "Basic " + QByteArray("alice:secret").toBase64();
    TestHttpServer registry([&](const HttpRequest &request) {
        HttpReply reply;
        if (request.header("Authorization") != basic) {
            reply.status = 401;
            reply.headers = {{"WWW-Authenticate", R"(Basic realm="test")"}, {"Content-Type", "application/json"}};
            reply.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
            return reply;
        }
        reply.headers = {{"Content-Type", "application/json"},
                         {"Link", "<" + elsewhere.baseUrl().toLatin1() + "/v2/app/tags/list?next=abc>; rel=\"next\""}};
        reply.body = R"({"name":"app","tags":["1.0"]})";
        return reply;
    });
    QVERIFY(registry.start());

    QNetworkAccessManager network;
    Registry::Client client(&network);
    const QString host = QStringLiteral("127.0.0.1:%1").arg(registry.port());
    client.setCredential(host, {QStringLiteral("alice"), QStringLiteral("secret")});
    std::optional<Result<QStringList>> tags;
    client.listTags(Image::Reference::parse(host + QStringLiteral("/app")).value(), this,
                    [&tags](Result<QStringList> r) { tags = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(tags.has_value(), 10000);
    QVERIFY2(tags->ok(), qPrintable(tags->ok() ? QString() : tags->error().toString()));
    QCOMPARE(tags->value(), (QStringList{QStringLiteral("1.0"), QStringLiteral("stolen-page")}));
    QMutexLocker lock(&mutex);
    QCOMPARE(elsewhereAuthorization.size(), 1);
    QVERIFY2(elsewhereAuthorization.first().isEmpty(), elsewhereAuthorization.first().constData());
}

QTEST_GUILESS_MAIN(CredentialScopeTest)
#include "tst_credentialscope.moc"
