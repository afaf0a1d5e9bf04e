// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui: the desktop application. Entry point only; the application lives in restack_ui.
//
//   restack-gui [REFERENCE]   REFERENCE: a registry (host:port), a repository (host/name) or an image

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QNetworkAccessManager>
#include <QSettings>

#include "mainwindow.h"
#include "registrylistmodel.h"
#include "session.h"

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Restack"));
    QApplication::setOrganizationDomain(QStringLiteral("restack.invalid"));
    QApplication::setApplicationName(QStringLiteral("restack-gui"));
    QApplication::setApplicationDisplayName(QStringLiteral("Restack"));
    QApplication::setApplicationVersion(QStringLiteral(RESTACK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("restack-gui"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/restack/restack.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Browse container registries, compare layer stacks side by side, rebase images and push them."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("REFERENCE"),
                                 QStringLiteral("A registry (localhost:5000), repository (localhost:5000/demo/app) or "
                                                "image (localhost:5000/demo/app:1.0) to open."),
                                 QStringLiteral("[REFERENCE]"));
    parser.process(application);
    if (parser.positionalArguments().size() > 1)
        parser.showHelp(2);

    QNetworkAccessManager network;
    Restack::Ui::Session session(&network, {});
    {
        QSettings settings;
        session.registries()->load(settings);
    }

    Restack::Ui::MainWindow window(&session);
    window.show();
    if (parser.positionalArguments().isEmpty())
        window.restoreLastRegistry();
    else
        window.openLocation(parser.positionalArguments().constFirst());
    return QApplication::exec();
}
