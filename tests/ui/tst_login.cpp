// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui's login against a real docker-registry with htpasswd users and a real Secret Service
// (gnome-keyring on a private D-Bus session: run through tests/credentials/run-with-keyring.sh, which
// also gives the test a fresh HOME). Driven like a user: the 401 of the listing offers "Log In…" in the
// message; a wrong password is reported in the dialog and nothing is kept; the right one with "Remember"
// lists the registry and lands in the Secret Service (checked with secret-tool, independently of
// Restack); without "Remember" the credentials live for the session only; "Log Out" forgets them; the
// rebase workspace offers the login too; and no secret is in any file under HOME (settings included).

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>
#include <QtTest>

#include "browserwidget.h"
#include "credentials/applicationid.h"
#include "credentials/secretstore.h"
#include "imagefactory.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "rebaseworkspace.h"
#include "registryfixture.h"
#include "registrylistmodel.h"
#include "registrypane.h"
#include "repositorymodel.h"
#include "session.h"
#include "tools.h"
#include "uitest.h"

using namespace Restack;
using namespace Restack::Test;
using Restack::Credentials::SecretStore;

namespace
{

constexpr int Timeout = 20000;
const QString User = QStringLiteral("alice");
const QString Password = QStringLiteral("gui-Login-pw-4711");

RegistryOptions withUsers()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(User, Password);
    return options;
}

/** What the Secret Service itself holds for @p key under Restack's service, via secret-tool (libsecret-tools). */
QByteArray secretToolLookup(const QString &key)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("lookup"), QStringLiteral("server"), Credentials::ApplicationId, QStringLiteral("user"), key});
    if (!tool.waitForFinished(10000))
        return {};
    return tool.readAllStandardOutput();
}

} // namespace

class LoginTest : public QObject
{
    Q_OBJECT

public:
    LoginTest()
        : m_registry(withUsers())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listing401OffersLogin();
    void wrongPasswordIsShownAndNothingIsKept();
    void rememberedLoginListsAndIsInTheKeychain();
    void logOutForgetsTheKeychainEntry();
    void sessionOnlyLogin();
    void workspaceOffersLogin();
    void noSecretInAnyFileUnderHome();

private:
    template<typename T>
    T *child(const QString &name) const
    {
        return namedChild<T>(m_gui.window.get(), name);
    }
    /** The login dialog once it is shown. */
    Ui::LoginDialog *waitForDialog()
    {
        return waitForVisible<Ui::LoginDialog>([this] { return m_gui.window->loginDialog(); }, Timeout);
    }
    /** Types the credentials into @p dialog, sets "Remember", clicks Log In. */
    void logIn(Ui::LoginDialog *dialog, const QString &password, bool remember);
    int registryRow() const { return m_gui.session->registries()->rowOf(m_registry.host()); }
    QString key() const { return m_registry.host() + QLatin1Char(' ') + User; }

    RegistryFixture m_registry;
    ImageFactory m_factory;
    GuiHarness m_gui;
};

void LoginTest::initTestCase()
{
    QVERIFY2(!qEnvironmentVariable("RESTACK_TEST_KEYRING_HOME").isEmpty()
                 && QDir::homePath() == qEnvironmentVariable("RESTACK_TEST_KEYRING_HOME"),
             "run through tests/credentials/run-with-keyring.sh (CTest does)");
    QCoreApplication::setOrganizationName(QStringLiteral("RestackTest"));
    QCoreApplication::setApplicationName(QStringLiteral("ui_login"));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    ImageSpec base;
    base.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("VERSION=1\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec app;
    app.base = QStringLiteral("base");
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\n")}}, QStringLiteral("COPY run /app/"));
    QVERIFY(m_factory.build(QStringLiteral("base"), base).ok());
    QVERIFY(m_factory.build(QStringLiteral("app"), app).ok());
    m_factory.setCredentials(User, Password);
    QVERIFY(m_factory.push(QStringLiteral("base"), m_registry.host() + QStringLiteral("/team/base:1")).ok());
    QVERIFY(m_factory.push(QStringLiteral("base"), m_registry.host() + QStringLiteral("/team/base:2")).ok());
    QVERIFY(m_factory.push(QStringLiteral("app"), m_registry.host() + QStringLiteral("/team/app:1")).ok());

    Registry::ClientOptions options;
    options.transferTimeoutMs = 10000;
    QVERIFY(m_gui.start(options, QSize(1300, 850)));
}

void LoginTest::cleanupTestCase()
{
    m_gui.stop();
}

void LoginTest::logIn(Ui::LoginDialog *dialog, const QString &password, bool remember)
{
    auto *username = dialog->findChild<QLineEdit *>(QStringLiteral("loginUsername"));
    auto *secret = dialog->findChild<QLineEdit *>(QStringLiteral("loginPassword"));
    auto *rememberBox = dialog->findChild<QCheckBox *>(QStringLiteral("loginRemember"));
    QVERIFY(username && secret && rememberBox);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    username->selectAll();
    QTest::keyClicks(username, User);
    secret->selectAll();
    QTest::keyClicks(secret, password);
    rememberBox->setChecked(remember);
    auto *button = dialog->findChild<QPushButton *>(QStringLiteral("loginButton"));
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(dialog->isChecking()); // asynchronous: the check is under way, the GUI is not blocked
}

void LoginTest::listing401OffersLogin()
{
    QVERIFY(m_gui.window->openLocation(m_registry.host()));
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Unavailable, Timeout);
    Ui::MessageBanner *banner = m_gui.window->banner();
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("HTTP 401")), qPrintable(banner->text()));
    QCOMPARE(banner->actionText(), QStringLiteral("Log In…"));
    QVERIFY(!QApplication::activeModalWidget()); // an offer, not a modal interruption
    QVERIFY(!child<QToolButton>(QStringLiteral("logOutRegistry"))->isEnabled());
}

void LoginTest::wrongPasswordIsShownAndNothingIsKept()
{
    // The banner's action opens the dialog for the registry that refused.
    QTest::mouseClick(m_gui.window->banner()->findChild<QPushButton *>(QStringLiteral("messageAction")), Qt::LeftButton);
    Ui::LoginDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->registry(), m_registry.host());
    logIn(dialog, QStringLiteral("not-the-password"), true);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isChecking(), Timeout);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->message()->isVisible());
    const QString text = dialog->message()->text();
    QVERIFY2(text.contains(QStringLiteral("did not accept the credentials")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Nothing was saved")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("not-the-password")));

    QVERIFY(SecretStore().registries().isEmpty());
    QVERIFY(secretToolLookup(key()).isEmpty());
    QCOMPARE(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::None);
    QCOMPARE(m_gui.session->registries()->index(registryRow()).data(Ui::RegistryListModel::CredentialStateRole).toInt(),
             int(Ui::CredentialState::None));
}

void LoginTest::rememberedLoginListsAndIsInTheKeychain()
{
    Ui::LoginDialog *dialog = m_gui.window->loginDialog();
    QVERIFY(dialog && dialog->isVisible());
    logIn(dialog, Password, true);
    if (QTest::currentTestFailed())
        return;
    // Accepted: the dialog closes and the listing that failed is tried again, now with the credentials.
    QTRY_VERIFY_WITH_TIMEOUT(!m_gui.window->loginDialog(), Timeout);
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Loaded, Timeout);
    QCOMPARE(repositories->receivedCount(), 2); // team/app, team/base
    QVERIFY(!m_gui.window->banner()->isVisible());

    // Saved in the real Secret Service, and indexed (without the secret).
    const SecretStore store;
    QCOMPARE(store.registries(), QStringList{m_registry.host()});
    QCOMPARE(store.username(m_registry.host()), User);
    const QByteArray held = secretToolLookup(key());
    // qtkeychain stores binary data base64-encoded in the Secret Service.
    QVERIFY2(held.contains(Password.toUtf8()) || QByteArray::fromBase64(held.trimmed()).contains(Password.toUtf8()),
             "secret-tool does not find the password under org.restack.Restack");
    QCOMPARE(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::Saved);

    // The registry list shows it: key icon, tooltip, Log Out enabled.
    const QModelIndex row = m_gui.session->registries()->index(registryRow());
    QCOMPARE(row.data(Ui::RegistryListModel::CredentialStateRole).toInt(), int(Ui::CredentialState::Saved));
    QCOMPARE(row.data(Ui::RegistryListModel::CredentialUserRole).toString(), User);
    QVERIFY(!row.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(row.data(Qt::ToolTipRole).toString().contains(QStringLiteral("saved in the keychain")));
    QTRY_VERIFY(child<QToolButton>(QStringLiteral("logOutRegistry"))->isEnabled());

    // A second session (a restart) finds the credentials in the keychain by itself.
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    Ui::Session restarted(&network, {});
    QCOMPARE(restarted.credentialState(m_registry.host()), Ui::CredentialState::Saved);
    std::optional<Result<QStringList>> listed;
    restarted.client()->listCatalog(m_registry.host(), this, [&listed](Result<QStringList> names) { listed = names; });
    QTRY_VERIFY_WITH_TIMEOUT(listed.has_value(), Timeout);
    QVERIFY2(listed->ok(), qPrintable(listed->ok() ? QString() : listed->error().toString()));
    QCOMPARE(listed->value().size(), 2);
}

void LoginTest::logOutForgetsTheKeychainEntry()
{
    auto *pane = m_gui.window->browser()->registryPane();
    QCOMPARE(pane->currentAddress(), m_registry.host());
    QTest::mouseClick(child<QToolButton>(QStringLiteral("logOutRegistry")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::None, Timeout);
    QVERIFY(SecretStore().registries().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(secretToolLookup(key()).isEmpty(), Timeout);
    QTRY_VERIFY(!child<QToolButton>(QStringLiteral("logOutRegistry"))->isEnabled());
    // The session forgot them too: listing again is refused, and the login is offered again.
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Unavailable, Timeout);
    QTRY_COMPARE(m_gui.window->banner()->actionText(), QStringLiteral("Log In…"));
}

void LoginTest::sessionOnlyLogin()
{
    // From the registry pane this time, without "Remember".
    m_gui.window->banner()->clear();
    QTest::mouseClick(child<QToolButton>(QStringLiteral("logInRegistry")), Qt::LeftButton);
    Ui::LoginDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    logIn(dialog, Password, false);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!m_gui.window->loginDialog(), Timeout);
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Loaded, Timeout);
    QCOMPARE(repositories->receivedCount(), 2);
    QCOMPARE(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::Session);
    QVERIFY(SecretStore().registries().isEmpty());
    QVERIFY(secretToolLookup(key()).isEmpty());
    const QModelIndex row = m_gui.session->registries()->index(registryRow());
    QCOMPARE(row.data(Ui::RegistryListModel::CredentialStateRole).toInt(), int(Ui::CredentialState::Session));
    QVERIFY(row.data(Qt::ToolTipRole).toString().contains(QStringLiteral("for this session")));

    // A restart would not know them.
    QNetworkAccessManager network;
    Ui::Session restarted(&network, {});
    QCOMPARE(restarted.credentialState(m_registry.host()), Ui::CredentialState::None);

    // Log Out (the Registry menu's action) forgets them.
    auto *logOut = m_gui.window->findChild<QAction *>(QStringLiteral("actionLogOut"));
    QVERIFY(logOut);
    QTRY_VERIFY(logOut->isEnabled());
    logOut->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::None, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Unavailable, Timeout);
    QVERIFY(!logOut->isEnabled());
}

void LoginTest::workspaceOffersLogin()
{
    // A preview refused for want of credentials offers the login in the workspace; once logged in it runs again.
    m_gui.window->banner()->clear();
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(Image::Reference::parse(m_registry.host() + QStringLiteral("/team/app:1")).value());
    workspace->setOldBase(Image::Reference::parse(m_registry.host() + QStringLiteral("/team/base:1")).value());
    workspace->setNewBase(Image::Reference::parse(m_registry.host() + QStringLiteral("/team/base:2")).value());
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && workspace->problem().has_value(), Timeout);
    QCOMPARE(workspace->problem()->kind, Error::Kind::Unauthorized);
    auto *problems = child<Ui::MessageBanner>(QStringLiteral("rebaseProblems"));
    QCOMPARE(problems->actionText(), QStringLiteral("Log In…"));
    problems->triggerAction();
    Ui::LoginDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    logIn(dialog, Password, false);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!m_gui.window->loginDialog(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && workspace->preview().has_value(), Timeout);
    QVERIFY(!workspace->problem());
}

void LoginTest::noSecretInAnyFileUnderHome()
{
    QSettings().sync();
    // The settings files exist (the registry list index, the "remember" choice) and hold no secret.
    const QString settingsPath = QSettings().fileName();
    QVERIFY2(settingsPath.startsWith(QDir::homePath()), qPrintable(settingsPath));
    QVERIFY(QFile::exists(settingsPath));
    const QStringList leaks = filesContaining(QDir::homePath(), Password.toUtf8());
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char(' '))));
}

QTEST_MAIN(LoginTest)
#include "tst_login.moc"
