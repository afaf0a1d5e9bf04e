// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui: the desktop application. Entry point only; the application lives in restack_ui.
//
//   restack-gui [REFERENCE]   REFERENCE: a registry (host:port), a repository (host/name) or an image

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QIcon>
#include <QNetworkAccessManager>
#include <QSettings>

#include "mainwindow.h"
#include "registry/client.h"
#include "registrylistmodel.h"
#include "session.h"

namespace
{
void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("Browse container registries, compare layer stacks side by side, rebase images and push them."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("REFERENCE"),
                                 QStringLiteral("A registry (localhost:5000), repository (localhost:5000/demo/app) or "
                                                "image (localhost:5000/demo/app:1.0) to open."),
                                 QStringLiteral("[REFERENCE]"));
}

// --help and --version answer without a display (over ssh, in a terminal without X): QApplication would
// abort for want of a platform plugin before the parser could print anything.
bool onlyAsksForHelp(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "-h" || argument == "--help" || argument == "--help-all" || argument == "-v"
            || argument == "--version" || argument == "-?")
            return true;
    }
    return false;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("Restack"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("restack.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("restack-gui"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RESTACK_VERSION));
    if (onlyAsksForHelp(argc, argv)) {
        QCoreApplication terminal(argc, argv);
        QCommandLineParser parser;
        describe(parser);
        parser.process(terminal); // prints and exits
        return 0;
    }

    QApplication application(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Restack"));
    QApplication::setDesktopFileName(QStringLiteral("org.restack.Restack"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/restack/restack.svg")));

    QCommandLineParser parser;
    describe(parser);
    parser.process(application);
    if (parser.positionalArguments().size() > 1)
        parser.showHelp(2);

    QNetworkAccessManager network;
    Restack::Ui::Session session(&network, {});
    {
        QSettings settings;
        session.registries()->load(settings);
    }

    int code = 0;
    {
        Restack::Ui::MainWindow window(&session);
        window.show();
        if (parser.positionalArguments().isEmpty())
            window.restoreLastRegistry();
        else
            window.openLocation(parser.positionalArguments().constFirst());
        code = QApplication::exec();
    } // operations still open give back their upload sessions here, in the background
    // Let the registries hear those cancellations before the process ends, but not for long.
    QEventLoop wait;
    session.client()->afterBackgroundCalls(5000, &wait, [&wait] { wait.quit(); });
    wait.exec();
    return code;
}
