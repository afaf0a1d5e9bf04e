// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/logincommand.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <cstdio>

#include <termios.h>
#include <unistd.h>

#include "credentials/applicationid.h"
#include "credentials/authfile.h"
#include "credentials/secretstore.h"
#include "image/reference.h"
#include "registry/client.h"

namespace Restack::Cli
{

namespace
{
// Reads one line from the terminal, with echo off when @p secret.
QString promptLine(QTextStream &err, const QString &prompt, bool secret)
{
    err << prompt;
    err.flush();
    termios saved{};
    const bool restore = secret && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (restore) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QFile in;
    QByteArray line;
    if (in.open(stdin, QIODevice::ReadOnly))
        line = in.readLine(64 * 1024);
    if (restore) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        err << '\n';
        err.flush();
    }
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    const QString text = QString::fromUtf8(line);
    line.fill('\0');
    return text;
}
} // namespace

Result<QString> parseLoginRegistry(const QString &text)
{
    // Docker's names for Docker Hub's v1 index ("https://index.docker.io/v1/") and API roots.
    QString host = text.trimmed();
    static const QRegularExpression apiRoot(QStringLiteral("/v[12]/?$"));
    host.remove(apiRoot);
    return Image::Reference::parseRegistry(host);
}

QString KeychainCommand::registryArgument(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        usageError(QStringLiteral("expected one REGISTRY"));
        return {};
    }
    auto parsed = parseLoginRegistry(positional.first());
    if (!parsed) {
        fail(parsed.error());
        return {};
    }
    return parsed.value();
}

void LoginCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("REGISTRY"), QStringLiteral("The registry, HOST[:PORT]."));
    addRegistryOptions(parser);
}

void LoginCommand::execute(const QCommandLineParser &parser)
{
    const QString registry = registryArgument(parser);
    if (registry.isEmpty())
        return;
    const bool interactive = ::isatty(STDIN_FILENO) == 1;

    Registry::Credential credential;
    credential.username = parser.value(QStringLiteral("username"));
    if (credential.username.isEmpty()) {
        if (!interactive || parser.isSet(QStringLiteral("password-stdin")))
            return usageError(QStringLiteral("--username is required"));
        credential.username = promptLine(err(), QStringLiteral("Username for %1: ").arg(registry), false);
        if (credential.username.isEmpty())
            return usageError(QStringLiteral("a username is required"));
    }
    if (parser.isSet(QStringLiteral("password-stdin"))) {
        if (!readSecretFromStdin(&credential.secret))
            return;
    } else if (interactive) {
        credential.secret = promptLine(err(), QStringLiteral("Password for %1@%2: ").arg(credential.username, registry), true);
        if (credential.secret.isEmpty())
            return usageError(QStringLiteral("a password is required"));
    } else {
        return usageError(QStringLiteral("standard input is not a terminal: pass the password on standard input with "
                                         "--password-stdin"));
    }

    // Checked with the challenge's own scheme before anything is saved: the client gets exactly
    // this credential (setCredential() stops it from asking the keychain or Docker's files).
    if (!setUpClient(parser, {registry}, registry, false))
        return;
    client()->setCredential(registry, credential);
    progress(QStringLiteral("checking the credentials of %1 for %2").arg(credential.username, registry));
    client()->ping(registry, this, [this, registry, credential](Result<void> checked) {
        if (!checked.ok()) {
            Error error = checked.error();
            error.message = QStringLiteral("login to %1 failed: %2").arg(registry, error.message);
            if (error.kind == Error::Kind::Unauthorized)
                error.hint = QStringLiteral("check the username and password; nothing was saved");
            return fail(error);
        }
        const bool verified = client()->requiresAuthentication(registry);
        secretStore()->write(registry, credential, this, [this, registry, verified](Result<void> saved) {
            if (!saved.ok()) {
                Error error = saved.error();
                if (Credentials::SecretStore::isBackendUnavailable(error))
                    error.message = (verified ? QStringLiteral("the credentials for %1 are right but cannot be saved: %2")
                                              : QStringLiteral("%1 did not ask for credentials (so they could not be "
                                                               "checked), and they cannot be saved: %2"))
                                        .arg(registry, error.message.section(QStringLiteral(": "), 1));
                return fail(error);
            }
            if (!verified)
                err() << "restack: note: " << registry << " did not ask for credentials, so they could not be checked\n";
            out() << "Login succeeded: credentials for " << registry << " saved in the keychain (service "
                  << Credentials::ApplicationId << ").\n";
            done(Success);
        });
    });
}

void LogoutCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("REGISTRY"), QStringLiteral("The registry, HOST[:PORT]."));
}

void LogoutCommand::execute(const QCommandLineParser &parser)
{
    const QString registry = registryArgument(parser);
    if (registry.isEmpty())
        return;
    const bool saved = !secretStore()->username(registry).isEmpty();
    secretStore()->remove(registry, this, [this, registry, saved](Result<void> removed) {
        if (!removed.ok())
            return fail(removed.error());
        if (saved)
            out() << "Removed the credentials for " << registry << " from the keychain.\n";
        else
            out() << "No credentials for " << registry << " were saved in the keychain.\n";
        // Restack only reads Docker's and Podman's files: say so when they still log in.
        for (const QString &path :
             Credentials::AuthFile::filesWithCredentials(registry, QProcessEnvironment::systemEnvironment()))
            err() << "restack: note: " << path << " still has credentials for " << registry
                  << "; Restack uses them but never changes that file (log out with the tool that wrote it)\n";
        done(Success);
    });
}

} // namespace Restack::Cli
