// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-docgen: writes restack's man page and its bash and zsh completions from the help the built
// executables print, so that they cannot drift from the command line (a build step; see
// installer/CMakeLists.txt).
//
//   restack-docgen --restack BUILT_RESTACK [--gui BUILT_RESTACK_GUI] [--man restack.1]
//                  [--gui-man restack-gui.1] [--bash restack.bash] [--zsh _restack]
//
// It runs `restack --version`, `restack --help` (the Commands, Options and Example sections) and
// `restack COMMAND --help` for every command listed (QCommandLineParser's Usage line, description,
// Options and Arguments), and `restack-gui --help` (offscreen). An option whose value name mentions
// FILE completes file names; an argument named like `create|push` completes those words; an option
// described as "(repeatable)" may be given again. Exit status: 0, or 1 with a message when a program
// cannot be run or its help cannot be parsed.

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace
{

QTextStream errStream(stderr);

struct Option
{
    QStringList names;   ///< "-b", "--base"
    QString value;       ///< "NEW_BASE"; empty for a flag
    QString description; ///< one paragraph
    bool repeatable = false;

    bool takesFile() const { return value.contains(QLatin1String("FILE")); }
    bool operator==(const Option &other) const
    {
        return names == other.names && value == other.value && description == other.description;
    }
};

struct Argument
{
    QString name;        ///< "SOURCE", "create|push"
    QString description;
    bool variadic = false;

    QStringList words() const { return name.contains(QLatin1Char('|')) ? name.split(QLatin1Char('|')) : QStringList(); }
};

/** One program's or subcommand's QCommandLineParser help. */
struct CommandHelp
{
    QString name;         ///< "rebase"; the program name for a whole program
    QString summary;      ///< the one line of `restack --help`
    QString synopsis;     ///< the Usage line after the program (and command) name: "[options] SOURCE..."
    QStringList description; ///< lines between the Usage line and the first section
    QList<Option> options;
    QList<Argument> arguments;
};

/** `restack --help` and everything below it. */
struct ProgramHelp
{
    QString version;
    QString synopsis;       ///< "COMMAND [OPTIONS] [ARGUMENTS]"
    QStringList description;
    QList<Option> options;  ///< -h/--help, --version
    QStringList example;
    QList<CommandHelp> commands;
};

[[noreturn]] void die(const QString &message)
{
    errStream << "restack-docgen: " << message << Qt::endl;
    std::exit(1);
}

QString run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        die(QStringLiteral("%1 %2 failed (%3): %4")
                .arg(program, arguments.join(QLatin1Char(' ')), process.errorString(),
                     QString::fromUtf8(process.readAllStandardError())));
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

/** Sections of a help text: "" for the lines before the first "Name:" line, then each section's lines. */
QList<std::pair<QString, QStringList>> sections(const QStringList &lines)
{
    static const QRegularExpression header(QStringLiteral("^([A-Z][A-Za-z ]*):$"));
    QList<std::pair<QString, QStringList>> result{{QString(), {}}};
    for (const QString &line : lines) {
        const auto match = header.match(line);
        if (match.hasMatch())
            result.append({match.captured(1), {}});
        else
            result.last().second.append(line);
    }
    for (auto &section : result) {
        while (!section.second.isEmpty() && section.second.last().trimmed().isEmpty())
            section.second.removeLast();
    }
    return result;
}

/**
 * QCommandLineParser's two-column entries: "  NAMES  DESCRIPTION", the description wrapped onto
 * lines indented further. Returns (names, description) pairs.
 */
QList<std::pair<QString, QString>> entries(const QStringList &lines)
{
    static const QRegularExpression start(QStringLiteral("^  (\\S.*?)(?: {2,}(\\S.*))?$"));
    QList<std::pair<QString, QString>> result;
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        if (line.startsWith(QLatin1String("   ")) && !result.isEmpty()) {
            QString &description = result.last().second;
            description += (description.isEmpty() ? QString() : QStringLiteral(" ")) + line.trimmed();
            continue;
        }
        const auto match = start.match(line);
        if (!match.hasMatch())
            die(QStringLiteral("cannot parse the help line \"%1\"").arg(line));
        result.append({match.captured(1).trimmed(), match.captured(2).trimmed()});
    }
    return result;
}

QList<Option> parseOptions(const QStringList &lines)
{
    static const QRegularExpression valued(QStringLiteral("^(\\S+) <(.+)>$"));
    QList<Option> options;
    for (const auto &[names, description] : entries(lines)) {
        Option option;
        option.description = description;
        option.repeatable = description.contains(QLatin1String("(repeatable)"));
        for (QString name : names.split(QStringLiteral(", "))) {
            const auto match = valued.match(name);
            if (match.hasMatch()) {
                name = match.captured(1);
                option.value = match.captured(2);
            }
            if (!name.startsWith(QLatin1Char('-')))
                die(QStringLiteral("not an option name: \"%1\"").arg(name));
            option.names.append(name);
        }
        options.append(option);
    }
    return options;
}

CommandHelp parseCommandHelp(const QString &name, const QString &text)
{
    CommandHelp help;
    help.name = name;
    QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.isEmpty() || !lines.first().startsWith(QLatin1String("Usage: ")))
        die(QStringLiteral("the help of %1 does not start with a Usage line").arg(name));
    // "Usage: restack rebase [options] SOURCE..." -> "[options] SOURCE..."
    QStringList usage = lines.takeFirst().mid(7).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    usage.removeFirst();
    if (!usage.isEmpty() && usage.first() == name)
        usage.removeFirst();
    help.synopsis = usage.join(QLatin1Char(' '));
    for (const auto &[title, body] : sections(lines)) {
        if (title.isEmpty())
            help.description = body;
        else if (title == QLatin1String("Options"))
            help.options = parseOptions(body);
        else if (title == QLatin1String("Arguments")) {
            for (const auto &[argument, description] : entries(body))
                help.arguments.append({argument, description, usage.contains(argument + QStringLiteral("..."))});
        } else
            die(QStringLiteral("unknown section \"%1\" in the help of %2").arg(title, name));
    }
    return help;
}

ProgramHelp readRestack(const QString &program)
{
    ProgramHelp help;
    // "restack 0.1.0"
    help.version = run(program, {QStringLiteral("--version")}).trimmed().section(QLatin1Char(' '), -1);
    QStringList lines = run(program, {QStringLiteral("--help")}).split(QLatin1Char('\n'));
    if (lines.isEmpty() || !lines.first().startsWith(QLatin1String("Usage: restack ")))
        die(QStringLiteral("`restack --help` does not start with \"Usage: restack\""));
    help.synopsis = lines.takeFirst().mid(15);
    for (const auto &[title, body] : sections(lines)) {
        if (title.isEmpty()) {
            help.description = body;
            while (!help.description.isEmpty() && help.description.first().isEmpty())
                help.description.removeFirst();
        } else if (title == QLatin1String("Commands")) {
            for (const QString &line : body) {
                if (line.trimmed().isEmpty())
                    continue;
                const QString name = line.trimmed().section(QLatin1Char(' '), 0, 0);
                CommandHelp command = parseCommandHelp(name, run(program, {name, QStringLiteral("--help")}));
                command.summary = line.trimmed().mid(name.size()).trimmed();
                help.commands.append(command);
            }
        } else if (title == QLatin1String("Options")) {
            help.options = parseOptions(body);
        } else if (title == QLatin1String("Example")) {
            help.example = body;
        } else {
            die(QStringLiteral("unknown section \"%1\" in `restack --help`").arg(title));
        }
    }
    if (help.commands.isEmpty())
        die(QStringLiteral("`restack --help` lists no commands"));
    return help;
}

// --- roff -----------------------------------------------------------------------------------------------

/** Text for a roff line: backslashes and hyphens escaped, a leading control character neutralised. */
QString roff(QString text)
{
    text.replace(QLatin1Char('\\'), QLatin1String("\\e"));
    text.replace(QLatin1Char('-'), QLatin1String("\\-"));
    if (text.startsWith(QLatin1Char('.')) || text.startsWith(QLatin1Char('\'')))
        text.prepend(QLatin1String("\\&"));
    return text;
}

/** A quoted macro argument. */
QString roffQuoted(const QString &text)
{
    QString escaped = roff(text);
    escaped.replace(QLatin1Char('"'), QLatin1String("\\(dq"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

/** "-b, --base NEW_BASE" in bold and italics. */
QString roffOptionTag(const Option &option)
{
    QStringList names;
    for (const QString &name : option.names)
        names << QStringLiteral("\\fB") + roff(name) + QStringLiteral("\\fR");
    QString tag = names.join(QStringLiteral(", "));
    if (!option.value.isEmpty())
        tag += QStringLiteral(" \\fI") + roff(option.value) + QStringLiteral("\\fR");
    return tag;
}

/** Description lines: prose lines filled into paragraphs, indented lines kept verbatim. */
void roffParagraphs(QTextStream &out, const QStringList &lines)
{
    bool verbatim = false;
    bool paragraph = false;
    for (const QString &line : lines) {
        const bool indented = line.startsWith(QLatin1Char(' '));
        if (line.trimmed().isEmpty()) {
            if (verbatim)
                out << ".fi\n";
            verbatim = false;
            paragraph = false;
            continue;
        }
        if (indented && !verbatim) {
            out << ".PP\n.nf\n";
            verbatim = true;
        } else if (!indented && verbatim) {
            out << ".fi\n";
            verbatim = false;
            paragraph = false;
        }
        if (!indented && !paragraph) {
            out << ".PP\n";
            paragraph = true;
        }
        out << roff(indented ? line.mid(2) : line) << '\n';
    }
    if (verbatim)
        out << ".fi\n";
}

void roffOptions(QTextStream &out, const QList<Option> &options)
{
    for (const Option &option : options)
        out << ".TP\n" << roffOptionTag(option) << '\n' << roff(option.description) << '\n';
}

/** The options of every command that talks to registries: those shared, identically, by most commands. */
QList<Option> commonOptions(const ProgramHelp &help)
{
    QList<Option> common;
    for (const Option &option : help.commands.first().options) {
        const auto count = std::count_if(help.commands.cbegin(), help.commands.cend(),
                                         [&option](const CommandHelp &c) { return c.options.contains(option); });
        if (count * 2 > help.commands.size())
            common.append(option);
    }
    return common;
}

QString manPage(const ProgramHelp &help)
{
    QString page;
    QTextStream out(&page);
    const QList<Option> common = commonOptions(help);
    // NAME: the description's first clause, "Rebase container images inside a registry: ..." -> "rebase ...".
    QString name = help.description.value(0).section(QLatin1Char(':'), 0, 0).section(QLatin1Char('.'), 0, 0);
    if (!name.isEmpty())
        name[0] = name[0].toLower();

    out << ".\\\" Generated by restack-docgen from `restack --help` and `restack COMMAND --help`; do not edit.\n"
        << ".TH RESTACK 1 \"\" \"restack " << roff(help.version) << "\" \"User Commands\"\n"
        << ".nh\n.ad l\n.SH NAME\nrestack \\- " << roff(name) << '\n'
        << ".SH SYNOPSIS\n";
    for (const CommandHelp &command : help.commands)
        out << ".B restack " << roff(command.name) << "\n" << roff(command.synopsis) << "\n.br\n";
    out << ".B restack\n" << roff(QStringLiteral("--version | --help | help COMMAND | COMMAND --help")) << '\n';

    out << ".SH DESCRIPTION\n";
    roffParagraphs(out, help.description);
    out << ".PP\nThe commands:\n";
    for (const CommandHelp &command : help.commands)
        out << ".TP\n.B " << roff(command.name) << '\n' << roff(command.summary) << '\n';

    out << ".SH OPTIONS\n";
    roffOptions(out, help.options);

    out << ".SH COMMANDS\n";
    for (const CommandHelp &command : help.commands) {
        out << ".SS " << roffQuoted(QStringLiteral("restack ") + command.name + QLatin1Char(' ') + command.synopsis)
            << '\n';
        roffParagraphs(out, command.description);
        if (!command.arguments.isEmpty()) {
            out << ".PP\nArguments:\n";
            for (const Argument &argument : command.arguments)
                out << ".TP\n\\fI" << roff(argument.name) << "\\fR\n" << roff(argument.description) << '\n';
        }
        QList<Option> own;
        QStringList shared;
        for (const Option &option : command.options) {
            if (common.contains(option))
                shared << QStringLiteral("\\fB") + roff(option.names.last()) + QStringLiteral("\\fR");
            else
                own << option;
        }
        if (!own.isEmpty()) {
            out << ".PP\nOptions:\n";
            roffOptions(out, own);
        }
        if (!shared.isEmpty())
            out << ".PP\nAnd the common options " << shared.join(QStringLiteral(", ")) << ".\n";
    }

    out << ".SH COMMON OPTIONS\nThese options are accepted by the commands that say so above.\n";
    roffOptions(out, common);

    out << ".SH EXIT STATUS\n"
        << ".TP\n.B 0\nSuccess.\n"
        << ".TP\n.B 1\nAn operation failed (a registry answered with an error, a connection failed, a check did not pass).\n"
        << ".TP\n.B 2\nInvalid input: unknown command or option, or an invalid argument.\n";
    if (!help.example.isEmpty()) {
        out << ".SH EXAMPLE\n";
        roffParagraphs(out, help.example);
    }
    out << ".SH SEE ALSO\n.BR restack\\-gui (1),\n.BR skopeo (1)\n";
    out.flush();
    return page;
}

QString guiManPage(const CommandHelp &gui, const QString &version)
{
    QString page;
    QTextStream out(&page);
    QString name = gui.description.value(0);
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (!name.isEmpty())
        name[0] = name[0].toLower();
    out << ".\\\" Generated by restack-docgen from `restack-gui --help`; do not edit.\n"
        << ".TH RESTACK\\-GUI 1 \"\" \"restack " << roff(version) << "\" \"User Commands\"\n"
        << ".nh\n.ad l\n.SH NAME\nrestack\\-gui \\- " << roff(name) << '\n'
        << ".SH SYNOPSIS\n.B restack\\-gui\n" << roff(gui.synopsis) << '\n'
        << ".SH DESCRIPTION\n";
    roffParagraphs(out, gui.description);
    if (!gui.arguments.isEmpty()) {
        out << ".SH ARGUMENTS\n";
        for (const Argument &argument : gui.arguments)
            out << ".TP\n\\fI" << roff(argument.name) << "\\fR\n" << roff(argument.description) << '\n';
    }
    out << ".SH OPTIONS\n";
    roffOptions(out, gui.options);
    out << ".SH SEE ALSO\n.BR restack (1)\n";
    out.flush();
    return page;
}

// --- bash -------------------------------------------------------------------------------------------------

QString words(const QStringList &list)
{
    return list.join(QLatin1Char(' '));
}

QString bashCompletion(const ProgramHelp &help)
{
    QStringList commandNames;
    for (const CommandHelp &command : help.commands)
        commandNames << command.name;
    QStringList globalOptions;
    for (const Option &option : help.options)
        globalOptions << option.names;

    QString script;
    QTextStream out(&script);
    out << "# bash completion for restack " << help.version << "\n"
        << "# Generated by restack-docgen from `restack --help` and `restack COMMAND --help`; do not edit.\n"
        << "\n"
        << "_restack()\n"
        << "{\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
        << "    local commands='" << words(commandNames) << " help'\n"
        << "    COMPREPLY=()\n"
        << "    if ((COMP_CWORD == 1)); then\n"
        << "        COMPREPLY=($(compgen -W \"$commands " << words(globalOptions) << "\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    # options: every option; valued: those taking a value; files: those whose value is a file;\n"
        << "    # first: the words the first argument can be\n"
        << "    local options= valued= files= first=\n"
        << "    case ${COMP_WORDS[1]} in\n"
        << "    help)\n"
        << "        ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
        << "        return\n"
        << "        ;;\n";
    for (const CommandHelp &command : help.commands) {
        QStringList all, valued, files;
        for (const Option &option : command.options) {
            all << option.names;
            if (!option.value.isEmpty())
                valued << option.names;
            if (option.takesFile())
                files << option.names;
        }
        out << "    " << command.name << ")\n"
            << "        options='" << words(all) << "'\n";
        if (!valued.isEmpty())
            out << "        valued='" << words(valued) << "'\n";
        if (!files.isEmpty())
            out << "        files='" << words(files) << "'\n";
        if (!command.arguments.isEmpty() && !command.arguments.first().words().isEmpty())
            out << "        first='" << words(command.arguments.first().words()) << "'\n";
        out << "        ;;\n";
    }
    out << "    *)\n"
        << "        return\n"
        << "        ;;\n"
        << "    esac\n"
        << "    if [[ \" $files \" == *\" $prev \"* ]]; then\n"
        << "        compopt -o filenames 2>/dev/null\n"
        << "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    # The value of an option: nothing to suggest (an image, a number, a pattern).\n"
        << "    [[ \" $valued \" == *\" $prev \"* ]] && return\n"
        << "    if [[ $cur == -* ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    # The first argument (not counting options and their values) may be one of a few words.\n"
        << "    if [[ -n $first ]]; then\n"
        << "        local i arguments=0\n"
        << "        for ((i = 2; i < COMP_CWORD; i++)); do\n"
        << "            case ${COMP_WORDS[i]} in\n"
        << "            -*) [[ \" $valued \" == *\" ${COMP_WORDS[i]} \"* ]] && ((++i)) ;;\n"
        << "            *) ((++arguments)) ;;\n"
        << "            esac\n"
        << "        done\n"
        << "        ((arguments == 0)) && COMPREPLY=($(compgen -W \"$first\" -- \"$cur\"))\n"
        << "    fi\n"
        << "}\n"
        << "complete -F _restack restack\n";
    out.flush();
    return script;
}

// --- zsh --------------------------------------------------------------------------------------------------

/** Text inside a single-quoted zsh word. */
QString zshQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return quoted;
}

/** An _arguments explanation: the first sentence, with the characters _arguments treats specially escaped. */
QString zshExplanation(const QString &description)
{
    QString text = description;
    const qsizetype stop = text.indexOf(QStringLiteral(". "));
    if (stop > 0)
        text = text.left(stop);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(QLatin1Char('['), QLatin1String("\\["));
    text.replace(QLatin1Char(']'), QLatin1String("\\]"));
    text.replace(QLatin1Char(':'), QLatin1String("\\:"));
    return zshQuoted(text);
}

/** A message for a value or argument: letters, digits and a few separators only. */
QString zshMessage(const QString &name)
{
    QString message = name;
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_=/|.-]"));
    message.replace(unsafe, QString());
    return message;
}

QStringList zshOptionSpecs(const QList<Option> &options)
{
    QStringList specs;
    for (const Option &option : options) {
        const QString exclusion = option.repeatable || option.names.size() < 2
                                      ? QString()
                                      : QLatin1Char('(') + option.names.join(QLatin1Char(' ')) + QLatin1Char(')');
        QString action;
        if (!option.value.isEmpty())
            action = QLatin1Char(':') + zshMessage(option.value) + QLatin1Char(':')
                     + (option.takesFile() ? QStringLiteral("_files") : QString());
        for (const QString &name : option.names) {
            QString spec = exclusion + (option.repeatable ? QStringLiteral("*") : QString()) + name;
            if (!option.value.isEmpty())
                spec += name.startsWith(QLatin1String("--")) ? QLatin1Char('=') : QLatin1Char('+');
            specs << QLatin1Char('\'') + zshQuoted(spec) + QLatin1Char('[') + zshExplanation(option.description)
                         + QLatin1Char(']') + zshQuoted(action) + QLatin1Char('\'');
        }
    }
    return specs;
}

QString zshCompletion(const ProgramHelp &help)
{
    QString script;
    QTextStream out(&script);
    out << "#compdef restack\n"
        << "# zsh completion for restack " << help.version << "\n"
        << "# Generated by restack-docgen from `restack --help` and `restack COMMAND --help`; do not edit.\n"
        << "\n"
        << "_restack() {\n"
        << "    local curcontext=$curcontext state line ret=1\n"
        << "    typeset -A opt_args\n"
        << "    _arguments -C \\\n";
    for (const Option &option : help.options) {
        for (const QString &name : option.names)
            out << "        '(- :)" << name << '[' << zshExplanation(option.description) << "]' \\\n";
    }
    out << "        '1: :->command' \\\n"
        << "        '*:: :->argument' && ret=0\n"
        << "    case $state in\n"
        << "    command)\n"
        << "        local -a commands\n"
        << "        commands=(\n";
    for (const CommandHelp &command : help.commands)
        out << "            '" << command.name << ':' << zshQuoted(command.summary) << "'\n";
    out << "            'help:Show the help of a command'\n"
        << "        )\n"
        << "        _describe -t commands 'restack command' commands && ret=0\n"
        << "        ;;\n"
        << "    argument)\n"
        << "        curcontext=${curcontext%:*:*}:restack-$words[1]:\n"
        << "        case $words[1] in\n"
        << "        help)\n"
        << "            _arguments '1:command:(";
    for (const CommandHelp &command : help.commands)
        out << command.name << (&command == &help.commands.last() ? "" : " ");
    out << ")' && ret=0\n"
        << "            ;;\n";
    for (const CommandHelp &command : help.commands) {
        QStringList specs = zshOptionSpecs(command.options);
        int position = 1;
        for (const Argument &argument : command.arguments) {
            const QString message = zshMessage(argument.name);
            const QString action = argument.words().isEmpty()
                                       ? QString()
                                       : QLatin1Char('(') + argument.words().join(QLatin1Char(' ')) + QLatin1Char(')');
            if (argument.variadic)
                specs << QStringLiteral("'*:%1:%2'").arg(message, action);
            else
                specs << QStringLiteral("'%1:%2:%3'").arg(QString::number(position++), message, action);
        }
        out << "        " << command.name << ")\n"
            << "            _arguments -s \\\n";
        for (const QString &spec : specs)
            out << "                " << spec << (&spec == &specs.last() ? " && ret=0\n" : " \\\n");
        out << "            ;;\n";
    }
    out << "        esac\n"
        << "        ;;\n"
        << "    esac\n"
        << "    return ret\n"
        << "}\n"
        << "\n"
        << "_restack \"$@\"\n";
    out.flush();
    return script;
}

void write(const QString &path, const QString &text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
        die(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QMap<QString, QString> arguments;
    const QStringList args = QCoreApplication::arguments().mid(1);
    static const QStringList known{QStringLiteral("--restack"), QStringLiteral("--gui"), QStringLiteral("--man"),
                                   QStringLiteral("--gui-man"), QStringLiteral("--bash"), QStringLiteral("--zsh")};
    for (qsizetype i = 0; i < args.size(); i += 2) {
        if (!known.contains(args.at(i)) || i + 1 >= args.size())
            die(QStringLiteral("usage: restack-docgen --restack RESTACK [--gui RESTACK_GUI] [--man FILE] "
                               "[--gui-man FILE] [--bash FILE] [--zsh FILE]"));
        arguments.insert(args.at(i), args.at(i + 1));
    }
    if (!arguments.contains(QStringLiteral("--restack")))
        die(QStringLiteral("--restack is required"));

    const ProgramHelp help = readRestack(arguments.value(QStringLiteral("--restack")));
    if (arguments.contains(QStringLiteral("--man")))
        write(arguments.value(QStringLiteral("--man")), manPage(help));
    if (arguments.contains(QStringLiteral("--bash")))
        write(arguments.value(QStringLiteral("--bash")), bashCompletion(help));
    if (arguments.contains(QStringLiteral("--zsh")))
        write(arguments.value(QStringLiteral("--zsh")), zshCompletion(help));
    if (arguments.contains(QStringLiteral("--gui-man"))) {
        if (!arguments.contains(QStringLiteral("--gui")))
            die(QStringLiteral("--gui-man needs --gui"));
        const QString gui = arguments.value(QStringLiteral("--gui"));
        const CommandHelp guiHelp = parseCommandHelp(QFileInfo(gui).fileName(), run(gui, {QStringLiteral("--help")}));
        write(arguments.value(QStringLiteral("--gui-man")), guiManPage(guiHelp, help.version));
    }
    return 0;
}
