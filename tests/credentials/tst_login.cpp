// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// `restack login` and `restack logout` with a real Secret Service (run-with-keyring.sh) against a
// token registry (TokenServer) and a Basic-auth registry: credentials are checked before anything
// is saved, every later command finds them in the keychain for every registry it touches (a
// cross-registry rebase with no credential options), -v logs no secret, logout removes them, and
// the password is in no file under HOME.

#include <QtTest>

#include "credentials/secretstore.h"
#include "credtest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "registryfixture.h"
#include "tokenserver.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Credentials;
using namespace Restack::Test;

namespace
{
const QString TokenPassword = QStringLiteral("token-user-Pw-31");
const QString BasicPassword = QStringLiteral("basic-user-Pw-77");

TokenServerOptions tokenOptions()
{
    TokenServerOptions options;
    options.users = {{QStringLiteral("builder"), TokenPassword}};
    options.access[QStringLiteral("builder")] = {{QStringLiteral("vendor/base"), {QStringLiteral("pull"), QStringLiteral("push")}}};
    return options;
}

RegistryOptions basicOptions()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("alice"), BasicPassword);
    return options;
}

QStringList login(const QString &registry, const QString &user)
{
    return {QStringLiteral("login"), registry, QStringLiteral("-u"), user, QStringLiteral("--password-stdin")};
}
} // namespace

class LoginTest : public QObject
{
    Q_OBJECT

public:
    LoginTest()
        : m_tokens(tokenOptions())
        , m_basic(basicOptions())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void wrongPasswordSavesNothing();
    void passwordMustComeOnStdinWithoutATerminal();
    void loginThenEveryRegistryUsesTheKeychain();
    void verboseLogShowsNoSecret();
    void registryThatDoesNotAskIsNoted();
    void logoutRemovesTheCredentials();

private:
    TokenServer m_tokens;
    std::unique_ptr<RegistryFixture> m_token;
    RegistryFixture m_basic;
    RegistryFixture m_open;
    ImageFactory m_factory;
};

void LoginTest::initTestCase()
{
    QVERIFY2(QDir::homePath() == qEnvironmentVariable("RESTACK_TEST_KEYRING_HOME"), "run through run-with-keyring.sh");
    QString error;
    QVERIFY2(m_tokens.start(&error), qPrintable(error));
    RegistryOptions options;
    options.auth = m_tokens.registryConfig();
    m_token = std::make_unique<RegistryFixture>(options);
    QVERIFY2(m_token->start(&error), qPrintable(error));
    QVERIFY2(m_basic.start(&error), qPrintable(error));
    QVERIFY2(m_open.start(&error), qPrintable(error));

    const auto built = buildBasesAndApp(m_factory);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    m_factory.setCredentials(QStringLiteral("alice"), BasicPassword);
    QVERIFY(m_factory.push(QStringLiteral("base1"), m_basic.host() + QStringLiteral("/team/base:1")).ok());
    QVERIFY(m_factory.push(QStringLiteral("app"), m_basic.host() + QStringLiteral("/team/app:1")).ok());
    m_factory.setCredentials(QStringLiteral("builder"), TokenPassword);
    QVERIFY(m_factory.push(QStringLiteral("base2"), m_token->host() + QStringLiteral("/vendor/base:2")).ok());
    m_factory.setCredentials({}, {});
}

void LoginTest::wrongPasswordSavesNothing()
{
    for (RegistryFixture *registry : {m_token.get(), &m_basic}) {
        const CliRun run = runRestackWith(login(registry->host(), registry == &m_basic ? QStringLiteral("alice") : QStringLiteral("builder")),
                                          QByteArrayLiteral("wrong-password\n"));
        RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
        QVERIFY2(run.standardError.contains(QLatin1String("restack: error: login to ")), qPrintable(run.describe()));
        QVERIFY2(run.standardError.contains(QLatin1String("nothing was saved")), qPrintable(run.describe()));
        QVERIFY(!run.standardError.contains(QLatin1String("wrong-password")));
    }
    QVERIFY(SecretStore().registries().isEmpty());
}

void LoginTest::passwordMustComeOnStdinWithoutATerminal()
{
    const CliRun run = runRestackWith({QStringLiteral("login"), m_basic.host(), QStringLiteral("-u"), QStringLiteral("alice")},
                                      BasicPassword.toUtf8());
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 2, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("--password-stdin")), qPrintable(run.describe()));
    QVERIFY(SecretStore().registries().isEmpty());
}

void LoginTest::loginThenEveryRegistryUsesTheKeychain()
{
    CliRun run = runRestackWith(login(m_token->host(), QStringLiteral("builder")), TokenPassword.toUtf8() + '\n');
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY2(run.standardOutput.contains(QLatin1String("Login succeeded")), qPrintable(run.describe()));
    // Checked first: the token server authenticated builder during the login.
    QVERIFY(!m_tokens.requests().isEmpty());
    QCOMPARE(m_tokens.requests().last().user, QStringLiteral("builder"));
    QCOMPARE(m_tokens.requests().last().status, 200);

    run = runRestackWith(login(QStringLiteral("http://") + m_basic.host() + QStringLiteral("/"), QStringLiteral("alice")),
                         BasicPassword.toUtf8() + '\n');
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QStringList expected{m_basic.host(), m_token->host()};
    expected.sort();
    QCOMPARE(SecretStore().registries(), expected);

    // A rebase across both registries, with no credential option: each registry's credential
    // comes from the keychain when that registry asks.
    const QString target = m_basic.host() + QStringLiteral("/team/app:rebased");
    m_tokens.clearRequests();
    run = runRestackWith({QStringLiteral("rebase"), m_basic.host() + QStringLiteral("/team/app:1"), QStringLiteral("--base"),
                          m_token->host() + QStringLiteral("/vendor/base:2"), QStringLiteral("--old-base"),
                          m_basic.host() + QStringLiteral("/team/base:1"), QStringLiteral("--tag"), target, QStringLiteral("-q")},
                         {});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY(!m_tokens.requests().isEmpty());
    QCOMPARE(m_tokens.requests().first().user, QStringLiteral("builder"));
    ImageVerifier verifier;
    verifier.setCredentials(QStringLiteral("alice"), BasicPassword);
    const auto verified = verifier.verify(target);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    QCOMPARE(verified->layerDigests.first(), m_factory.image(QStringLiteral("base2"))->layerDigests.first());

    // Neither password is in any file under HOME (the keyring file is encrypted).
    for (const QString &secret : {TokenPassword, BasicPassword}) {
        const QStringList leaks = filesContaining(QDir::homePath(), secret.toUtf8());
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char(' '))));
    }
}

void LoginTest::verboseLogShowsNoSecret()
{
    m_tokens.clearRequests();
    const CliRun run = runRestackWith({QStringLiteral("tags"), m_token->host() + QStringLiteral("/vendor/base"), QStringLiteral("-v")}, {});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("from the keychain")), qPrintable(run.describe()));
    QVERIFY(!run.standardError.contains(TokenPassword));
    QVERIFY(!run.standardError.contains(QLatin1String("Authorization"), Qt::CaseInsensitive));
    QVERIFY(!run.standardError.contains(QLatin1String("eyJ")));
    for (const TokenRequestRecord &r : m_tokens.requests())
        QVERIFY(!run.standardError.contains(r.token.section(QLatin1Char('.'), 2)));
}

void LoginTest::registryThatDoesNotAskIsNoted()
{
    const CliRun run = runRestackWith(login(m_open.host(), QStringLiteral("nobody")), QByteArrayLiteral("pw\n"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("did not ask for credentials")), qPrintable(run.describe()));
    QVERIFY(SecretStore().registries().contains(m_open.host()));
}

void LoginTest::logoutRemovesTheCredentials()
{
    CliRun run = runRestackWith({QStringLiteral("logout"), m_token->host()}, {});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY2(run.standardOutput.contains(QLatin1String("Removed the credentials")), qPrintable(run.describe()));
    QVERIFY(!SecretStore().registries().contains(m_token->host()));

    // Now the token registry gets no credential: anonymous, refused, and the hint says how to log in.
    run = runRestackWith({QStringLiteral("tags"), m_token->host() + QStringLiteral("/vendor/base")}, {});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("restack login")), qPrintable(run.describe()));

    run = runRestackWith({QStringLiteral("logout"), m_token->host()}, {});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY2(run.standardOutput.contains(QLatin1String("No credentials")), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(LoginTest)
#include "tst_login.moc"
