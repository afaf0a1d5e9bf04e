// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include "common/result.h"
#include "session.h"

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace Restack::Ui
{

class MessageBanner;

/**
 * Logs in to one registry: username, password (echo off) and "Remember in the OS keychain".
 * "Log In" checks the credentials with the registry first (Session::logIn(): asynchronous, the
 * dialog stays responsive and Cancel abandons the check); refused credentials are reported in the
 * dialog and nothing is kept. Accepted ones are saved in the keychain or kept for the session,
 * loggedIn() is emitted and the dialog closes, unless there is something to read: when the
 * keychain could not save them (no Secret Service running, access denied), the dialog says why
 * and how to fix it, and stays open with a Close button (the login holds for the session).
 *
 * When the session already knows that no keychain backend runs, the checkbox is disabled and the
 * fix is shown before anything is typed. The "remember" choice (never a secret) is kept in
 * QSettings under "login/remember"; the password field is cleared once used.
 */
class LoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginDialog)

public:
    LoginDialog(Session *session, const QString &registry, QWidget *parent = nullptr);
    ~LoginDialog() override;

    QString registry() const { return m_registry; }
    /** True while the credentials are being checked or saved. */
    bool isChecking() const { return m_check != nullptr; }
    /** The message shown in the dialog (an error, or the keychain warning). */
    MessageBanner *message() const { return m_message; }

public Q_SLOTS:
    /** Checks the credentials typed (the "Log In" button). */
    void accept() override;
    /** Cancels a check in flight and closes. */
    void reject() override;

Q_SIGNALS:
    /** The registry accepted the credentials and they are in use: retry what needed them. */
    void loggedIn(const QString &registry);

private:
    void onLoginFinished(const Result<Session::LoginOutcome> &result);
    void setChecking(bool checking);
    void updateButtons();
    void showKeychainProblem(const Error &error, bool afterLogin);

    Session *m_session;
    QString m_registry;
    QObject *m_check = nullptr; ///< context of the check in flight: deleting it abandons the check
    bool m_done = false;        ///< logged in; only Close is left

    QLabel *m_title;
    MessageBanner *m_message;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_rememberNote;
    QLabel *m_progressText;
    QProgressBar *m_progress;
    QDialogButtonBox *m_buttons;
    QPushButton *m_logIn;
};

} // namespace Restack::Ui
