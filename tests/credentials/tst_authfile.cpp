// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// AuthFile: Docker's config.json and the containers auth.json, read only. Entries by host with and
// without scheme and API path, Docker Hub's four names, credHelpers before credsStore before auths,
// "auth" and "identitytoken", namespaced keys ignored, invalid content reported; the file paths.

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include "credentials/authfile.h"

using namespace Restack;
using namespace Restack::Credentials;

namespace
{
QByteArray basic(const QByteArray &userPassword)
{
    return userPassword.toBase64();
}
} // namespace

class AuthFileTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lookup_data();
    void lookup();
    void invalidContent_data();
    void invalidContent();
    void missingFileIsEmpty();
    void dockerConfigPath();
    void podmanAuthPathOrder();
};

void AuthFileTest::lookup_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("username");  // expected credential ("" = none)
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("identityToken");
    QTest::addColumn<QString>("helper");    // expected helper ("" = none)
    QTest::addColumn<QString>("helperServer");

    const QByteArray alice = "{\"auths\":{\"%1\":{\"auth\":\"" + basic("alice:pa:ss") + "\"}}}";
    const auto with = [&alice](const char *key) { return QString::fromLatin1(alice).arg(QLatin1String(key)).toLatin1(); };

    QTest::newRow("host:port") << with("registry.example:5000") << "registry.example:5000" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("other port is another registry") << with("registry.example:5000") << "registry.example:5001" << "" << "" << false << "" << "";
    QTest::newRow("https URL with path") << with("https://registry.example/v2/") << "registry.example" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("case-insensitive host") << with("Registry.Example") << "registry.example" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("namespaced key is not the registry") << with("quay.io/team") << "quay.io" << "" << "" << false << "" << "";
    QTest::newRow("hub legacy key") << with("https://index.docker.io/v1/") << "docker.io" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("hub docker.io key") << with("docker.io") << "index.docker.io" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("hub index key") << with("index.docker.io") << "registry-1.docker.io" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("hub registry-1 key") << with("registry-1.docker.io") << "docker.io" << "alice" << "pa:ss" << false << "" << "";
    QTest::newRow("hub key is not another registry") << with("docker.io") << "ghcr.io" << "" << "" << false << "" << "";

    QTest::newRow("identity token") << QByteArray("{\"auths\":{\"r.example\":{\"auth\":\"" + basic("bob:") + "\",\"identitytoken\":\"rt-123\"}}}")
                                    << "r.example" << "bob" << "rt-123" << true << "" << "";
    QTest::newRow("identity token without auth") << QByteArray("{\"auths\":{\"r.example\":{\"identitytoken\":\"rt-9\"}}}")
                                                 << "r.example" << "" << "rt-9" << true << "" << "";
    QTest::newRow("username and password fields") << QByteArray("{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}}}")
                                                  << "r.example" << "u" << "p" << false << "" << "";
    QTest::newRow("placeholder entry") << QByteArray("{\"auths\":{\"r.example\":{}}}") << "r.example" << "" << "" << false << "" << "";

    QTest::newRow("credHelpers first") << QByteArray("{\"credHelpers\":{\"r.example\":\"pass\"},\"credsStore\":\"secretservice\","
                                                     "\"auths\":{\"r.example\":{\"auth\":\"" + basic("a:b") + "\"}}}")
                                       << "r.example" << "" << "" << false << "pass" << "r.example";
    QTest::newRow("credsStore before auths") << QByteArray("{\"credsStore\":\"secretservice\",\"auths\":{\"https://r.example\":{}}}")
                                             << "r.example" << "" << "" << false << "secretservice" << "https://r.example";
    QTest::newRow("credsStore for Docker Hub asks the legacy key") << QByteArray("{\"credsStore\":\"desktop\"}")
                                                                   << "docker.io" << "" << "" << false << "desktop"
                                                                   << "https://index.docker.io/v1/";
}

void AuthFileTest::lookup()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, registry);
    QFETCH(QString, username);
    QFETCH(QString, secret);
    QFETCH(bool, identityToken);
    QFETCH(QString, helper);
    QFETCH(QString, helperServer);

    const auto file = AuthFile::parse(json, QStringLiteral("config.json"), AuthFileFormat::Docker);
    QVERIFY2(file.ok(), qPrintable(file.ok() ? QString() : file.error().toString()));
    const auto found = file->lookup(registry);
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
    if (secret.isEmpty() && helper.isEmpty()) {
        QVERIFY(!found.value().has_value());
        return;
    }
    QVERIFY(found.value().has_value());
    const AuthFileLookup &lookup = *found.value();
    QCOMPARE(lookup.helper, helper);
    if (!helper.isEmpty()) {
        QCOMPARE(lookup.helperServer, helperServer);
        QVERIFY(!lookup.credential);
        return;
    }
    QVERIFY(lookup.credential.has_value());
    QCOMPARE(lookup.credential->username, username);
    QCOMPARE(lookup.credential->secret, secret);
    QCOMPARE(lookup.credential->identityToken, identityToken);
}

void AuthFileTest::invalidContent_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("parses");
    QTest::newRow("not JSON") << QByteArray("{\"auths\": ") << false;
    QTest::newRow("an array") << QByteArray("[]") << false;
    QTest::newRow("auth without a colon") << QByteArray("{\"auths\":{\"r.example\":{\"auth\":\"" + basic("nocolon") + "\"}}}") << true;
}

void AuthFileTest::invalidContent()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, parses);
    const auto file = AuthFile::parse(json, QStringLiteral("/home/u/.docker/config.json"), AuthFileFormat::Docker);
    QCOMPARE(file.ok(), parses);
    const Error error = parses ? file->lookup(QStringLiteral("r.example")).error() : file.error();
    QCOMPARE(error.kind, Error::Kind::InvalidContent);
    QVERIFY2(error.message.contains(QLatin1String("/home/u/.docker/config.json")), qPrintable(error.message));
    QVERIFY(!error.hint.isEmpty());
}

void AuthFileTest::missingFileIsEmpty()
{
    QTemporaryDir dir;
    const auto file = AuthFile::load(dir.filePath(QStringLiteral("absent.json")), AuthFileFormat::Podman);
    QVERIFY(file.ok());
    QVERIFY(file->isEmpty());
    QVERIFY(!file->lookup(QStringLiteral("r.example")).value().has_value());
}

void AuthFileTest::dockerConfigPath()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("HOME"), QStringLiteral("/home/u"));
    QCOMPARE(AuthFile::dockerConfigPath(environment), QStringLiteral("/home/u/.docker/config.json"));
    environment.insert(QStringLiteral("DOCKER_CONFIG"), QStringLiteral("/etc/ci-docker"));
    QCOMPARE(AuthFile::dockerConfigPath(environment), QStringLiteral("/etc/ci-docker/config.json"));
}

void AuthFileTest::podmanAuthPathOrder()
{
    QTemporaryDir dir;
    const QString runtime = dir.filePath(QStringLiteral("run"));
    const QString home = dir.filePath(QStringLiteral("home"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    QCOMPARE(AuthFile::podmanAuthPath(environment), QString()); // none exists

    QVERIFY(QDir().mkpath(home + QStringLiteral("/.config/containers")));
    QFile config(home + QStringLiteral("/.config/containers/auth.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.close();
    QCOMPARE(AuthFile::podmanAuthPath(environment), config.fileName());

    QVERIFY(QDir().mkpath(runtime + QStringLiteral("/containers")));
    QFile runtimeFile(runtime + QStringLiteral("/containers/auth.json"));
    QVERIFY(runtimeFile.open(QIODevice::WriteOnly));
    runtimeFile.close();
    QCOMPARE(AuthFile::podmanAuthPath(environment), runtimeFile.fileName());

    environment.insert(QStringLiteral("REGISTRY_AUTH_FILE"), QStringLiteral("/explicit/auth.json"));
    QCOMPARE(AuthFile::podmanAuthPath(environment), QStringLiteral("/explicit/auth.json"));
}

QTEST_GUILESS_MAIN(AuthFileTest)
#include "tst_authfile.moc"
