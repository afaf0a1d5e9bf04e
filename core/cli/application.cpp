// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/application.h"

#include <QMetaObject>

#include <cstdlib>
#include <utility>

#include "cli/inspectcommand.h"
#include "cli/listcommands.h"
#include "cli/logincommand.h"
#include "cli/manifestcommand.h"
#include "cli/rebasecommand.h"

namespace Restack::Cli
{

Application::Application(Streams streams, QObject *parent)
    : QObject(parent)
    , m_streams(streams)
{
    m_commands = {
        {QStringLiteral("rebase"), [this] { return new RebaseCommand(m_streams, this); }},
        {QStringLiteral("inspect"), [this] { return new InspectCommand(m_streams, this); }},
        {QStringLiteral("tags"), [this] { return new TagsCommand(m_streams, this); }},
        {QStringLiteral("catalog"), [this] { return new CatalogCommand(m_streams, this); }},
        {QStringLiteral("manifest"), [this] { return new ManifestCommand(m_streams, this); }},
        {QStringLiteral("find-base"), [this] { return new FindBaseCommand(m_streams, this); }},
        {QStringLiteral("login"), [this] { return new LoginCommand(m_streams, this); }},
        {QStringLiteral("logout"), [this] { return new LogoutCommand(m_streams, this); }},
    };
}

Application::~Application() = default;

Command *Application::create(const QString &name)
{
    for (const Entry &entry : std::as_const(m_commands)) {
        if (entry.name == name)
            return entry.create();
    }
    return nullptr;
}

QString Application::helpText() const
{
    QString text = QStringLiteral("Usage: restack COMMAND [OPTIONS] [ARGUMENTS]\n\n"
                                  "Rebase container images inside a registry: swap an image's base layers for a new\n"
                                  "base's by rewriting only its manifest and config, then push it under a target tag.\n\n"
                                  "Commands:\n");
    for (const Entry &entry : m_commands) {
        std::unique_ptr<Command> command(entry.create());
        command->setParent(nullptr);
        text += QStringLiteral("  %1%2\n").arg(padded(entry.name, 10), command->summary().section(QLatin1Char('\n'), 0, 0));
    }
    text += QStringLiteral("\nOptions:\n"
                           "  -h, --help     Show this help; `restack COMMAND --help` shows a command's options.\n"
                           "  --version      Show the version.\n\n"
                           "Example:\n"
                           "  restack rebase registry.example/app:1.0 --base registry.example/base:2.0 \\\n"
                           "      --old-base registry.example/base:1.0 --tag registry.example/app:1.0-base2\n");
    return text;
}

void Application::run(const QStringList &arguments)
{
    if (arguments.isEmpty()) {
        m_streams.err << helpText();
        return finish(UsageError);
    }
    const QString first = arguments.first();
    if (first == QLatin1String("--version") || first == QLatin1String("-V") || first == QLatin1String("version")) {
        m_streams.out << "restack " << RESTACK_VERSION << '\n';
        return finish(Success);
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h")) {
        m_streams.out << helpText();
        return finish(Success);
    }
    if (first == QLatin1String("help")) {
        if (arguments.size() < 2) {
            m_streams.out << helpText();
            return finish(Success);
        }
        Command *command = create(arguments.at(1));
        if (!command) {
            m_streams.err << "restack: error: unknown command \"" << arguments.at(1) << "\"\n";
            return finish(UsageError);
        }
        m_streams.out << command->helpText();
        delete command;
        return finish(Success);
    }
    Command *command = create(first);
    if (!command) {
        m_streams.err << "restack: error: unknown command \"" << first << "\"\n" << helpText();
        return finish(UsageError);
    }
    m_current = command;
    connect(command, &Command::finished, this, &Application::finish);
    command->run(arguments.mid(1));
}

void Application::interrupt(int signalNumber)
{
    if (std::exchange(m_interrupted, true) || !m_current) {
        // Again (or nothing to cancel): stop waiting.
        m_streams.err << "restack: interrupted\n";
        m_streams.err.flush();
        std::_Exit(128 + signalNumber);
    }
    m_current->interrupt(signalNumber);
}

void Application::finish(int code)
{
    m_streams.out.flush();
    m_streams.err.flush();
    // Deliver from the event loop, so that a command finishing inside run() still reaches the caller.
    QMetaObject::invokeMethod(this, [this, code] { Q_EMIT finished(code); }, Qt::QueuedConnection);
}

} // namespace Restack::Cli
