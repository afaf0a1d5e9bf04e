// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// SecretStore against a real Secret Service (gnome-keyring on a private D-Bus session, started by
// run-with-keyring.sh with HOME in a fresh temporary directory): save, read, replace, remove; the
// QSettings index lists registries without secrets; Docker Hub's names share one entry; the
// resolver prefers the keychain to Docker's config.json; and the secret is in no file under HOME.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "credentials/applicationid.h"
#include "credentials/credentialresolver.h"
#include "credentials/secretstore.h"
#include "credtest.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Credentials;
using namespace Restack::Test;

namespace
{
const QString Secret = QStringLiteral("keychain-Pa55-word!");

/** What the Secret Service itself holds for @p key of Restack's service, via secret-tool (libsecret-tools). */
QByteArray secretToolLookup(const QString &key)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"), ApplicationId,
                                               QStringLiteral("user"), key});
    if (!tool.waitForFinished(10000))
        return {};
    return tool.readAllStandardOutput();
}
} // namespace

class KeychainTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void saveReadReplaceRemove();
    void dockerHubNamesShareOneEntry();
    void keychainComesBeforeDockerConfig();
    void entryGoneFromTheKeychainIsNoCredential();
    void secretIsInNoFileUnderHome();

private:
    Result<void> save(SecretStore &store, const QString &registry, const Registry::Credential &credential);
    Result<std::optional<Registry::Credential>> read(SecretStore &store, const QString &registry);
    Result<void> remove(SecretStore &store, const QString &registry);

    QString m_home;
};

Result<void> KeychainTest::save(SecretStore &store, const QString &registry, const Registry::Credential &credential)
{
    return waitFor<void>(this, [&](QObject *context, Callback<void> done) { store.write(registry, credential, context, done); });
}

Result<std::optional<Registry::Credential>> KeychainTest::read(SecretStore &store, const QString &registry)
{
    return waitFor<std::optional<Registry::Credential>>(this,
        [&](QObject *context, Callback<std::optional<Registry::Credential>> done) { store.read(registry, context, done); });
}

Result<void> KeychainTest::remove(SecretStore &store, const QString &registry)
{
    return waitFor<void>(this, [&](QObject *context, Callback<void> done) { store.remove(registry, context, done); });
}

void KeychainTest::initTestCase()
{
    m_home = qEnvironmentVariable("RESTACK_TEST_KEYRING_HOME");
    QVERIFY2(!m_home.isEmpty() && QDir::homePath() == m_home, "run through run-with-keyring.sh (CTest does)");
}

void KeychainTest::saveReadReplaceRemove()
{
    SecretStore store;
    QVERIFY(store.indexPath().startsWith(m_home));
    const QString registry = QStringLiteral("Registry.Example:5000");
    const auto saved = save(store, registry, {QStringLiteral("alice"), Secret});
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
    QCOMPARE(store.registries(), QStringList{QStringLiteral("registry.example:5000")});
    QCOMPARE(store.username(QStringLiteral("registry.example:5000")), QStringLiteral("alice"));
    // The Secret Service itself holds it, under Restack's service and the "REGISTRY USER" key.
    const QByteArray held = secretToolLookup(QStringLiteral("registry.example:5000 alice"));
    QVERIFY2(!held.isEmpty(), "secret-tool found nothing under org.restack.Restack");

    auto found = read(store, QStringLiteral("registry.example:5000"));
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
    QVERIFY(found.value());
    QCOMPARE(found.value()->username, QStringLiteral("alice"));
    QCOMPARE(found.value()->secret, Secret);
    QVERIFY(!found.value()->identityToken);

    // Another user replaces the first: one credential per registry, the old entry gone.
    QVERIFY(save(store, registry, {QStringLiteral("bob"), QStringLiteral("bob-token"), true}).ok());
    found = read(store, registry);
    QVERIFY(found.ok() && found.value());
    QCOMPARE(found.value()->username, QStringLiteral("bob"));
    QVERIFY(found.value()->identityToken);
    QVERIFY(secretToolLookup(QStringLiteral("registry.example:5000 alice")).isEmpty());

    QVERIFY(remove(store, registry).ok());
    QVERIFY(store.registries().isEmpty());
    found = read(store, registry);
    QVERIFY(found.ok() && !found.value());
    QVERIFY(secretToolLookup(QStringLiteral("registry.example:5000 bob")).isEmpty());
    QVERIFY(remove(store, registry).ok()); // removing what is not there succeeds
}

void KeychainTest::dockerHubNamesShareOneEntry()
{
    SecretStore store;
    QVERIFY(save(store, QStringLiteral("index.docker.io"), {QStringLiteral("hubuser"), QStringLiteral("hub-pw")}).ok());
    QCOMPARE(store.registries(), QStringList{QStringLiteral("docker.io")});
    for (const QString &name : {QStringLiteral("docker.io"), QStringLiteral("registry-1.docker.io")}) {
        const auto found = read(store, name);
        QVERIFY(found.ok() && found.value());
        QCOMPARE(found.value()->username, QStringLiteral("hubuser"));
    }
    QVERIFY(remove(store, QStringLiteral("registry-1.docker.io")).ok());
    QVERIFY(store.registries().isEmpty());
}

void KeychainTest::keychainComesBeforeDockerConfig()
{
    const auto dir = makeTempDir(QStringLiteral("docker-config"));
    QJsonObject auths{{QStringLiteral("r.example"), QJsonObject{{QStringLiteral("auth"), QStringLiteral("ZG9ja2VyOnB3")}}}};
    QVERIFY(writeFile(dir->filePath(QStringLiteral("config.json")),
                      QJsonDocument(QJsonObject{{QStringLiteral("auths"), auths}}).toJson())
                .ok());
    QProcessEnvironment environment = credentialsEnvironment();
    environment.insert(QStringLiteral("DOCKER_CONFIG"), dir->path());

    SecretStore store;
    CredentialResolver resolver(&store, nullptr, environment);
    const auto resolve = [this, &resolver] {
        return waitFor<std::optional<ResolvedCredential>>(this,
            [&resolver](QObject *context, Callback<std::optional<ResolvedCredential>> done) {
                resolver.resolve(QStringLiteral("r.example"), context, done);
            });
    };
    auto found = resolve();
    QVERIFY(found.ok() && found.value());
    QCOMPARE(found.value()->source, CredentialSource::DockerConfig);

    QVERIFY(save(store, QStringLiteral("r.example"), {QStringLiteral("keyed"), Secret}).ok());
    found = resolve();
    QVERIFY(found.ok() && found.value());
    QCOMPARE(found.value()->source, CredentialSource::Keychain);
    QCOMPARE(found.value()->credential.username, QStringLiteral("keyed"));
    QVERIFY(remove(store, QStringLiteral("r.example")).ok());
}

void KeychainTest::entryGoneFromTheKeychainIsNoCredential()
{
    SecretStore store;
    QVERIFY(save(store, QStringLiteral("gone.example"), {QStringLiteral("carol"), Secret}).ok());
    // Deleted behind Restack's back (a keyring manager): the index still lists it.
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"), {QStringLiteral("clear"), QStringLiteral("server"), ApplicationId,
                                               QStringLiteral("user"), QStringLiteral("gone.example carol")});
    QVERIFY(tool.waitForFinished(10000) && tool.exitCode() == 0);
    const auto found = read(store, QStringLiteral("gone.example"));
    QVERIFY(found.ok());
    QVERIFY(!found.value());
    QVERIFY(remove(store, QStringLiteral("gone.example")).ok());
}

void KeychainTest::secretIsInNoFileUnderHome()
{
    SecretStore store;
    QVERIFY(save(store, QStringLiteral("files.example"), {QStringLiteral("dave"), Secret}).ok());
    // The keyring file exists (the Secret Service wrote it, encrypted), the index too.
    QVERIFY(!QDir(m_home + QStringLiteral("/.local/share/keyrings")).entryList(QDir::Files).isEmpty());
    QVERIFY(QFile::exists(store.indexPath()));
    const QStringList leaks = filesContaining(m_home, Secret.toUtf8());
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char(' '))));
    // The index holds the username only.
    QVERIFY(readFile(store.indexPath()).value().contains("dave"));
}

QTEST_GUILESS_MAIN(KeychainTest)
#include "tst_keychain.moc"
