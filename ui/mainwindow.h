// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <functional>

#include "common/error.h"
#include "image/reference.h"

class QAction;
class QLineEdit;
class QSplitter;
class QTabWidget;

namespace Restack::Ui
{

class BrowserWidget;
class IndexComposer;
class LoginDialog;
class MessageBanner;
class RebaseWorkspace;
class RegistryPane;
class Session;
class SettingsDialog;

/**
 * The main window: a location bar (Ctrl+L) to type a registry, repository or image reference, a
 * message banner for registry errors (non-modal), and three tabs: the browser, the rebase
 * workspace and the index composer. Standard shortcuts: Find (filter), Refresh (F5), Copy (the
 * selected image's REPOSITORY@DIGEST), Ctrl+L, Preferences (Ctrl+,), Ctrl+1/2/3 for the tabs,
 * Ctrl+Shift+F (find the old base). Window geometry, state and splitter positions are saved in
 * QSettings when the window closes and restored when it opens.
 *
 * Credentials: the Registry menu and the registry pane open the LoginDialog for a registry and log
 * out of it. When a request is refused for want of credentials (401), the message offers
 * "Log In…", and once logged in the failed listing (or preview) is tried again.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);
    ~MainWindow() override;

    /**
     * Opens @p text: a registry ("host:port"), a repository ("host/name") or an image
     * ("host/name:tag", "...@sha256:…"). Returns false (and shows why) when it is none of these.
     */
    bool openLocation(const QString &text);

    BrowserWidget *browser() const { return m_browser; }
    RebaseWorkspace *workspace() const { return m_workspace; }
    IndexComposer *composer() const { return m_composer; }
    /** The login dialog shown, if any. */
    LoginDialog *loginDialog() const;
    MessageBanner *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }

    /** Shows the browser (0), the rebase workspace (1) or the index composer (2). */
    void showPage(int page);
    /** Selects the registry that was selected when the window last closed, if it is still in the list. */
    void restoreLastRegistry();

public Q_SLOTS:
    void refresh();
    void showSettings();
    void copySelection();
    void focusLocation();
    /**
     * Opens the login dialog for @p registry (the browser's when empty); @p retry runs once the
     * registry accepted the credentials.
     */
    void showLogin(const QString &registry = {}, std::function<void()> retry = {});
    /** Forgets @p registry's credentials (the browser's when empty) and lists it again when shown. */
    void logOut(const QString &registry = {});

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void showError(const Error &error, const QString &context);
    void connectRegistryPane(RegistryPane *pane);
    void updateCredentialActions();
    void restoreState();
    void saveState() const;
    /** Restores @p splitter from @p state once it is shown with its real size (a hidden tab's: when opened). */
    void restoreWhenShown(QSplitter *splitter, const QByteArray &state);
    QByteArray splitterState(QSplitter *splitter) const;

    Session *m_session;
    MessageBanner *m_banner;
    QTabWidget *m_tabs;
    BrowserWidget *m_browser;
    RebaseWorkspace *m_workspace;
    IndexComposer *m_composer;
    QLineEdit *m_location;
    QAction *m_logOutAction = nullptr;
    QPointer<SettingsDialog> m_settings;
    QPointer<LoginDialog> m_login;
    QHash<QSplitter *, QByteArray> m_pendingSplitterStates;
};

} // namespace Restack::Ui
