// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>

#include "tools.h"

namespace Restack::Test
{
class RegistryFixture;
struct AccessLogEntry;
} // namespace Restack::Test

// What the benchmarks share (they print figures; they assert nothing about time).
namespace Restack::Bench
{

/** Standard output, for the figures. */
QTextStream &out();

using Test::randomBytes; // incompressible data, the same for the same seed (tests/support/tools.h)

/**
 * A started docker-registry (blob descriptors cached in memory, as Debian's packaged configuration has it),
 * or null after printing why it could not start.
 */
std::unique_ptr<Test::RegistryFixture> startRegistry(const QString &logLevel = QStringLiteral("info"));

/** The median of @p values (0 for none). */
double median(QList<double> values);

/** "12.3" */
QString ms(double milliseconds);

/**
 * CPU time (user + system, milliseconds) used so far by this process (@p children false) or by its
 * waited-for child processes (@p children true), from getrusage().
 */
double cpuMs(bool children = false);

/**
 * CPU time used, between its construction and perRun(), by the client (this process, or with
 * @p children its waited-for child processes) and by @p registry's process (/proc, 10 ms ticks).
 */
class CpuMeter
{
public:
    struct Split
    {
        double client = 0;   ///< ms per run
        double registry = 0; ///< ms per run
        /**
         * (client + registry) / the machine's cores: client and registry share the cores, so no
         * schedule of the requests can take less wall time than this.
         */
        double floorMs() const;
    };

    CpuMeter(const Test::RegistryFixture &registry, bool children);
    /** What was used so far, divided by @p runs. */
    Split perRun(int runs) const;

private:
    const Test::RegistryFixture &m_registry;
    bool m_children;
    double m_clientStart;
    double m_registryStart;
};

/** A finished child process: wall time, peak resident set size (from /usr/bin/time), exit status, output. */
struct ProcessRun
{
    bool ok = false;
    double wallMs = 0;
    qint64 maxRssKiB = -1; ///< -1: unknown (no /usr/bin/time)
    QByteArray standardOutput;
    QByteArray standardError;
};

/**
 * Runs @p program with @p arguments and waits (at most @p timeoutMs). With @p measureMemory the program
 * runs under `/usr/bin/time -f %M` (package "time"), whose report is taken out of standardError.
 * A failure is printed with the program's standard error.
 */
ProcessRun runProcess(const QString &program, const QStringList &arguments, bool measureMemory = false,
                      int timeoutMs = 300000);

/**
 * Waits until the registry's access log has @p count requests after the mark that satisfy @p predicate
 * (the log is written after each response), at most @p timeoutMs; returns every request after the mark.
 */
QList<Test::AccessLogEntry> waitForRequests(const Test::RegistryFixture &registry,
                                            const std::function<bool(const Test::AccessLogEntry &)> &predicate,
                                            int count, int timeoutMs = 30000);

/** Requests by kind: "manifest GET", "blob HEAD", "blob mount POST", "upload PUT", "tags/list GET", ... */
QMap<QString, int> requestKinds(const QList<Test::AccessLogEntry> &entries);

/**
 * Sends many independent requests to a plain-HTTP registry at once (several connections), for seeding
 * large fixtures quickly. Each request must answer 2xx.
 */
class ParallelRequests final
{
public:
    struct Request
    {
        QByteArray method; ///< "PUT", "POST"
        QString path;      ///< "/v2/NAME/manifests/TAG", with query
        QByteArray body;
        QByteArray contentType;
    };

    /** @p host: "127.0.0.1:PORT". */
    explicit ParallelRequests(QString host);

    /** Sends every request, @p connections at a time; returns the number that failed (the first few printed). */
    int run(const QList<Request> &requests, int connections = 24);

private:
    QString m_host;
};

} // namespace Restack::Bench
