// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

#include "cli/application.h"
#include "cli/signalwatcher.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("restack"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("restack.example"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RESTACK_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    Restack::Cli::Application cli({out, err});
    QObject::connect(&cli, &Restack::Cli::Application::finished, &app, &QCoreApplication::exit);
    // Ctrl-C and SIGTERM cancel the work (upload sessions are given back) instead of killing it.
    Restack::Cli::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &Restack::Cli::SignalWatcher::signalled, &cli, &Restack::Cli::Application::interrupt);
    QTimer::singleShot(0, &cli, [&cli] { cli.run(QCoreApplication::arguments().mid(1)); });
    return app.exec();
}
