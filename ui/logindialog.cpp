// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logindialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "credentials/secretstore.h"
#include "errortext.h"
#include "messagebanner.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

namespace
{
const QString RememberKey = QStringLiteral("login/remember");
} // namespace

LoginDialog::LoginDialog(Session *session, const QString &registry, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_registry(registry)
    , m_title(makeLabel(this, QStringLiteral("loginTitle")))
    , m_message(new MessageBanner(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember in the OS keychain"), this))
    , m_rememberNote(makeLabel(this, QStringLiteral("loginRememberNote"), LabelKind::Note))
    , m_progressText(makeLabel(this, QStringLiteral("loginProgressText"), LabelKind::Note))
    , m_progress(new QProgressBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_logIn(m_buttons->addButton(tr("&Log In"), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Log In to %1").arg(registry));
    setAccessibleName(tr("Log in to %1").arg(registry));

    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setText(tr("Log in to %1").arg(registry));
    auto *intro = makeLabel(this, QStringLiteral("loginIntro"), LabelKind::Note);
    intro->setText(tr("The registry checks the credentials before anything is kept. A password or an access token "
                      "both work."));

    m_message->setObjectName(QStringLiteral("loginMessage"));
    m_message->setAccessibleName(tr("Login message"));

    m_username->setObjectName(QStringLiteral("loginUsername"));
    m_username->setAccessibleName(tr("Username"));
    m_password->setObjectName(QStringLiteral("loginPassword"));
    m_password->setAccessibleName(tr("Password or token"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("loginRemember"));
    m_remember->setToolTip(tr("Save the credentials in the operating system's keychain (Secret Service, Keychain, "
                              "Credential Manager), shared with `restack login`. Otherwise they are forgotten when "
                              "Restack quits."));
    m_remember->setChecked(QSettings().value(RememberKey, true).toBool());
    m_rememberNote->setText(tr("Never written to Restack's settings or logs."));

    m_progress->setObjectName(QStringLiteral("loginProgress"));
    m_progress->setAccessibleName(tr("Checking the credentials"));
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(m_progress->fontMetrics().height() / 2 + 4);
    m_logIn->setObjectName(QStringLiteral("loginButton"));
    m_logIn->setDefault(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("loginCancel"));

    const QString user = session->credentialUser(registry);
    m_username->setText(user);

    auto *form = new QFormLayout;
    form->addRow(tr("&Username:"), m_username);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(QString(), m_rememberNote);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progressText, 1);
    progressRow->addWidget(m_progress);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(intro);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addLayout(progressRow);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LoginDialog::reject);
    connect(m_username, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    connect(m_password, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    connect(m_remember, &QCheckBox::toggled, this, [](bool remember) { QSettings().setValue(RememberKey, remember); });

    if (const std::optional<Error> keychain = session->keychainError())
        showKeychainProblem(*keychain, false);
    setChecking(false);
    (user.isEmpty() ? m_username : m_password)->setFocus();
    setMinimumWidth(480);
}

LoginDialog::~LoginDialog()
{
    m_password->clear();
}

void LoginDialog::accept()
{
    if (m_done) {
        QDialog::accept();
        return;
    }
    if (m_check || !m_logIn->isEnabled())
        return;
    Registry::Credential credential;
    credential.username = m_username->text().trimmed();
    credential.secret = m_password->text();
    if (credential.username.isEmpty() || credential.secret.isEmpty())
        return;
    const bool remember = m_remember->isEnabled() && m_remember->isChecked();
    if (!m_session->keychainError())
        m_message->clear();
    m_check = new QObject(this);
    setChecking(true);
    m_progressText->setText(remember ? tr("Checking the credentials with %1, then saving them…").arg(m_registry)
                                     : tr("Checking the credentials with %1…").arg(m_registry));
    m_session->logIn(m_registry, credential, remember, m_check,
                     [this](Result<Session::LoginOutcome> result) { onLoginFinished(result); });
}

void LoginDialog::reject()
{
    // Deleting the context abandons the check: nothing is kept.
    delete m_check;
    m_check = nullptr;
    m_password->clear();
    QDialog::reject();
}

void LoginDialog::onLoginFinished(const Result<Session::LoginOutcome> &result)
{
    if (m_check)
        m_check->deleteLater();
    m_check = nullptr;
    if (!result.ok()) {
        m_progressText->clear();
        setChecking(false);
        // Refused: the generic advice ("choose Log In…") would be beside the point here.
        ErrorText text = errorText(result.error());
        if (result.error().kind == Error::Kind::Unauthorized)
            text.hint = result.error().hint;
        m_message->showErrorText(text);
        m_password->setFocus();
        m_password->selectAll();
        return;
    }
    const Session::LoginOutcome &outcome = *result;
    setChecking(false);
    m_password->clear();
    Q_EMIT loggedIn(m_registry);
    if (!outcome.keychainError) {
        QDialog::accept();
        return;
    }
    // Logged in, but not saved: say why and how to fix it, and leave only Close.
    m_done = true;
    showKeychainProblem(*outcome.keychainError, true);
    m_progressText->setText(tr("Logged in to %1 for this session.").arg(m_registry));
    m_username->setEnabled(false);
    m_password->setEnabled(false);
    m_remember->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Cancel)->hide();
    m_logIn->setText(tr("Close"));
    m_logIn->setEnabled(true);
    m_logIn->setFocus();
}

void LoginDialog::showKeychainProblem(const Error &error, bool afterLogin)
{
    const bool noBackend = Credentials::SecretStore::isBackendUnavailable(error);
    QString title;
    if (noBackend) {
        title = afterLogin ? tr("Logged in for this session only: no keychain is available to save the credentials.")
                           : tr("No keychain is available: credentials are kept for this session only.");
    } else {
        title = tr("Logged in for this session only: the keychain did not save the credentials.");
    }
    QStringList details;
    if (noBackend) {
        details << tr("To save them, start a Secret Service provider in your desktop session (GNOME Keyring, KWallet, "
                      "or KeePassXC with its Secret Service integration), then log in again with “Remember” ticked. "
                      "Without a desktop session: run restack-gui inside dbus-run-session after unlocking "
                      "gnome-keyring-daemon --unlock --components=secrets.");
    } else {
        details << tr("Unlock the keychain and allow Restack to use it, then log in again with “Remember” ticked.");
    }
    details << tr("Keychain said: %1").arg(error.message);
    m_message->showMessage(MessageBanner::Level::Warning, title, details.join(QLatin1Char('\n')));
    if (noBackend) {
        const QSignalBlocker keepPreference(m_remember); // the user's choice stands for when a keychain runs
        m_remember->setChecked(false);
        m_remember->setEnabled(false);
        m_rememberNote->setText(tr("Unavailable until a keychain runs; see above."));
    }
}

void LoginDialog::setChecking(bool checking)
{
    m_username->setReadOnly(checking);
    m_password->setReadOnly(checking);
    if (!m_session->keychainError())
        m_remember->setEnabled(!checking);
    m_progress->setVisible(checking);
    m_progressText->setVisible(checking || !m_progressText->text().isEmpty());
    updateButtons();
}

void LoginDialog::updateButtons()
{
    if (m_done)
        return;
    m_logIn->setEnabled(!m_check && !m_username->text().trimmed().isEmpty() && !m_password->text().isEmpty());
}

} // namespace Restack::Ui
