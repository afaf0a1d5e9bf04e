// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/command.h"
#include "common/result.h"

namespace Restack::Cli
{

/** What `restack login` and `restack logout` share: one REGISTRY argument. */
class KeychainCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;

protected:
    /** The REGISTRY argument, parsed; empty (after reporting the error) when missing or invalid. */
    QString registryArgument(const QCommandLineParser &parser);
};

/**
 * `restack login REGISTRY [-u USER] [--password-stdin]`: checks the credentials against the
 * registry first (GET /v2/ answered with the challenge's scheme: Basic, or a token from the
 * Bearer realm) and only then saves them in the OS keychain (Credentials::SecretStore). Wrong
 * credentials are an error and nothing is saved. Without --password-stdin the password is
 * prompted for with echo off when standard input is a terminal, and required on standard input
 * otherwise. Exit status 1 when the keychain is unavailable (the message says how to start one).
 */
class LoginCommand final : public KeychainCommand
{
    Q_OBJECT

public:
    using KeychainCommand::KeychainCommand;
    QString name() const override { return QStringLiteral("login"); }
    QString summary() const override
    {
        return QStringLiteral("Check credentials for a registry and save them in the keychain.");
    }

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
};

/** `restack logout REGISTRY`: removes the registry's credentials from the keychain. */
class LogoutCommand final : public KeychainCommand
{
    Q_OBJECT

public:
    using KeychainCommand::KeychainCommand;
    QString name() const override { return QStringLiteral("logout"); }
    QString summary() const override { return QStringLiteral("Remove a registry's credentials from the keychain."); }

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
};

/** The registry named on the command line: "HOST[:PORT]", also as a URL ("https://host/v1/"). */
Result<QString> parseLoginRegistry(const QString &text);

} // namespace Restack::Cli
