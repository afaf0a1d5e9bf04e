// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>

#include "cli/command.h"

namespace Restack::Cli
{

/**
 * The `restack` command line: picks the subcommand from the first argument and runs it.
 * `restack --version`, `restack --help`, `restack help COMMAND` and `restack COMMAND --help` are
 * answered here. finished() carries the process exit code.
 */
class Application final : public QObject
{
    Q_OBJECT

public:
    Application(Streams streams, QObject *parent = nullptr);
    ~Application() override;

    /** @p arguments without the program name. */
    void run(const QStringList &arguments);
    QString helpText() const;
    /**
     * SIGINT or SIGTERM arrived: the running command cancels its work and finishes with
     * 128 + @p signalNumber; a second one ends the process at once with that code.
     */
    void interrupt(int signalNumber);

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Entry
    {
        QString name;
        std::function<Command *()> create;
    };
    Command *create(const QString &name);
    void finish(int code);

    Streams m_streams;
    QList<Entry> m_commands;
    QPointer<Command> m_current;
    bool m_interrupted = false;
};

} // namespace Restack::Cli
