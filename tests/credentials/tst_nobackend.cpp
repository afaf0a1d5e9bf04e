// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// No Secret Service at all (the D-Bus session bus address points nowhere, as on a server without a
// desktop session): saving says so with the concrete fix, registries without saved credentials never
// touch the keychain, `restack login` checks the credentials but refuses to pretend it saved them,
// and `--password-stdin` keeps working on each command. An installed `restack` finds its keychain
// plugin where the package puts it, and says to reinstall when it is missing.

#include <QLibraryInfo>
#include <QSettings>
#include <QtTest>

#include "credentials/keychainbackend.h"
#include "credentials/secretstore.h"
#include "credtest.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Credentials;
using namespace Restack::Test;

namespace
{
RegistryOptions withPassword()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("alice"), QStringLiteral("alice-pw-1"));
    return options;
}
} // namespace

class NoBackendTest : public QObject
{
    Q_OBJECT

public:
    NoBackendTest()
        : m_registry(withPassword())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void savingSaysNoKeychainAndHowToFixIt();
    void unsavedRegistriesNeverTouchTheKeychain();
    void savedRegistryCannotBeReadSaysSo();
    void loginChecksButCannotSave();
    void passwordStdinStillWorks();
    void installedCopyFindsItsPluginOrSaysReinstall();

private:

    RegistryFixture m_registry;
    std::unique_ptr<QTemporaryDir> m_home;
    QProcessEnvironment m_environment;
};

void NoBackendTest::initTestCase()
{
    QVERIFY2(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("nonexistent")),
             "run through CTest, which points DBUS_SESSION_BUS_ADDRESS nowhere");
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_home = makeTempDir(QStringLiteral("nobackend-home"));
    m_environment = credentialsEnvironment();
    m_environment.insert(QStringLiteral("HOME"), m_home->path());
    m_environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral(".config")));
}

void NoBackendTest::savingSaysNoKeychainAndHowToFixIt()
{
    SecretStore store(nullptr, {}, m_home->filePath(QStringLiteral("index.conf")));
    const auto saved = waitFor<void>(this, [&store](QObject *context, Callback<void> done) {
        store.write(QStringLiteral("r.example"), {QStringLiteral("alice"), QStringLiteral("pw")}, context, done);
    });
    QVERIFY(!saved.ok());
    qInfo().noquote() << saved.error().toString();
    QVERIFY(SecretStore::isBackendUnavailable(saved.error()));
    QVERIFY(saved.error().message.contains(QLatin1String("no keychain is available")));
    QVERIFY(saved.error().hint.contains(QLatin1String("gnome-keyring-daemon")));
    QVERIFY(saved.error().hint.contains(QLatin1String("--password-stdin")));
    // Nothing was indexed: the registry is not listed as having saved credentials.
    QVERIFY(store.registries().isEmpty());
}

void NoBackendTest::unsavedRegistriesNeverTouchTheKeychain()
{
    SecretStore store(nullptr, {}, m_home->filePath(QStringLiteral("index.conf")));
    const auto read = waitFor<std::optional<Registry::Credential>>(this,
        [&store](QObject *context, Callback<std::optional<Registry::Credential>> done) {
            store.read(QStringLiteral("never-saved.example"), context, done);
        });
    QVERIFY(read.ok());
    QVERIFY(!read.value());
}

void NoBackendTest::savedRegistryCannotBeReadSaysSo()
{
    // Saved earlier, in a session that had a keychain: the index lists it.
    const QString index = m_home->filePath(QStringLiteral("saved.conf"));
    {
        QSettings settings(index, QSettings::IniFormat);
        settings.setValue(QStringLiteral("registries/r.example"), QStringLiteral("alice"));
    }
    SecretStore store(nullptr, {}, index);
    QCOMPARE(store.registries(), QStringList{QStringLiteral("r.example")});
    const auto read = waitFor<std::optional<Registry::Credential>>(this,
        [&store](QObject *context, Callback<std::optional<Registry::Credential>> done) {
            store.read(QStringLiteral("r.example"), context, done);
        });
    QVERIFY(!read.ok());
    QVERIFY(SecretStore::isBackendUnavailable(read.error()));
}

void NoBackendTest::loginChecksButCannotSave()
{
    // Wrong credentials: the registry's answer, as with a keychain.
    CliRun run = runRestackWith({QStringLiteral("login"), m_registry.host(), QStringLiteral("-u"), QStringLiteral("alice"),
                                 QStringLiteral("--password-stdin")},
                                QByteArrayLiteral("wrong\n"), m_environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("login to")) && run.standardError.contains(QLatin1String("nothing was saved")),
             qPrintable(run.describe()));

    // Right credentials: checked, then the keychain's absence is the error, with the fix.
    run = runRestackWith({QStringLiteral("login"), m_registry.host(), QStringLiteral("-u"), QStringLiteral("alice"),
                          QStringLiteral("--password-stdin")},
                         QByteArrayLiteral("alice-pw-1\n"), m_environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.errorLines().filter(QStringLiteral("restack: error:")).size() == 1, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("are right but cannot be saved")), qPrintable(run.describe()));
    QVERIFY2(run.standardError.contains(QLatin1String("--password-stdin")), qPrintable(run.describe()));
    QVERIFY(run.standardOutput.isEmpty());
    QVERIFY(filesContaining(m_home->path(), QByteArrayLiteral("alice-pw-1")).isEmpty());
}

void NoBackendTest::passwordStdinStillWorks()
{
    const CliRun run = runRestackWith({QStringLiteral("catalog"), m_registry.host(), QStringLiteral("-u"), QStringLiteral("alice"),
                                       QStringLiteral("--password-stdin")},
                                      QByteArrayLiteral("alice-pw-1\n"), m_environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
}

// The keychain is a plugin (restack_keychain) loaded on first use. A copy of restack outside the
// build tree is laid out as installed: it looks in lib/restack beside bin/ and nowhere else.
void NoBackendTest::installedCopyFindsItsPluginOrSaysReinstall()
{
    const auto root = makeTempDir(QStringLiteral("installed"));
    QVERIFY(QDir(root->path()).mkpath(QStringLiteral("usr/bin")));
    const QString bin = root->filePath(QStringLiteral("usr/bin"));
    QVERIFY(QFile::copy(QStringLiteral(RESTACK_BINARY), bin + QStringLiteral("/restack")));
    // The index lists a registry, so that `logout` has to ask the keychain.
    {
        QSettings index(m_home->filePath(QStringLiteral(".config/restack/credentials.conf")), QSettings::IniFormat);
        index.setValue(QStringLiteral("registries/plugin.example"), QStringLiteral("alice"));
    }
    auto logout = [&] {
        QProcess process;
        process.setProcessEnvironment(m_environment);
        process.start(bin + QStringLiteral("/restack"), {QStringLiteral("logout"), QStringLiteral("plugin.example")});
        process.closeWriteChannel();
        process.waitForFinished(30000);
        return std::pair{process.exitCode(), QString::fromUtf8(process.readAllStandardError())};
    };

    // No plugin beside it: the error names the file it looked for and says to reinstall.
    const QString plugin = SecretStore::installedBackendPath(bin);
    QVERIFY2(plugin.startsWith(root->path() + QStringLiteral("/usr/lib/")), qPrintable(plugin));
    auto [code, errors] = logout();
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains(QLatin1String("keychain plugin is not installed")) && errors.contains(plugin)
                 && errors.contains(QLatin1String("reinstall Restack")),
             qPrintable(errors));
    QCOMPARE(errors.count(QLatin1String("restack: error:")), 1);

    // Another Qt plugin in its place (Qt's certificate-only TLS backend): refused by its metadata,
    // never run.
    const QString foreign = QLibraryInfo::path(QLibraryInfo::PluginsPath) + QStringLiteral("/tls/libqcertonlybackend.so");
    QVERIFY2(QFileInfo::exists(foreign), qPrintable(foreign));
    QVERIFY(QDir().mkpath(QFileInfo(plugin).path()));
    QVERIFY(QFile::copy(foreign, plugin));
    std::tie(code, errors) = logout();
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains(QLatin1String("is not Restack's keychain plugin")) && errors.contains(QLatin1String(RestackKeychainBackend_iid)),
             qPrintable(errors));
    QVERIFY(QFile::remove(plugin));

    // The plugin where the package puts it: loaded, and the keychain's own absence is the error.
    QVERIFY(QFile::copy(QStringLiteral(RESTACK_KEYCHAIN_PLUGIN_FILE), plugin));
    std::tie(code, errors) = logout();
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains(QLatin1String("no keychain is available")) && !errors.contains(QLatin1String("keychain plugin")),
             qPrintable(errors));

    // The same plugin in a directory other users can write to (as /tmp/lib/restack/ would be for a
    // restack copied to /tmp/x/): not loaded, whoever put it there.
    const QString libDir = root->filePath(QStringLiteral("usr/lib"));
    QVERIFY(QFile::setPermissions(libDir, QFile::permissions(libDir) | QFileDevice::WriteOther));
    std::tie(code, errors) = logout();
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains(QLatin1String("was not loaded: other users can write to ") + libDir), qPrintable(errors));
}

QTEST_GUILESS_MAIN(NoBackendTest)
#include "tst_nobackend.moc"
