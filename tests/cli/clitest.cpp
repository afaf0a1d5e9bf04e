// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clitest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTest>

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QUrl>
#include <QUrlQuery>

#include "tools.h"

#include <csignal>

namespace Restack::Test
{

namespace
{

const QString SyncPath = QStringLiteral("/v2/");
const QString SyncKey = QStringLiteral("restack-test-sync");

QStringList splitLines(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

bool isSyncRequest(const AccessLogEntry &entry)
{
    return entry.path == SyncPath && entry.uri.contains(SyncKey);
}

} // namespace

QStringList CliRun::outputLines() const
{
    return splitLines(standardOutput);
}

QStringList CliRun::errorLines() const
{
    return splitLines(standardError);
}

QString CliRun::describe() const
{
    return QStringLiteral("restack %1\n-> %2\n--- stdout ---\n%3--- stderr ---\n%4")
        .arg(arguments.join(QLatin1Char(' ')),
             exited ? QStringLiteral("exit code %1").arg(exitCode) : QStringLiteral("did not exit normally"),
             standardOutput, standardError);
}

CliRun runRestack(const QStringList &arguments, int timeoutMs)
{
    return runRestackWith(arguments, {}, toolEnvironment(), timeoutMs);
}

namespace
{
/**
 * Runs the restack binary; with @p ready set, sends @p signalNumber once ready() holds (checked
 * every 10 ms while the event loop runs, at most 30 s).
 */
CliRun runProcess(const QStringList &arguments, const QByteArray &input, const QProcessEnvironment &environment,
                  int timeoutMs, const std::function<bool()> &ready = {}, int signalNumber = 0)
{
    CliRun run;
    run.arguments = arguments;
    QProcess process;
    process.setProcessEnvironment(environment);
    if (input.isEmpty())
        process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(RESTACK_BINARY), arguments);
    if (!process.waitForStarted(10000)) {
        run.standardError
            = QStringLiteral("cannot start %1: %2").arg(QStringLiteral(RESTACK_BINARY), process.errorString());
        return run;
    }
    if (!input.isEmpty()) {
        process.write(input);
        process.closeWriteChannel();
    }
    if (ready) {
        QElapsedTimer waited;
        waited.start();
        while (!ready() && waited.elapsed() < 30000 && process.state() == QProcess::Running)
            QTest::qWait(10);
        if (ready() && process.state() == QProcess::Running)
            ::kill(pid_t(process.processId()), signalNumber);
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    } else {
        run.exited = process.exitStatus() == QProcess::NormalExit;
        run.exitCode = process.exitCode();
    }
    run.standardOutput = QString::fromUtf8(process.readAllStandardOutput());
    run.standardError = QString::fromUtf8(process.readAllStandardError());
    return run;
}
} // namespace

CliRun runRestackWith(const QStringList &arguments, const QByteArray &input, const QProcessEnvironment &environment,
                      int timeoutMs)
{
    return runProcess(arguments, input, environment, timeoutMs);
}

CliRun runRestackAndSignal(const QStringList &arguments, const std::function<bool()> &ready, int signalNumber,
                           int timeoutMs)
{
    return runProcess(arguments, {}, toolEnvironment(), timeoutMs, ready, signalNumber);
}

QStringList batchArguments(const QString &source, const QString &pattern, const QString &newBase, const QString &oldBase,
                           const QString &target, const QStringList &extra)
{
    return QStringList{QStringLiteral("rebase"), source, QStringLiteral("--tags"), pattern, QStringLiteral("-b"), newBase,
                       QStringLiteral("--old-base"), oldBase, QStringLiteral("-t"), target}
        + extra + QStringList{QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")};
}

QByteArray ociIndexOf(const QByteArray &manifest, const QString &os, const QString &architecture)
{
    return QStringLiteral(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
                          R"("manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                          R"("digest":"%1","size":%2,"platform":{"architecture":"%3","os":"%4"}}]})")
        .arg(sha256Digest(manifest))
        .arg(manifest.size())
        .arg(architecture, os)
        .toUtf8();
}

QString reportedDigest(const QString &output, const QString &prefix, const QString &target)
{
    const QRegularExpression line(QStringLiteral("^") + QRegularExpression::escape(prefix + QLatin1Char(' ') + target)
                                      + QStringLiteral("@(sha256:[0-9a-f]{64})$"),
                                  QRegularExpression::MultilineOption);
    QRegularExpressionMatchIterator it = line.globalMatch(output);
    QStringList found;
    while (it.hasNext())
        found << it.next().captured(1);
    return found.size() == 1 ? found.first() : QString();
}

bool syncAccessLog(const RegistryFixture &registry)
{
    static int counter = 0;
    const QString token = QString::number(++counter);
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(
        QUrl(registry.baseUrl() + SyncPath + QLatin1Char('?') + SyncKey + QLatin1Char('=') + token));
    request.setTransferTimeout(5000);
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        delete reply;
        return false;
    }
    delete reply;
    const QString needle = SyncKey + QLatin1Char('=') + token;
    return registry
        .waitForAccessLog([&](const AccessLogEntry &e) { return e.path == SyncPath && e.uri.endsWith(needle); }, 10000)
        .has_value();
}

QList<AccessLogEntry> requestsSinceMark(const RegistryFixture &registry)
{
    QList<AccessLogEntry> entries = registry.accessLogSinceMark();
    entries.removeIf(isSyncRequest);
    return entries;
}

QString describeRequests(const QList<AccessLogEntry> &entries)
{
    QString text;
    for (const AccessLogEntry &e : entries)
        text += QStringLiteral("  %1 %2 %3\n").arg(e.method, e.uri, QString::number(e.status));
    return text.isEmpty() ? QStringLiteral("  (no requests)\n") : text;
}

QString queryValue(const AccessLogEntry &entry, const QString &key)
{
    const qsizetype question = entry.uri.indexOf(QLatin1Char('?'));
    if (question < 0)
        return {};
    const QUrlQuery query(entry.uri.mid(question + 1));
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

QList<MountRequest> mountRequests(const QList<AccessLogEntry> &entries)
{
    static const QRegularExpression uploads(QStringLiteral("^/v2/(.+)/blobs/uploads/?$"));
    QList<MountRequest> mounts;
    for (const AccessLogEntry &e : entries) {
        if (e.method != QLatin1String("POST"))
            continue;
        const QRegularExpressionMatch match = uploads.match(e.path);
        if (!match.hasMatch() || queryValue(e, QStringLiteral("mount")).isEmpty())
            continue;
        mounts.append({match.captured(1), queryValue(e, QStringLiteral("mount")), queryValue(e, QStringLiteral("from")),
                       e.status});
    }
    return mounts;
}

QStringList blobDownloads(const QList<AccessLogEntry> &entries)
{
    static const QRegularExpression blob(QStringLiteral("^/v2/.+/blobs/([a-z0-9]+:[a-f0-9]+)$"));
    QStringList digests;
    for (const AccessLogEntry &e : entries) {
        if (e.method != QLatin1String("GET"))
            continue;
        const QRegularExpressionMatch match = blob.match(e.path);
        if (match.hasMatch())
            digests << match.captured(1);
    }
    return digests;
}

QList<AccessLogEntry> withMethods(const QList<AccessLogEntry> &entries, const QStringList &methods)
{
    QList<AccessLogEntry> result;
    for (const AccessLogEntry &e : entries) {
        if (methods.contains(e.method))
            result << e;
    }
    return result;
}

QString writesBeyondCancelledSessions(const QList<AccessLogEntry> &entries)
{
    static const QRegularExpression session(QStringLiteral("^/v2/.+/blobs/uploads/$"));
    QList<AccessLogEntry> unexpected;
    int opened = 0;
    int cancelled = 0;
    for (const AccessLogEntry &e : entries) {
        if (e.method == QLatin1String("POST") && session.match(e.path).hasMatch() && e.uri == e.path && e.status == 202)
            ++opened;
        else if (e.method == QLatin1String("DELETE") && e.path.contains(QLatin1String("/blobs/uploads/")) && e.status / 100 == 2)
            ++cancelled;
        else if (e.method != QLatin1String("GET") && e.method != QLatin1String("HEAD"))
            unexpected << e;
    }
    QString problems;
    if (!unexpected.isEmpty())
        problems += QStringLiteral("written:\n") + describeRequests(unexpected);
    if (opened != cancelled)
        problems += QStringLiteral("%1 upload sessions opened, %2 cancelled:\n%3").arg(opened).arg(cancelled).arg(describeRequests(entries));
    return problems;
}

QStringList openUploadSessions(const RegistryFixture &registry, const QString &repository)
{
    const QDir uploads(registry.storageDir() + QStringLiteral("/docker/registry/v2/repositories/") + repository
                       + QStringLiteral("/_uploads"));
    // A cancelled session loses its data and startedat files; docker-registry 2.8 leaves the
    // directory with its hashstates behind until its upload purging runs.
    QStringList open;
    for (const QString &id : uploads.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (QFileInfo::exists(uploads.filePath(id + QStringLiteral("/startedat"))))
            open << id;
    }
    return open;
}

} // namespace Restack::Test
