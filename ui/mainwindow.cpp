// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include "browserwidget.h"
#include "credentials/authfile.h"
#include "errortext.h"
#include "imagedetailswidget.h"
#include "indexcomposer.h"
#include "logindialog.h"
#include "messagebanner.h"
#include "rebaseworkspace.h"
#include "registrylistmodel.h"
#include "registrypane.h"
#include "session.h"
#include "settingsdialog.h"

namespace Restack::Ui
{

using Image::Reference;

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_banner(new MessageBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_browser(new BrowserWidget(session, m_tabs))
    , m_workspace(new RebaseWorkspace(session->client(), m_tabs))
    , m_composer(new IndexComposer(session->client(), m_tabs))
    , m_location(new QLineEdit(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Restack"));
    m_tabs->setObjectName(QStringLiteral("pages"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_browser, tr("&Browse"));
    m_tabs->addTab(m_workspace, tr("&Rebase"));
    m_tabs->addTab(m_composer, tr("&Compose Index"));
    m_tabs->setTabToolTip(0, tr("Registries, repositories, tags and image details (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("Compare the layer stacks, then rebase and push (Ctrl+2)"));
    m_tabs->setTabToolTip(2, tr("Assemble a multi-platform index from images and push it (Ctrl+3)"));

    m_location->setObjectName(QStringLiteral("location"));
    m_location->setAccessibleName(tr("Location"));
    m_location->setPlaceholderText(tr("Open a registry, repository or image, e.g. localhost:5000/demo/app:1.0 (Ctrl+L)"));
    m_location->setClearButtonEnabled(true);
    connect(m_location, &QLineEdit::returnPressed, this, [this] {
        if (openLocation(m_location->text()))
            m_location->clearFocus();
    });

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 4, 6, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    createActions();

    connect(m_browser, &BrowserWidget::failed, this, &MainWindow::showError);
    connect(m_browser, &BrowserWidget::currentImageChanged, m_workspace, &RebaseWorkspace::setSelection);
    connect(m_browser, &BrowserWidget::currentImageChanged, m_composer, &IndexComposer::setSelection);
    connectRegistryPane(m_browser->registryPane());
    connect(m_browser->registryPane(), &RegistryPane::currentRegistryChanged, this, &MainWindow::updateCredentialActions);
    connect(m_session, &Session::credentialsChanged, this, &MainWindow::updateCredentialActions);
    connect(m_session, &Session::clientChanged, this, [this](Registry::Client *client) {
        m_workspace->setClient(client);
        m_browser->details()->setClient(client);
        m_composer->setClient(client);
    });
    connect(m_workspace, &RebaseWorkspace::logInRequested, this, [this](const QString &registry) {
        showLogin(registry, [this] { m_workspace->refresh(); });
    });
    connect(m_composer, &IndexComposer::logInRequested, this, [this](const QString &registry) {
        showLogin(registry, [this] { m_composer->refresh(); });
    });
    connect(m_composer, &IndexComposer::statusMessage, this, [this](const QString &text) {
        statusBar()->showMessage(text, 10000);
    });
    connect(m_composer, &IndexComposer::pushed, this, [this](const Reference &pushed) {
        m_browser->showPushedImage(pushed);
    });
    connect(m_browser, &BrowserWidget::currentImageChanged, this, [this](const Reference &ref) {
        if (ref.isValid())
            m_banner->clear(); // a successful selection makes an earlier browse error stale
    });
    ImageDetailsWidget *details = m_browser->details();
    connect(details, &ImageDetailsWidget::rebaseRequested, this, [this](const Reference &ref) {
        m_workspace->setSource(ref);
        showPage(1);
    });
    connect(details, &ImageDetailsWidget::oldBaseRequested, this, [this](const Reference &ref) {
        m_workspace->setOldBase(ref);
        statusBar()->showMessage(tr("Old base: %1").arg(ref.toString()), 5000);
    });
    connect(details, &ImageDetailsWidget::newBaseRequested, this, [this](const Reference &ref) {
        m_workspace->setNewBase(ref);
        statusBar()->showMessage(tr("New base: %1").arg(ref.toString()), 5000);
    });
    connect(m_workspace, &RebaseWorkspace::statusMessage, this, [this](const QString &text) {
        statusBar()->showMessage(text, 10000);
    });
    connect(m_workspace, &RebaseWorkspace::pushed, this, [this](const Reference &pushed) {
        // Show the new tag in the browser (listed again, so that it is there), without leaving the result.
        m_browser->showPushedImage(pushed);
    });

    statusBar()->showMessage(tr("Ready"));
    updateCredentialActions();
    restoreState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Location…"), this, &MainWindow::focusLocation);
    open->setObjectName(QStringLiteral("actionOpenLocation"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setObjectName(QStringLiteral("actionSettings"));
    settings->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Comma), QKeySequence(QKeySequence::Preferences)});
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *copy = edit->addAction(tr("&Copy Image Reference"), this, &MainWindow::copySelection);
    copy->setObjectName(QStringLiteral("actionCopy"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setToolTip(tr("Copy REPOSITORY@DIGEST of the selected image (or of the pushed one)"));
    QAction *find = edit->addAction(tr("&Find"), this, [this] {
        showPage(0);
        m_browser->focusFilter();
    });
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcut(QKeySequence::Find);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    refresh->setObjectName(QStringLiteral("actionRefresh"));
    QList<QKeySequence> refreshKeys = QKeySequence::keyBindings(QKeySequence::Refresh);
    if (!refreshKeys.contains(QKeySequence(Qt::Key_F5)))
        refreshKeys.prepend(QKeySequence(Qt::Key_F5)); // F5 everywhere, whatever the platform's Refresh is
    refresh->setShortcuts(refreshKeys);
    view->addSeparator();
    QAction *browse = view->addAction(tr("&Browser"), this, [this] { showPage(0); });
    browse->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction *rebase = view->addAction(tr("Rebase &Workspace"), this, [this] { showPage(1); });
    rebase->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));

    QAction *compose = view->addAction(tr("&Compose Index"), this, [this] { showPage(2); });
    compose->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));

    QMenu *registry = menuBar()->addMenu(tr("Re&gistry"));
    QAction *logIn = registry->addAction(tr("&Log In…"), this, [this] { showLogin(); });
    logIn->setObjectName(QStringLiteral("actionLogIn"));
    logIn->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    logIn->setToolTip(tr("Log in to the registry shown in the browser"));
    m_logOutAction = registry->addAction(tr("Log &Out"), this, [this] { logOut(); });
    m_logOutAction->setObjectName(QStringLiteral("actionLogOut"));
    m_logOutAction->setToolTip(tr("Forget the credentials of the registry shown in the browser"));

    QMenu *rebaseMenu = menuBar()->addMenu(tr("&Workspace"));
    QAction *findBase = rebaseMenu->addAction(tr("&Find Old Base…"), this, [this] {
        showPage(1);
        m_workspace->findOldBase();
    });
    findBase->setObjectName(QStringLiteral("actionFindOldBase"));
    findBase->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    QAction *push = rebaseMenu->addAction(tr("Rebase and &Push…"), this, [this] {
        showPage(1);
        m_workspace->confirmAndPush();
    });
    push->setObjectName(QStringLiteral("actionRebaseAndPush"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Restack"), this, [this] {
        auto *box = new QMessageBox(QMessageBox::NoIcon, tr("About Restack"),
                                    tr("Restack %1\nRebases container images inside a registry: the old base's layers are "
                                       "swapped for the new base's by rewriting the manifest and config only.")
                                        .arg(QStringLiteral(RESTACK_VERSION)),
                                    QMessageBox::Close, this);
        box->setTextFormat(Qt::PlainText);
        box->setIconPixmap(windowIcon().pixmap(64, 64));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });

    QToolBar *toolbar = addToolBar(tr("Location"));
    toolbar->setObjectName(QStringLiteral("locationToolBar"));
    toolbar->setMovable(false);
    auto *label = new QLabel(tr("Location:"), toolbar);
    label->setBuddy(m_location);
    toolbar->addWidget(label);
    toolbar->addWidget(m_location);
    toolbar->addAction(refresh);
}

void MainWindow::showPage(int page)
{
    m_tabs->setCurrentIndex(page);
}

bool MainWindow::openLocation(const QString &input)
{
    QString text = input.trimmed();
    for (const QString &scheme : {QStringLiteral("https://"), QStringLiteral("http://"), QStringLiteral("docker://")}) {
        if (text.startsWith(scheme, Qt::CaseInsensitive))
            text = text.mid(scheme.size());
    }
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    if (text.isEmpty())
        return false;

    // A single component with a '.' or ':' (or "localhost") is a registry; otherwise a Docker Hub name.
    if (!text.contains(QLatin1Char('/'))) {
        const bool looksLikeHost = text.contains(QLatin1Char('.')) || text.contains(QLatin1Char(':'))
            || text == QLatin1String("localhost");
        if (looksLikeHost && !text.contains(QLatin1Char('@'))) {
            const auto registry = Reference::parseRegistry(text);
            if (!registry.ok()) {
                showError(registry.error(), tr("Opening “%1”").arg(input));
                return false;
            }
            showPage(0);
            m_browser->open(registry.value());
            return true;
        }
    }
    const auto ref = Reference::parse(text);
    if (!ref.ok()) {
        showError(ref.error(), tr("Opening “%1”").arg(input));
        return false;
    }
    showPage(0);
    m_browser->openReference(ref.value());
    return true;
}

void MainWindow::refresh()
{
    m_banner->clear();
    if (m_tabs->currentWidget() == m_workspace)
        m_workspace->refresh();
    else if (m_tabs->currentWidget() == m_composer)
        m_composer->refresh();
    else
        m_browser->refresh();
}

void MainWindow::connectRegistryPane(RegistryPane *pane)
{
    connect(pane, &RegistryPane::logInRequested, this, [this](const QString &registry) {
        showLogin(registry, [this, registry] {
            if (m_browser->currentRegistry() == registry)
                m_browser->refresh();
        });
    });
    connect(pane, &RegistryPane::logOutRequested, this, [this](const QString &registry) { logOut(registry); });
}

LoginDialog *MainWindow::loginDialog() const
{
    return m_login;
}

void MainWindow::showLogin(const QString &registry, std::function<void()> retry)
{
    const QString address = registry.isEmpty() ? m_browser->currentRegistry() : registry;
    if (address.isEmpty()) {
        statusBar()->showMessage(tr("Choose a registry first."), 5000);
        return;
    }
    if (m_login) {
        if (m_login->registry() == address && !retry) {
            m_login->raise();
            m_login->activateWindow();
            return;
        }
        m_login->reject();
    }
    m_login = new LoginDialog(m_session, address, this);
    m_login->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_login, &LoginDialog::loggedIn, this, [this, retry](const QString &registry) {
        m_banner->clear();
        statusBar()->showMessage(tr("Logged in to %1").arg(registry), 5000);
        if (retry)
            retry();
    });
    m_login->open();
}

void MainWindow::logOut(const QString &registry)
{
    const QString address = registry.isEmpty() ? m_browser->currentRegistry() : registry;
    if (address.isEmpty())
        return;
    m_session->logOut(address, this, [this, address](Result<void> done) {
        if (!done.ok()) {
            showError(done.error(), tr("Logging out of %1").arg(address));
            return;
        }
        // Restack never changes Docker's or Podman's files: say so when they still log in.
        QString note;
        const QStringList stillThere =
            Credentials::AuthFile::filesWithCredentials(address, QProcessEnvironment::systemEnvironment());
        if (!stillThere.isEmpty())
            note = tr(" (%1 still has credentials for it, which Restack uses but never changes)")
                       .arg(stillThere.join(QStringLiteral(", ")));
        statusBar()->showMessage(tr("Logged out of %1%2").arg(address, note), 10000);
        if (m_browser->currentRegistry() == address)
            m_browser->refresh();
    });
}

void MainWindow::updateCredentialActions()
{
    if (m_logOutAction) {
        const QString address = m_browser->currentRegistry();
        m_logOutAction->setEnabled(!address.isEmpty() && m_session->hasCredentials(address));
    }
}

void MainWindow::showSettings()
{
    if (!m_settings) {
        m_settings = new SettingsDialog(m_session->registries(), this);
        m_settings->setAttribute(Qt::WA_DeleteOnClose);
        connectRegistryPane(m_settings->registryPane());
    }
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

void MainWindow::copySelection()
{
    QString text;
    if (m_tabs->currentWidget() == m_workspace) {
        if (const auto &pushed = m_workspace->pushResult())
            text = pushed->target.name() + QLatin1Char('@') + pushed->digest.toString();
    } else {
        text = m_browser->details()->pinnedReference();
    }
    if (text.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to copy: select an image first."), 5000);
        return;
    }
    QApplication::clipboard()->setText(text);
    statusBar()->showMessage(tr("Copied %1").arg(text), 5000);
}

void MainWindow::focusLocation()
{
    m_location->setFocus(Qt::ShortcutFocusReason);
    m_location->selectAll();
}

void MainWindow::showError(const Error &error, const QString &context)
{
    m_banner->showError(error, context);
    if (offersLogin(error)) {
        // The browser's listing failed for want of credentials: log in, then list again.
        const QString registry = error.registry.isEmpty() ? m_browser->currentRegistry() : error.registry;
        if (!registry.isEmpty())
            m_banner->setAction(tr("Log In…"), [this, registry] { showLogin(registry, [this] { m_browser->refresh(); }); });
    }
    statusBar()->showMessage(context.isEmpty() ? error.message : context + QStringLiteral(": failed"), 10000);
}

void MainWindow::restoreState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1360, 820);
    QMainWindow::restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    restoreWhenShown(m_browser->splitter(), settings.value(QStringLiteral("browser/splitter")).toByteArray());
    restoreWhenShown(m_browser->leftSplitter(), settings.value(QStringLiteral("browser/leftSplitter")).toByteArray());
    m_browser->tagView()->horizontalHeader()->restoreState(settings.value(QStringLiteral("browser/tagColumns")).toByteArray());
    restoreWhenShown(m_workspace->splitter(), settings.value(QStringLiteral("rebase/splitter")).toByteArray());
    restoreWhenShown(m_composer->splitter(), settings.value(QStringLiteral("composer/splitter")).toByteArray());
    m_workspace->stackView()->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("rebase/stackColumns")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/page"), 0).toInt());
}

void MainWindow::saveState() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), QMainWindow::saveState());
    settings.setValue(QStringLiteral("window/page"), m_tabs->currentIndex());
    settings.setValue(QStringLiteral("browser/splitter"), splitterState(m_browser->splitter()));
    settings.setValue(QStringLiteral("browser/leftSplitter"), splitterState(m_browser->leftSplitter()));
    settings.setValue(QStringLiteral("browser/tagColumns"), m_browser->tagView()->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("rebase/splitter"), splitterState(m_workspace->splitter()));
    settings.setValue(QStringLiteral("composer/splitter"), splitterState(m_composer->splitter()));
    settings.setValue(QStringLiteral("rebase/stackColumns"), m_workspace->stackView()->horizontalHeader()->saveState());
    if (!m_browser->currentRegistry().isEmpty())
        settings.setValue(QStringLiteral("browser/lastRegistry"), m_browser->currentRegistry());
}

void MainWindow::restoreWhenShown(QSplitter *splitter, const QByteArray &state)
{
    // A splitter restored before it has its final size distributes the saved sizes over the wrong
    // width: wait until it is shown (a hidden tab's splitter, until the tab is opened).
    if (state.isEmpty())
        return;
    m_pendingSplitterStates.insert(splitter, state);
    splitter->installEventFilter(this);
}

QByteArray MainWindow::splitterState(QSplitter *splitter) const
{
    return m_pendingSplitterStates.value(splitter, splitter->saveState());
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Show) {
        auto *splitter = qobject_cast<QSplitter *>(watched);
        if (splitter && m_pendingSplitterStates.contains(splitter)) {
            splitter->removeEventFilter(this);
            // After the layout requests that showing it posted, so that it has its final size.
            QTimer::singleShot(0, splitter, [this, splitter] {
                if (m_pendingSplitterStates.contains(splitter))
                    splitter->restoreState(m_pendingSplitterStates.take(splitter));
            });
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::restoreLastRegistry()
{
    const QString last = QSettings().value(QStringLiteral("browser/lastRegistry")).toString();
    if (!last.isEmpty() && m_session->registries()->rowOf(last) >= 0)
        m_browser->open(last);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace Restack::Ui
