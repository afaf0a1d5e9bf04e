// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

#include "common/result.h"
#include "registry/client.h"

namespace Restack::Credentials
{

/**
 * Asks a Docker credential helper for a registry's credential, asynchronously: runs
 * `docker-credential-NAME get` (found on PATH), writes the server address to its standard input
 * and reads {"ServerURL", "Username", "Secret"} from its standard output (protocol of
 * docker/docker-credential-helpers). A Username of "<token>" marks Secret as an identity token
 * (Credential::identityToken). Nothing is written to a command line or a file.
 *
 * Results: the credential; nullopt when the helper answers "credentials not found" (exit status 1
 * with that message; not an error). Errors: the helper is not on PATH (Kind::Unavailable), it
 * failed otherwise or printed something else than the JSON object (Kind::Internal, with its
 * message), or it took longer than @p timeoutMs milliseconds (Kind::Timeout; it is killed).
 */
void runCredentialHelper(const QString &helper, const QString &serverAddress, const QProcessEnvironment &environment,
                         QObject *context, Callback<std::optional<Registry::Credential>> done,
                         int timeoutMs = 30'000);

/** "docker-credential-" + @p helper. */
QString credentialHelperProgram(const QString &helper);

} // namespace Restack::Credentials
