// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

#include "registryfixture.h"

namespace Restack::Test
{

/** What one run of the built `restack` binary did. */
struct CliRun
{
    QStringList arguments; ///< the arguments after the program
    bool exited = false;   ///< exited by itself within the timeout (not crashed, not killed)
    int exitCode = -1;     ///< valid when exited
    QString standardOutput;
    QString standardError;

    /** Standard output split into lines, without the empty string after the last newline. */
    QStringList outputLines() const;
    /** Standard error split into lines, without the empty string after the last newline. */
    QStringList errorLines() const;
    /** The command line, exit status, stdout and stderr: for failure messages. */
    QString describe() const;
};

/**
 * Runs the `restack` binary built with the tests (RESTACK_BINARY) with @p arguments and the test
 * tools' environment (no proxy variables), waiting at most @p timeoutMs milliseconds (then it is
 * killed and CliRun::exited stays false). Standard input is closed.
 */
CliRun runRestack(const QStringList &arguments, int timeoutMs = 60000);

/**
 * Runs `restack` like runRestack(), with @p input written to its standard input (then closed) and
 * @p environment as its environment.
 */
CliRun runRestackWith(const QStringList &arguments, const QByteArray &input, const QProcessEnvironment &environment,
                      int timeoutMs = 60000);

/**
 * Starts `restack` with @p arguments (test tools' environment, standard input closed), waits
 * until @p ready() is true (checked every 10 ms while the event loop runs, at most 30 s), sends
 * it @p signalNumber (SIGINT, SIGTERM), and waits at most @p timeoutMs for it to end. When
 * ready() never holds, the signal is not sent and the process is killed at the timeout.
 */
CliRun runRestackAndSignal(const QStringList &arguments, const std::function<bool()> &ready, int signalNumber,
                           int timeoutMs = 30000);

/**
 * A batch rebase whose JSON report is read from standard output: `restack rebase SOURCE --tags
 * PATTERN -b NEW_BASE --old-base OLD_BASE -t TARGET`, then @p extra, then `-o json -q`.
 */
QStringList batchArguments(const QString &source, const QString &pattern, const QString &newBase, const QString &oldBase,
                           const QString &target, const QStringList &extra = {});

/** An OCI index (compact JSON) listing the OCI image manifest @p manifest for @p os/@p architecture. */
QByteArray ociIndexOf(const QByteArray &manifest, const QString &os = QStringLiteral("linux"),
                      const QString &architecture = QStringLiteral("amd64"));

/**
 * The "sha256:<hex>" at the end of the line "<prefix> <target>@sha256:<hex>" in @p output (e.g.
 * prefix "Pushed" or "Would push"); empty when there is no such line or more than one.
 */
QString reportedDigest(const QString &output, const QString &prefix, const QString &target);

/**
 * A barrier for access-log assertions: sends GET /v2/?sync=N to @p registry and waits until its
 * line is logged. A registry logs a request after answering it, so once this returns, every request
 * a client had its answer to before the call is in the log too. False on timeout.
 */
bool syncAccessLog(const RegistryFixture &registry);

/** Requests since the mark, without syncAccessLog()'s own: the barrier requests are left out. */
QList<AccessLogEntry> requestsSinceMark(const RegistryFixture &registry);

/** One "METHOD URI STATUS" line per entry, for failure messages. */
QString describeRequests(const QList<AccessLogEntry> &entries);

/** A query parameter of an access-log entry's URI, percent-decoded; empty when absent. */
QString queryValue(const AccessLogEntry &entry, const QString &key);

/** A cross-repository mount request as the access log shows it. */
struct MountRequest
{
    QString repository; ///< the target repository ("other/app")
    QString digest;     ///< mount=
    QString from;       ///< from=
    int status = 0;     ///< 201 mounted, 202 an upload session instead
};

/** The POST /v2/<name>/blobs/uploads/?mount=...&from=... requests among @p entries, in order. */
QList<MountRequest> mountRequests(const QList<AccessLogEntry> &entries);

/**
 * The digests of GET /v2/<name>/blobs/<digest> requests among @p entries (any status), in order:
 * the blobs whose content was downloaded.
 */
QStringList blobDownloads(const QList<AccessLogEntry> &entries);

/** Entries whose method is one of @p methods. */
QList<AccessLogEntry> withMethods(const QList<AccessLogEntry> &entries, const QStringList &methods);

/**
 * What a failed (not dry) rebase may write is an upload session opened ahead of time and then
 * cancelled: POST /v2/NAME/blobs/uploads/ (no mount) answered 202 and a DELETE of that session.
 * Returns every other write among @p entries (PUT, PATCH, other POSTs, DELETEs) and every session
 * opened without its DELETE, described; empty when there is none.
 */
QString writesBeyondCancelledSessions(const QList<AccessLogEntry> &entries);

/** Upload sessions still open in @p repository (in the registry's storage: _uploads/ID with its startedat file). */
QStringList openUploadSessions(const RegistryFixture &registry, const QString &repository);

} // namespace Restack::Test

/**
 * QVERIFY2 for long diagnostics: on failure prints @p details in full with qInfo (QtTest cuts
 * long messages) and fails the test.
 */
#define RESTACK_VERIFY_OR_DUMP(condition, details)                                                                     \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            qInfo().noquote() << (details);                                                                            \
            QFAIL("'" #condition "' returned FALSE (details above)");                                                  \
        }                                                                                                              \
    } while (false)
