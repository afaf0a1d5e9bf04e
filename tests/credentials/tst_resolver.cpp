// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// CredentialResolver without a keychain: session credentials first, then Docker's config.json
// (credHelpers, auths), then the containers auth.json; the Docker credential-helper protocol with
// docker-credential-restacktest on PATH: the server address on standard input, "credentials not
// found" passing on to the next source, "<token>" usernames as identity tokens, missing and
// failing helpers as errors.

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "credentials/credentialhelper.h"
#include "credentials/credentialresolver.h"
#include "credtest.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Credentials;
using namespace Restack::Test;

class ResolverTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void sessionCredentialComesFirst();
    void dockerAuthsThenPodmanAuthFile();
    void helperGivesTheCredential();
    void helperNotFoundPassesOn();
    void helperTokenUsernameIsAnIdentityToken();
    void missingHelperIsAnError();
    void failingHelperIsAnError();
    void nothingKnown();

private:
    Result<std::optional<ResolvedCredential>> resolve(CredentialResolver &resolver, const QString &registry);
    void writeJson(const QString &path, const QJsonObject &object);
    QString helperLog() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_environment;
};

void ResolverTest::init()
{
    m_dir = makeTempDir(QStringLiteral("resolver"));
    m_environment = credentialsEnvironment();
    m_environment.insert(QStringLiteral("HOME"), m_dir->filePath(QStringLiteral("home")));
    m_environment.insert(QStringLiteral("DOCKER_CONFIG"), m_dir->filePath(QStringLiteral("docker")));
    m_environment.insert(QStringLiteral("REGISTRY_AUTH_FILE"), m_dir->filePath(QStringLiteral("auth.json")));
    m_environment.insert(QStringLiteral("RESTACK_TEST_HELPER_STORE"), m_dir->filePath(QStringLiteral("helper.json")));
    m_environment.insert(QStringLiteral("RESTACK_TEST_HELPER_LOG"), m_dir->filePath(QStringLiteral("helper.log")));
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("docker"))));
}

void ResolverTest::writeJson(const QString &path, const QJsonObject &object)
{
    QVERIFY(writeFile(m_dir->filePath(path), QJsonDocument(object).toJson()).ok());
}

QString ResolverTest::helperLog() const
{
    const auto log = readFile(m_dir->filePath(QStringLiteral("helper.log")));
    return log.ok() ? QString::fromUtf8(log.value()) : QString();
}

Result<std::optional<ResolvedCredential>> ResolverTest::resolve(CredentialResolver &resolver, const QString &registry)
{
    std::optional<Result<std::optional<ResolvedCredential>>> outcome;
    resolver.resolve(registry, this, [&outcome](Result<std::optional<ResolvedCredential>> r) { outcome = std::move(r); });
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 20000))
        return Error::make(Error::Kind::Timeout, QStringLiteral("the resolver did not answer"));
    return *outcome;
}

void ResolverTest::sessionCredentialComesFirst()
{
    writeJson(QStringLiteral("docker/config.json"),
              {{QStringLiteral("auths"), QJsonObject{{QStringLiteral("r.example"),
                                                      QJsonObject{{QStringLiteral("auth"), QStringLiteral("ZG9ja2VyOnB3")}}}}}});
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    resolver.setSessionCredential(QStringLiteral("r.example"), {QStringLiteral("cli"), QStringLiteral("from-stdin")});
    auto found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY(found.ok() && found.value());
    QCOMPARE(found.value()->source, CredentialSource::Session);
    QCOMPARE(found.value()->credential.username, QStringLiteral("cli"));

    resolver.clearSessionCredential(QStringLiteral("r.example"));
    found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY(found.ok() && found.value());
    QCOMPARE(found.value()->source, CredentialSource::DockerConfig);
    QCOMPARE(found.value()->credential.username, QStringLiteral("docker"));
    QCOMPARE(found.value()->credential.secret, QStringLiteral("pw"));
}

void ResolverTest::dockerAuthsThenPodmanAuthFile()
{
    writeJson(QStringLiteral("docker/config.json"),
              {{QStringLiteral("auths"), QJsonObject{{QStringLiteral("https://index.docker.io/v1/"),
                                                      QJsonObject{{QStringLiteral("auth"), QStringLiteral("aHViOmh1Yi1wdw==")}}}}}});
    writeJson(QStringLiteral("auth.json"),
              {{QStringLiteral("auths"), QJsonObject{{QStringLiteral("quay.example"),
                                                      QJsonObject{{QStringLiteral("auth"), QStringLiteral("cG9kOnBvZC1wdw==")}}}}}});
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto hub = resolve(resolver, QStringLiteral("index.docker.io"));
    QVERIFY(hub.ok() && hub.value());
    QCOMPARE(hub.value()->credential.username, QStringLiteral("hub"));
    QCOMPARE(hub.value()->origin, m_dir->filePath(QStringLiteral("docker/config.json")));
    auto quay = resolve(resolver, QStringLiteral("quay.example"));
    QVERIFY(quay.ok() && quay.value());
    QCOMPARE(quay.value()->source, CredentialSource::PodmanAuthFile);
    QCOMPARE(quay.value()->credential.secret, QStringLiteral("pod-pw"));
}

void ResolverTest::helperGivesTheCredential()
{
    writeJson(QStringLiteral("docker/config.json"),
              {{QStringLiteral("credHelpers"), QJsonObject{{QStringLiteral("r.example:5000"), QStringLiteral("restacktest")}}}});
    writeJson(QStringLiteral("helper.json"),
              {{QStringLiteral("r.example:5000"), QJsonObject{{QStringLiteral("Username"), QStringLiteral("helped")},
                                                              {QStringLiteral("Secret"), QStringLiteral("helper-secret")}}}});
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto found = resolve(resolver, QStringLiteral("r.example:5000"));
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
    QVERIFY(found.value());
    QCOMPARE(found.value()->source, CredentialSource::DockerHelper);
    QCOMPARE(found.value()->origin, QStringLiteral("docker-credential-restacktest"));
    QCOMPARE(found.value()->credential.username, QStringLiteral("helped"));
    QCOMPARE(found.value()->credential.secret, QStringLiteral("helper-secret"));
    QVERIFY(!found.value()->credential.identityToken);
    // The server address went on standard input, as the protocol says.
    QCOMPARE(helperLog(), QStringLiteral("get r.example:5000\n"));
}

void ResolverTest::helperNotFoundPassesOn()
{
    writeJson(QStringLiteral("docker/config.json"), {{QStringLiteral("credsStore"), QStringLiteral("restacktest")}});
    writeJson(QStringLiteral("helper.json"), {});
    writeJson(QStringLiteral("auth.json"),
              {{QStringLiteral("auths"), QJsonObject{{QStringLiteral("r.example"),
                                                      QJsonObject{{QStringLiteral("auth"), QStringLiteral("cG9kOnBvZC1wdw==")}}}}}});
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
    QVERIFY(found.value());
    QCOMPARE(found.value()->source, CredentialSource::PodmanAuthFile);
    QCOMPARE(helperLog(), QStringLiteral("get r.example\n"));
}

void ResolverTest::helperTokenUsernameIsAnIdentityToken()
{
    writeJson(QStringLiteral("helper.json"),
              {{QStringLiteral("https://index.docker.io/v1/"),
                QJsonObject{{QStringLiteral("Username"), QStringLiteral("<token>")}, {QStringLiteral("Secret"), QStringLiteral("rt-abc")}}}});
    std::optional<Result<std::optional<Registry::Credential>>> outcome;
    runCredentialHelper(QStringLiteral("restacktest"), QStringLiteral("https://index.docker.io/v1/"), m_environment, this,
                        [&outcome](Result<std::optional<Registry::Credential>> r) { outcome = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QVERIFY(outcome->ok() && outcome->value());
    QVERIFY(outcome->value()->identityToken);
    QCOMPARE(outcome->value()->secret, QStringLiteral("rt-abc"));
    QVERIFY(outcome->value()->username.isEmpty());
}

void ResolverTest::missingHelperIsAnError()
{
    writeJson(QStringLiteral("docker/config.json"),
              {{QStringLiteral("credHelpers"), QJsonObject{{QStringLiteral("r.example"), QStringLiteral("absent-helper")}}}});
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY(!found.ok());
    QCOMPARE(found.error().kind, Error::Kind::Unavailable);
    QVERIFY(found.error().message.contains(QLatin1String("docker-credential-absent-helper")));
    QVERIFY(found.error().hint.contains(QLatin1String("credHelpers")));
}

void ResolverTest::failingHelperIsAnError()
{
    writeJson(QStringLiteral("docker/config.json"),
              {{QStringLiteral("credHelpers"), QJsonObject{{QStringLiteral("r.example"), QStringLiteral("restacktest")}}}});
    m_environment.remove(QStringLiteral("RESTACK_TEST_HELPER_STORE")); // the helper then fails with a message
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY(!found.ok());
    QCOMPARE(found.error().kind, Error::Kind::Internal);
    QVERIFY2(found.error().message.contains(QLatin1String("set RESTACK_TEST_HELPER_STORE")), qPrintable(found.error().toString()));
    QVERIFY(found.error().message.contains(QLatin1String("exit status 2")));
}

void ResolverTest::nothingKnown()
{
    CredentialResolver resolver(nullptr, nullptr, m_environment);
    auto found = resolve(resolver, QStringLiteral("r.example"));
    QVERIFY(found.ok());
    QVERIFY(!found.value());
}

QTEST_GUILESS_MAIN(ResolverTest)
#include "tst_resolver.moc"
