// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchsupport.h"

#include <sys/resource.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "registryfixture.h"

namespace Restack::Bench
{

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

std::unique_ptr<Test::RegistryFixture> startRegistry(const QString &logLevel)
{
    Test::RegistryOptions options;
    options.storageExtra = QStringLiteral("cache:\n  blobdescriptor: inmemory\n");
    options.logLevel = logLevel;
    auto registry = std::make_unique<Test::RegistryFixture>(options);
    QString error;
    if (!registry->start(&error)) {
        out() << "bench: cannot start registry: " << error << Qt::endl;
        return nullptr;
    }
    return registry;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

QString ms(double milliseconds)
{
    return QString::number(milliseconds, 'f', 1);
}

double cpuMs(bool children)
{
    struct rusage usage = {};
    ::getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage);
    auto toMs = [](const struct timeval &t) { return double(t.tv_sec) * 1000.0 + double(t.tv_usec) / 1000.0; };
    return toMs(usage.ru_utime) + toMs(usage.ru_stime);
}

double CpuMeter::Split::floorMs() const
{
    return (client + registry) / qMax(1, QThread::idealThreadCount());
}

CpuMeter::CpuMeter(const Test::RegistryFixture &registry, bool children)
    : m_registry(registry)
    , m_children(children)
    , m_clientStart(cpuMs(children))
    , m_registryStart(registry.cpuMs())
{
}

CpuMeter::Split CpuMeter::perRun(int runs) const
{
    const int n = qMax(1, runs);
    return {(cpuMs(m_children) - m_clientStart) / n, (m_registry.cpuMs() - m_registryStart) / n};
}

ProcessRun runProcess(const QString &program, const QStringList &arguments, bool measureMemory, int timeoutMs)
{
    static const bool haveTime = QFile::exists(QStringLiteral("/usr/bin/time"));
    ProcessRun run;
    QProcess process;
    const bool wrapped = measureMemory && haveTime;
    QElapsedTimer timer;
    timer.start();
    if (wrapped)
        process.start(QStringLiteral("/usr/bin/time"),
                      QStringList{QStringLiteral("-f"), QStringLiteral("restack-bench-maxrss=%M"), program} + arguments);
    else
        process.start(program, arguments);
    process.waitForFinished(timeoutMs);
    run.wallMs = timer.nsecsElapsed() / 1e6;
    run.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    run.standardOutput = process.readAllStandardOutput();
    run.standardError = process.readAllStandardError();
    if (wrapped) {
        static const QRegularExpression report(QStringLiteral("restack-bench-maxrss=(\\d+)\\n?$"));
        const QString err = QString::fromUtf8(run.standardError);
        const auto match = report.match(err);
        if (match.hasMatch()) {
            run.maxRssKiB = match.captured(1).toLongLong();
            run.standardError = err.left(match.capturedStart()).toUtf8();
        }
    }
    if (!run.ok)
        out() << "  ! " << program << ' ' << arguments.join(QLatin1Char(' ')) << " failed: " << run.standardError
              << Qt::endl;
    return run;
}

QList<Test::AccessLogEntry> waitForRequests(const Test::RegistryFixture &registry,
                                            const std::function<bool(const Test::AccessLogEntry &)> &predicate,
                                            int count, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QList<Test::AccessLogEntry> entries;
    for (;;) {
        entries = registry.accessLogSinceMark();
        const auto matching = std::count_if(entries.cbegin(), entries.cend(), predicate);
        if (matching >= count || timer.elapsed() > timeoutMs)
            return entries;
        QCoreApplication::processEvents();
        QThread::msleep(20);
    }
}

QMap<QString, int> requestKinds(const QList<Test::AccessLogEntry> &entries)
{
    QMap<QString, int> kinds;
    for (const Test::AccessLogEntry &e : entries) {
        QString kind;
        if (e.path == QLatin1String("/v2/") || e.path == QLatin1String("/v2"))
            kind = QStringLiteral("ping");
        else if (e.path.contains(QLatin1String("/manifests/")))
            kind = QStringLiteral("manifest");
        else if (e.path.endsWith(QLatin1String("/tags/list")))
            kind = QStringLiteral("tags/list");
        else if (e.path.endsWith(QLatin1String("/_catalog")))
            kind = QStringLiteral("catalog");
        else if (e.path.contains(QLatin1String("/blobs/uploads"))) {
            kind = e.method == QLatin1String("POST") && e.uri.contains(QLatin1String("mount="))
                       ? QStringLiteral("blob mount")
                       : QStringLiteral("upload");
        } else if (e.path.contains(QLatin1String("/blobs/")))
            kind = QStringLiteral("blob");
        else
            kind = QStringLiteral("other");
        kinds[kind + QLatin1Char(' ') + e.method] += 1;
    }
    return kinds;
}

ParallelRequests::ParallelRequests(QString host)
    : m_host(std::move(host))
{
}

int ParallelRequests::run(const QList<Request> &requests, int connections)
{
    // QNetworkAccessManager keeps at most 6 connections per host: several managers for more.
    QList<std::shared_ptr<QNetworkAccessManager>> managers;
    for (int i = 0; i < (connections + 5) / 6; ++i) {
        managers << std::make_shared<QNetworkAccessManager>();
        managers.last()->setProxy(QNetworkProxy::NoProxy);
    }
    qsizetype next = 0;
    int inFlight = 0;
    int failures = 0;
    QEventLoop loop;
    std::function<void(int)> send = [&](int slot) {
        if (next >= requests.size()) {
            if (inFlight == 0)
                loop.quit();
            return;
        }
        const Request &r = requests.at(next++);
        QNetworkRequest request(QUrl(QStringLiteral("http://") + m_host + r.path));
        if (!r.contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, r.contentType);
        request.setHeader(QNetworkRequest::ContentLengthHeader, r.body.size());
        QNetworkReply *reply = managers.at(slot % managers.size())->sendCustomRequest(request, r.method, r.body);
        ++inFlight;
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, slot, path = r.path] {
            --inFlight;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status < 200 || status >= 300) {
                if (++failures <= 3)
                    out() << "  ! " << path << ": HTTP " << status << ' ' << reply->readAll() << Qt::endl;
            }
            reply->deleteLater();
            send(slot);
        });
    };
    for (int slot = 0; slot < connections; ++slot)
        send(slot);
    if (inFlight > 0)
        loop.exec();
    return failures;
}

} // namespace Restack::Bench
