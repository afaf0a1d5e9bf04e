// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

#include "common/result.h"

class QTemporaryDir;

namespace Restack::Test
{

/** What an external tool printed when it succeeded. */
struct ToolOutput
{
    QByteArray standardOutput;
    QByteArray standardError;
};

/**
 * Runs @p program with @p arguments and waits for it (at most @p timeoutMs milliseconds), with
 * toolEnvironment() as its environment. Errors (Kind::Internal): the program could not be
 * started, timed out (it is killed) or exited with a non-zero status; the message names the
 * command line, the exit code and the tool's stderr.
 */
Result<ToolOutput> runTool(const QString &program, const QStringList &arguments, int timeoutMs = 120000);

/**
 * The environment for tools the test support starts: the caller's, without proxy variables
 * (everything is on loopback) and without REGISTRY_* variables (they override docker-registry's
 * configuration file).
 */
QProcessEnvironment toolEnvironment();

/** An Error of Kind::Internal with @p message: test-support failures are never the user's. */
Error supportError(const QString &message);

/**
 * A new temporary directory under @p parent (empty: QDir::tempPath()) named
 * "restack-<prefix>-XXXXXX". It is removed when the returned object is destroyed, unless the
 * environment variable RESTACK_TEST_KEEP_TMP is set to 1 (then its path is logged with qInfo, for
 * post-mortem inspection).
 */
std::unique_ptr<QTemporaryDir> makeTempDir(const QString &prefix, const QString &parent = {});

/** "sha256:<hex>" of @p data, computed with QCryptographicHash (independently of restack_core). */
QString sha256Digest(const QByteArray &data);

/**
 * "sha256:<hex>" and size of the file at @p path, streamed. Errors: the file cannot be read.
 */
Result<std::pair<QString, qint64>> sha256OfFile(const QString &path);

/**
 * "sha256:<hex>" and size of the output of `program arguments...` (e.g. `gzip -dc FILE`), streamed
 * without holding it in memory. Errors: as runTool().
 */
Result<std::pair<QString, qint64>> sha256OfToolOutput(const QString &program, const QStringList &arguments,
                                                      int timeoutMs = 120000);

/** Reads a whole file. Errors: the file cannot be opened. */
Result<QByteArray> readFile(const QString &path);

/** Writes @p data to @p path, replacing it. Errors: the file cannot be written. */
Result<void> writeFile(const QString &path, const QByteArray &data);

/** Parses @p data as a JSON object. Errors: not JSON or not an object; @p what names the content. */
Result<QJsonObject> parseJsonObject(const QByteArray &data, const QString &what);

/** @p size bytes of incompressible data, the same for the same @p seed. */
QByteArray randomBytes(qsizetype size, quint32 seed);

/**
 * The files under @p directory (recursively, hidden ones included) whose bytes contain @p secret as
 * text, base64 (as in Docker's "auth" field) or hex: a secret must never be written to a file.
 */
QStringList filesContaining(const QString &directory, const QByteArray &secret);

} // namespace Restack::Test
