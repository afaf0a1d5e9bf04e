// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui's login where no keychain backend runs (the D-Bus session bus address points nowhere, as
// on a machine without a desktop session): the credentials are checked, used for the session, and the
// dialog says that they could not be saved and how to fix that; the next login dialog says so before
// anything is typed, with "Remember" disabled. Nothing is indexed as saved.

#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include "browserwidget.h"
#include "credentials/secretstore.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "registryfixture.h"
#include "registrylistmodel.h"
#include "repositorymodel.h"
#include "session.h"
#include "uitest.h"

using namespace Restack;
using namespace Restack::Test;

namespace
{
constexpr int Timeout = 20000;
const QString Password = QStringLiteral("no-backend-pw-9");

RegistryOptions withUser()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("bob"), Password);
    return options;
}
} // namespace

class LoginNoBackendTest : public QObject
{
    Q_OBJECT

public:
    LoginNoBackendTest()
        : m_registry(withUser())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void loginHoldsForTheSessionAndSaysWhy();
    void nextDialogSaysSoUpfront();

private:
    Ui::LoginDialog *waitForDialog()
    {
        return waitForVisible<Ui::LoginDialog>([this] { return m_gui.window->loginDialog(); }, Timeout);
    }

    QTemporaryDir m_dir;
    RegistryFixture m_registry;
    GuiHarness m_gui;
};

void LoginNoBackendTest::initTestCase()
{
    QVERIFY2(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("nonexistent")),
             "run through CTest, which points DBUS_SESSION_BUS_ADDRESS nowhere");
    QVERIFY(m_dir.isValid());
    isolateSettings(m_dir.path(), QStringLiteral("ui_login_nobackend"));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    // The keychain index in the test's directory: the user's is never read or written.
    QVERIFY(m_gui.start({}, QSize(1200, 800), m_dir.filePath(QStringLiteral("credentials.conf"))));
}

void LoginNoBackendTest::cleanupTestCase()
{
    m_gui.stop();
}

void LoginNoBackendTest::loginHoldsForTheSessionAndSaysWhy()
{
    QVERIFY(m_gui.window->openLocation(m_registry.host()));
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Unavailable, Timeout);
    QTRY_COMPARE(m_gui.window->banner()->actionText(), QStringLiteral("Log In…"));
    m_gui.window->banner()->triggerAction();
    Ui::LoginDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QVERIFY(!dialog->message()->isVisible()); // not known yet
    auto *remember = dialog->findChild<QCheckBox *>(QStringLiteral("loginRemember"));
    QVERIFY(remember->isEnabled());
    remember->setChecked(true);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("loginUsername")), QStringLiteral("bob"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("loginPassword")), Password);
    auto *button = dialog->findChild<QPushButton *>(QStringLiteral("loginButton"));
    QTest::mouseClick(button, Qt::LeftButton);

    // Checked and in use (the listing works), but not saved: the dialog stays to say why and how to fix it.
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isChecking(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Loaded, Timeout);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->message()->level(), Ui::MessageBanner::Level::Warning);
    const QString text = dialog->message()->text();
    QVERIFY2(text.contains(QStringLiteral("for this session only")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("no keychain is available")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Secret Service")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("gnome-keyring-daemon")), qPrintable(text));
    QVERIFY(!remember->isEnabled());
    QCOMPARE(button->text(), QStringLiteral("Close"));
    QVERIFY(m_gui.session->keychainError().has_value());
    QCOMPARE(m_gui.session->credentialState(m_registry.host()), Ui::CredentialState::Session);
    QVERIFY(m_gui.session->secretStore()->registries().isEmpty());

    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(!m_gui.window->loginDialog());
}

void LoginNoBackendTest::nextDialogSaysSoUpfront()
{
    m_gui.window->showLogin(m_registry.host());
    Ui::LoginDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->message()->isVisible());
    QVERIFY2(dialog->message()->text().contains(QStringLiteral("no keychain is available")),
             qPrintable(dialog->message()->text()));
    auto *remember = dialog->findChild<QCheckBox *>(QStringLiteral("loginRemember"));
    QVERIFY(!remember->isEnabled());
    QVERIFY(!remember->isChecked());
    // The username of the session's login is filled in.
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("loginUsername"))->text(), QStringLiteral("bob"));
    dialog->reject();
    QTRY_VERIFY(!m_gui.window->loginDialog());
}

QTEST_MAIN(LoginNoBackendTest)
#include "tst_loginnobackend.moc"
