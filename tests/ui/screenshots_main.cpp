// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-screenshots: renders restack-gui's main views into PNG files, for the README.
//
//   restack-screenshots --out DIR REGISTRY
//
// REGISTRY must hold the sandbox's demo images (demo/base:1.0, demo/base:2.0, demo/app:1.0):
// docs/screenshots.sh runs this tool under xvfb-run inside restack-sandbox. The tool drives the real
// widgets (like a user: open a reference, choose the bases, preview, confirm, push) and grabs:
//   browser.png         the browser with demo/app:1.0 selected: tags, configuration, layers and history
//   rebase-preview.png  the rebase workspace: both stacks side by side, the plan and the predicted digest
//   confirm-push.png    the confirmation naming the target
//   rebase-result.png   the workspace after the push, with the pushed digest
//   rebase-dark.png     the workspace under a dark palette
//   error.png           a registry error in the message banner (connection refused)
//   login.png           the login dialog over the window (the registry list shows a session login)
//   find-base.png       "Find Old Base": the candidates of the base search
//   composer.png        the index composer: two images of different platforms (built here with umoci and
//                       pushed with skopeo), the index JSON and the blobs it brings into the target
//   rebase-index.png    the rebase workspace on an index source (linux/amd64 + linux/arm64, joined here):
//                       one row per platform, the arm64 stacks shown
// Settings are written to a temporary directory, never the user's; no keychain is touched (the login
// shown is not submitted).

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <functional>

#include "browserwidget.h"
#include "findbasedialog.h"
#include "imagedetailswidget.h"
#include "imagefactory.h"
#include "indexcomposer.h"
#include "indexentrymodel.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "rebaseworkspace.h"
#include "registrylistmodel.h"
#include "session.h"
#include "rawpusher.h"
#include "tools.h"
#include "tagmodel.h"

using namespace Restack;

namespace
{

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

bool waitFor(const std::function<bool()> &condition, const char *what, int timeoutMs = 30000)
{
    if (QTest::qWaitFor(condition, timeoutMs))
        return true;
    err() << "restack-screenshots: timed out waiting for " << what << "\n";
    err().flush();
    return false;
}

/** The window and what is on top of it (a dialog is a window of its own), as on screen. */
QPixmap grabScreen(QWidget *window)
{
    const QRect frame = window->frameGeometry();
    return window->screen()->grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height());
}

bool save(const QPixmap &pixmap, const QDir &out, const QString &name)
{
    const QString path = out.filePath(name);
    if (!pixmap.save(path)) {
        err() << "restack-screenshots: cannot write " << path << "\n";
        return false;
    }
    err() << "restack-screenshots: wrote " << path << " (" << pixmap.width() << "x" << pixmap.height() << ")\n";
    return true;
}

/** Lets pending layout and paint events run so that grabs show the settled window. */
void settle()
{
    QTest::qWait(300);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x33, 0x35, 0x3a));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x33, 0x35, 0x3a));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Link, QColor(0x6a, 0xa8, 0xf0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setOrganizationName(QStringLiteral("RestackScreenshots"));
    QApplication::setApplicationName(QStringLiteral("restack-screenshots"));
    QApplication::setApplicationDisplayName(QStringLiteral("Restack"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/restack/restack.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Renders restack-gui's main views into PNG files."));
    parser.addHelpOption();
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Directory for the PNG files."),
                                       QStringLiteral("dir"), QStringLiteral("docs"));
    parser.addOption(outOption);
    parser.addPositionalArgument(QStringLiteral("REGISTRY"), QStringLiteral("host:port of the seeded sandbox registry"));
    parser.process(application);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString registry = parser.positionalArguments().constFirst();
    const QDir out(parser.value(outOption));
    if (!QDir().mkpath(out.path())) {
        err() << "restack-screenshots: cannot create " << out.path() << "\n";
        return 1;
    }

    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    Ui::Session session(&network, {});
    Ui::RegistryEntry sandbox;
    sandbox.name = QStringLiteral("Sandbox");
    sandbox.address = registry;
    session.registries()->addRegistry(sandbox);
    Ui::RegistryEntry example;
    example.name = QStringLiteral("Staging (example)");
    example.address = QStringLiteral("registry.example.com");
    session.registries()->addRegistry(example);
    // A login held for this session (never sent anywhere: nothing contacts registry.example.com), so that
    // the registry list shows its key icon.
    session.setCredential(example.address, {QStringLiteral("ci-bot"), QStringLiteral("not-a-real-token")});

    Ui::MainWindow window(&session);
    window.resize(1480, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        err() << "restack-screenshots: the window was not shown (is there a display?)\n";
        return 1;
    }

    // 1. The browser on demo/app:1.0.
    window.openLocation(registry + QStringLiteral("/demo/app:1.0"));
    Ui::BrowserWidget *browser = window.browser();
    if (!waitFor([&] { return browser->details()->isLoaded(); }, "the image details"))
        return 1;
    Ui::TagModel *tags = browser->tagModel();
    tags->loadAllDetails();
    waitFor([&] {
        for (int row = 0; row < tags->rowCount(); ++row) {
            if (tags->index(row, 0).data(Ui::TagModel::DetailsStateRole).toInt() != int(Ui::TagModel::DetailsState::Loaded))
                return false;
        }
        return true;
    }, "the tag details");
    settle();
    if (!save(window.grab(), out, QStringLiteral("browser.png")))
        return 1;

    // 1b. The login dialog, filled in (not submitted).
    window.showLogin(example.address);
    Ui::LoginDialog *login = nullptr;
    if (!waitFor([&] { return (login = window.loginDialog()) != nullptr && login->isVisible(); }, "the login dialog"))
        return 1;
    login->findChild<QLineEdit *>(QStringLiteral("loginPassword"))->setText(QStringLiteral("correct-horse"));
    settle();
    save(grabScreen(&window), out, QStringLiteral("login.png"));
    login->reject();

    // 2. The rebase workspace: bases chosen, preview shown.
    Ui::RebaseWorkspace *workspace = window.workspace();
    const auto reference = [&](const QString &path) { return Image::Reference::parse(registry + QLatin1Char('/') + path).value(); };
    workspace->setSource(reference(QStringLiteral("demo/app:1.0")));
    workspace->setOldBase(reference(QStringLiteral("demo/base:1.0")));
    workspace->setNewBase(reference(QStringLiteral("demo/base:2.0")));
    window.showPage(1);
    if (!waitFor([&] { return workspace->preview().has_value() && !workspace->isBusy(); }, "the preview"))
        return 1;
    settle();
    if (!save(window.grab(), out, QStringLiteral("rebase-preview.png")))
        return 1;

    // 3. The confirmation, over the window (a screen grab: it is a window of its own).
    workspace->confirmAndPush();
    QMessageBox *box = nullptr;
    if (!waitFor([&] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                if (widget->objectName() == QLatin1String("confirmPush") && widget->isVisible())
                    box = qobject_cast<QMessageBox *>(widget);
            }
            return box != nullptr;
        }, "the confirmation"))
        return 1;
    settle();
    save(grabScreen(&window), out, QStringLiteral("confirm-push.png"));

    // 4. Push, then the result.
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmPushButton")), Qt::LeftButton);
    if (!waitFor([&] { return workspace->pushResult().has_value() && !workspace->isBusy(); }, "the push"))
        return 1;
    settle();
    if (!save(window.grab(), out, QStringLiteral("rebase-result.png")))
        return 1;

    // 5. The same under a dark palette (the application follows the system palette).
    QApplication::setPalette(darkPalette());
    settle();
    save(window.grab(), out, QStringLiteral("rebase-dark.png"));
    QApplication::setPalette(QApplication::style()->standardPalette());

    // 6. A registry error: nothing listens on port 1.
    window.showPage(0);
    window.openLocation(QStringLiteral("127.0.0.1:1"));
    if (!waitFor([&] { return window.banner()->isVisible(); }, "the error banner"))
        return 1;
    settle();
    save(window.grab(), out, QStringLiteral("error.png"));
    window.banner()->clear();
    window.statusBar()->clearMessage();

    // 7. Find Old Base: the source's candidates in demo/base, which gets two more tags of base 1.0 first.
    for (const QString &tag : {QStringLiteral("1"), QStringLiteral("1.0-stable")}) {
        const auto copied = Test::runTool(QStringLiteral("skopeo"),
                                          {QStringLiteral("copy"), QStringLiteral("--src-tls-verify=false"),
                                           QStringLiteral("--dest-tls-verify=false"),
                                           QStringLiteral("docker://%1/demo/base:1.0").arg(registry),
                                           QStringLiteral("docker://%1/demo/base:%2").arg(registry, tag)});
        if (!copied)
            err() << "restack-screenshots: could not tag demo/base:" << tag << "\n";
    }
    window.showPage(1);
    workspace->findOldBase();
    Ui::FindBaseDialog *finder = nullptr;
    if (!waitFor([&] {
            finder = window.findChild<Ui::FindBaseDialog *>();
            return finder && finder->isVisible() && !finder->isSearching();
        }, "the base search"))
        return 1;
    settle();
    save(grabScreen(&window), out, QStringLiteral("find-base.png"));
    finder->reject();

    // 8. The index composer: an amd64 and an arm64 image from two repositories, joined under demo/hello.
    Test::ImageFactory factory;
    for (const QString &arch : {QStringLiteral("amd64"), QStringLiteral("arm64")}) {
        Test::ImageSpec hello;
        hello.architecture = arch;
        hello.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("NAME=\"Demo OS\"\nVERSION=\"2.0\"\n")}},
                       QStringLiteral("COPY os-release /etc/"));
        hello.addLayer({{QStringLiteral("/app/bin/hello"), QStringLiteral("#!/bin/sh\necho hello from %1\n").arg(arch).toUtf8()}},
                       QStringLiteral("COPY hello /app/bin/"));
        const auto pushed = factory.buildAndPush(QStringLiteral("hello-") + arch, hello,
                                                 registry + QStringLiteral("/build/hello-%1:1.0").arg(arch));
        if (!pushed) {
            err() << "restack-screenshots: cannot build the composer's images: " << pushed.error().toString() << "\n";
            return 1;
        }
    }
    window.showPage(2);
    Ui::IndexComposer *composer = window.composer();
    composer->addImageText(registry + QStringLiteral("/build/hello-amd64:1.0"));
    composer->addImageText(registry + QStringLiteral("/build/hello-arm64:1.0"));
    composer->entryModel()->setData(composer->entryModel()->index(1, Ui::IndexEntryModel::VariantColumn), QStringLiteral("v8"));
    composer->setTarget(registry + QStringLiteral("/demo/hello:1.0"));
    composer->setExtraTags(QStringLiteral("latest"));
    if (!waitFor([&] { return !composer->isBusy() && composer->preview().has_value(); }, "the index preview"))
        return 1;
    settle();
    save(window.grab(), out, QStringLiteral("composer.png"));

    // 9. An index source in the rebase workspace: per-architecture bases and app, joined into indexes.
    Test::RawPusher pusher(registry);
    QJsonArray base1Children, base2Children, appChildren;
    for (const QString &arch : {QStringLiteral("amd64"), QStringLiteral("arm64")}) {
        Test::ImageSpec base1;
        base1.architecture = arch;
        base1.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("VERSION=\"1.0\"\n")}}, QStringLiteral("COPY os-release /etc/"));
        base1.addLayer({{QStringLiteral("/usr/lib/libdemo.so.1"), arch.toUtf8()}}, QStringLiteral("COPY libdemo.so.1 /usr/lib/"));
        Test::ImageSpec base2;
        base2.architecture = arch;
        base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("VERSION=\"2.0\"\n")},
                        {QStringLiteral("/usr/lib/libdemo.so.2"), arch.toUtf8()}},
                       QStringLiteral("COPY rootfs /"));
        Test::ImageSpec app;
        app.base = QStringLiteral("idx-base1-") + arch;
        app.architecture = arch;
        app.addLayer({{QStringLiteral("/app/bin/hello"), QStringLiteral("#!/bin/sh\necho hello from %1\n").arg(arch).toUtf8()}},
                     QStringLiteral("COPY hello /app/bin/"));
        const QList<std::tuple<QString, Test::ImageSpec, QString, QJsonArray *>> builds{
            {QStringLiteral("idx-base1-") + arch, base1, QStringLiteral("multi/base:1.0-") + arch, &base1Children},
            {QStringLiteral("idx-base2-") + arch, base2, QStringLiteral("multi/base:2.0-") + arch, &base2Children},
            {QStringLiteral("idx-app-") + arch, app, QStringLiteral("multi/app:1.0-") + arch, &appChildren}};
        for (const auto &[tag, spec, target, children] : builds) {
            const auto pushed = factory.buildAndPush(tag, spec, registry + QLatin1Char('/') + target);
            if (!pushed) {
                err() << "restack-screenshots: cannot build " << tag << ": " << pushed.error().toString() << "\n";
                return 1;
            }
            const auto image = factory.image(tag);
            children->append(QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
                                         {QStringLiteral("digest"), image->manifestDigest},
                                         {QStringLiteral("size"), image->manifest.size()},
                                         {QStringLiteral("platform"), QJsonObject{{QStringLiteral("os"), QStringLiteral("linux")},
                                                                                  {QStringLiteral("architecture"), arch}}}});
        }
    }
    const QString indexType = QStringLiteral("application/vnd.oci.image.index.v1+json");
    for (const auto &[repository, tag, children] :
         {std::tuple{QStringLiteral("multi/base"), QStringLiteral("1.0"), base1Children},
          std::tuple{QStringLiteral("multi/base"), QStringLiteral("2.0"), base2Children},
          std::tuple{QStringLiteral("multi/app"), QStringLiteral("1.0"), appChildren}}) {
        const QJsonObject index{{QStringLiteral("schemaVersion"), 2}, {QStringLiteral("mediaType"), indexType},
                                {QStringLiteral("manifests"), children}};
        if (!pusher.pushManifest(repository, tag, Test::RawPusher::json(index), indexType)) {
            err() << "restack-screenshots: cannot push the index " << repository << ":" << tag << "\n";
            return 1;
        }
    }
    window.showPage(1);
    workspace->setSource(reference(QStringLiteral("multi/app:1.0")));
    workspace->setOldBase(reference(QStringLiteral("multi/base:1.0")));
    workspace->setNewBase(reference(QStringLiteral("multi/base:2.0")));
    workspace->setTarget(registry + QStringLiteral("/multi/app:1.0-base2.0"));
    if (!waitFor([&] { return workspace->preview().has_value() && !workspace->isBusy(); }, "the index preview"))
        return 1;
    workspace->showPlatform(1);
    workspace->splitter()->setSizes({470, 230}); // room for the platforms and the stacks
    settle();
    save(window.grab(), out, QStringLiteral("rebase-index.png"));
    return 0;
}
