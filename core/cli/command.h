// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineParser>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>

#include "common/error.h"

class QNetworkAccessManager;

namespace Restack::Registry
{
class Client;
}

namespace Restack::Credentials
{
class CredentialResolver;
class SecretStore;
}

namespace Restack::Cli
{

/** Exit codes of `restack`. */
enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

/** Where a command writes: standard output for results, standard error for progress and errors. */
struct Streams
{
    QTextStream &out;
    QTextStream &err;
};

/**
 * One `restack` subcommand with its own QCommandLineParser, help text and exit code. run() parses
 * the arguments and starts the (asynchronous) work; finished() is emitted exactly once with the
 * exit code. Errors are printed as one line "restack: error: …".
 */
class Command : public QObject
{
    Q_OBJECT

public:
    Command(Streams streams, QObject *parent = nullptr);
    ~Command() override;

    virtual QString name() const = 0;
    /** One line for `restack --help`. */
    virtual QString summary() const = 0;

    /** Parses @p arguments (the words after the command name) and starts; see finished(). */
    void run(const QStringList &arguments);
    /** The command's full help text. */
    QString helpText();
    /**
     * SIGINT or SIGTERM (@p signalNumber) arrived: cancels the work (cancel()), which still ends
     * with finished(), now with exit code 128 + @p signalNumber (130 for Ctrl-C).
     */
    void interrupt(int signalNumber);

Q_SIGNALS:
    void finished(int exitCode);

protected:
    /** Declares positional arguments and options. */
    virtual void addOptions(QCommandLineParser &parser) = 0;
    /** Starts the work once the arguments parsed; must end with done() or fail(). */
    virtual void execute(const QCommandLineParser &parser) = 0;
    /**
     * Stops the work after interrupt(): commands with an operation in flight cancel it (which
     * gives back what it opened on registries) and finish when it reports; the default fails at once.
     */
    virtual void cancel();

    QTextStream &out() { return m_streams.out; }
    QTextStream &err() { return m_streams.err; }

    void done(int exitCode = Success);
    /** Prints "restack: error: …" and finishes with Failure (UsageError for invalid input). */
    void fail(const Error &error);
    void usageError(const QString &message);
    /** A progress line on standard error (unless --quiet). */
    void progress(const QString &message);

    // Options shared by every command that talks to registries.
    void addRegistryOptions(QCommandLineParser &parser);
    /**
     * Builds the client from the registry options: --insecure for @p registries, credentials from
     * --username/--password-stdin for @p credentialRegistry, --timeout, --verbose. Every other
     * registry that asks for credentials gets them from the CredentialResolver (keychain, then
     * Docker's and Podman's auth files), asked only when it challenges. Returns false (after
     * reporting) on invalid options. With @p readCredentials false, --username and
     * --password-stdin are left to the command (`restack login`).
     */
    bool setUpClient(const QCommandLineParser &parser, const QStringList &registries, const QString &credentialRegistry,
                     bool readCredentials = true);
    /** --ca-file, --client-cert and --client-key for @p registries (or the one each names). */
    bool setUpTls(const QCommandLineParser &parser, const QStringList &registries);
    Registry::Client *client() const { return m_client; }
    /** The keychain of `restack login` (created on first use). */
    Credentials::SecretStore *secretStore();
    /**
     * Reads a password or token from standard input (--password-stdin): the whole input, without
     * trailing line breaks. Returns false (after a usage error) when it cannot be read or is empty.
     */
    bool readSecretFromStdin(QString *secret);
    bool jsonOutput() const { return m_json; }
    void addOutputOption(QCommandLineParser &parser);
    bool readOutputOption(const QCommandLineParser &parser);

private:
    Streams m_streams;
    QCommandLineParser m_parser;
    bool m_optionsAdded = false;
    bool m_finished = false;
    bool m_quiet = false;
    bool m_json = false;
    int m_interruptedBy = 0; ///< the signal's number once interrupted
    QNetworkAccessManager *m_network = nullptr;
    Registry::Client *m_client = nullptr;
    Credentials::SecretStore *m_store = nullptr;
    Credentials::CredentialResolver *m_resolver = nullptr;
    QString m_lastProgress;
};

/** Text width of @p text in the terminal (counts characters; digests and sizes are ASCII). */
QString padded(const QString &text, int width);
/** "1 layer", "3 layers": @p count and @p noun, with an "s" unless count is 1. */
QString counted(qsizetype count, const QString &noun);
/** "1.2 MiB" (IEC units); exact bytes are in JSON output. */
QString humanSize(qint64 bytes);

} // namespace Restack::Cli
