// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Benchmark of a same-registry rebase (prints figures; asserts nothing about time).
//
// Seeds a real docker-registry with a 3-layer base, a 1-layer new base and an app on the old base
// (layers of incompressible data, so that moving one would show), then reports for the rebase:
// HTTP requests by kind (from restack's client and, independently, from the registry's access
// log), bytes received and sent, layer bytes moved and wall time, in-process and through the
// `restack` CLI, beside the wall time of `skopeo inspect --config --raw` reading the same three
// images' manifests and configs.
//
// All of it twice when the machine has both: with the registry's storage on disk, where every
// registry write (the config upload, the mount, the manifest PUT) waits for fsync, and in memory
// (tmpfs), where it does not. skopeo only reads, so storage matters to restack's side alone.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMap>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QDir>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cstdio>

#include "benchsupport.h"
#include "imagefactory.h"
#include "rebase/operation.h"
#include "registry/client.h"
#include "registryfixture.h"

using namespace Restack;
using Restack::Bench::median;
using Restack::Bench::randomBytes;
using namespace Restack::Test;

namespace
{

constexpr int Rounds = 15; // medians of this many; the machine's noise is a few ms
QTextStream &out = Bench::out();

QString kindOf(const AccessLogEntry &e, const QStringList &configDigests)
{
    static const QRegularExpression blob(QStringLiteral("^/v2/.+/blobs/(sha256:[a-f0-9]{64})$"));
    if (e.path == QLatin1String("/v2/") || e.path == QLatin1String("/v2"))
        return QStringLiteral("ping");
    if (e.path.contains(QLatin1String("/manifests/")))
        return QStringLiteral("manifest ") + e.method;
    if (e.path.contains(QLatin1String("/blobs/uploads"))) {
        if (e.method == QLatin1String("POST"))
            return e.uri.contains(QLatin1String("mount=")) ? QStringLiteral("blob mount POST") : QStringLiteral("upload POST");
        return QStringLiteral("upload ") + e.method;
    }
    const auto m = blob.match(e.path);
    if (m.hasMatch()) {
        const bool config = configDigests.contains(m.captured(1));
        return (config ? QStringLiteral("config blob ") : QStringLiteral("LAYER blob ")) + e.method;
    }
    return QStringLiteral("other ") + e.method;
}

Result<Rebase::RebaseOutcome> rebaseInProcess(const Rebase::RebaseRequest &request, Registry::Stats *stats, double *ms)
{
    QNetworkAccessManager network;
    Registry::Client client(&network);
    Rebase::RebaseOperation operation(&client, request);
    QEventLoop loop;
    QObject::connect(&operation, &Rebase::RebaseOperation::finished, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    operation.start();
    loop.exec();
    *ms = timer.nsecsElapsed() / 1e6;
    *stats = client.stats();
    return operation.result();
}

double timeProcess(const QString &program, const QStringList &arguments, bool *ok)
{
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    process.waitForFinished(120000);
    const double ms = timer.nsecsElapsed() / 1e6;
    *ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!*ok)
        out << "  ! " << program << " failed: " << process.readAllStandardError() << Qt::endl;
    return ms;
}

/** Where a registry's storage goes, and its file system ("ext4", "tmpfs", ...). */
struct Storage
{
    QString parent;
    QString fileSystem;
};

/** The wall-time medians of one storage's run (ms). */
struct Figures
{
    Storage storage;
    double inProcess = 0;
    double cli = 0;
    double skopeo = 0;
};

QString fileSystemOf(const QString &path)
{
    return QString::fromLatin1(QStorageInfo(path).fileSystemType());
}

/**
 * The system's temporary directory (where the tests' registries live), and beside it a directory
 * of the other kind when there is one: /dev/shm (tmpfs) when the temporary directory is on disk,
 * this program's own directory (the build tree) when it is in memory.
 */
QList<Storage> storages()
{
    const QString temp = QDir::tempPath();
    QList<Storage> list{{temp, fileSystemOf(temp)}};
    const bool tempInMemory = list.first().fileSystem == QLatin1String("tmpfs");
    const QString other = tempInMemory ? QCoreApplication::applicationDirPath() : QStringLiteral("/dev/shm");
    const QString otherType = fileSystemOf(other);
    if (QFileInfo(other).isWritable() && (otherType == QLatin1String("tmpfs")) != tempInMemory)
        list << Storage{other, otherType};
    return list;
}

int measure(const Storage &storage, Figures *figures)
{
    // As Debian's packaged configuration has it: blob descriptors cached in memory.
    RegistryOptions options;
    options.storageExtra = QStringLiteral("cache:\n  blobdescriptor: inmemory\n");
    options.parentDirectory = storage.parent;
    RegistryFixture registry(options);
    QString error;
    if (!registry.start(&error)) {
        out << "bench: cannot start registry: " << error << Qt::endl;
        return 1;
    }
    const QString host = registry.host();

    // --- images: 3 x 4 MiB old base, 1 x 4 MiB new base, 2 x 1 MiB app layers ---------------------
    ImageFactory factory;
    constexpr qsizetype MiB = 1024 * 1024;
    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/base1/a.bin"), randomBytes(4 * MiB, 1)}}, QStringLiteral("COPY a.bin"));
    base1.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    base1.addLayer({{QStringLiteral("/base1/b.bin"), randomBytes(4 * MiB, 2)}}, QStringLiteral("COPY b.bin"));
    base1.addLayer({{QStringLiteral("/base1/c.bin"), randomBytes(4 * MiB, 3)}}, QStringLiteral("COPY c.bin"));
    base1.addCmd({QStringLiteral("/bin/sh")});
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/base2/a.bin"), randomBytes(4 * MiB, 4)}}, QStringLiteral("COPY a.bin"));
    base2.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/x.bin"), randomBytes(MiB, 5)}}, QStringLiteral("COPY x.bin"));
    app.addLayer({{QStringLiteral("/app/y.bin"), randomBytes(MiB, 6)}}, QStringLiteral("COPY y.bin"));
    app.addEntrypoint({QStringLiteral("/app/x.bin")});
    for (const auto &[tag, spec, target] : {std::tuple{QStringLiteral("base1"), base1, QStringLiteral("/bench/base:1")},
                                            std::tuple{QStringLiteral("base2"), base2, QStringLiteral("/bench/base:2")},
                                            std::tuple{QStringLiteral("app"), app, QStringLiteral("/bench/app:1")}}) {
        auto pushed = factory.buildAndPush(tag, spec, host + target);
        if (!pushed) {
            out << "bench: seeding failed: " << pushed.error().toString() << Qt::endl;
            return 1;
        }
    }
    QStringList configDigests;
    for (const QString &tag : {QStringLiteral("base1"), QStringLiteral("base2"), QStringLiteral("app")})
        configDigests << factory.image(tag)->configDigest;

    auto ref = [&host](const QString &name) { return Image::Reference::parse(host + name).value(); };
    Rebase::RebaseRequest request;
    request.source = ref(QStringLiteral("/bench/app:1"));
    request.oldBase = ref(QStringLiteral("/bench/base:1"));
    request.newBase = ref(QStringLiteral("/bench/base:2"));

    out << "Restack benchmark: same-registry rebase on " << host << " (docker-registry 2.8, loopback), storage in "
        << storage.parent << " (" << storage.fileSystem
        << (storage.fileSystem == QLatin1String("tmpfs") ? ": in memory, fsync costs nothing" : ": registry writes wait for fsync")
        << ")\n"
        << "  source bench/app:1 = 3 x 4 MiB base layers + 2 x 1 MiB app layers; new base bench/base:2 = 1 x 4 MiB\n\n";

    // --- in-process rebases, each with a fresh client (no warm token or scheme cache) -------------
    QList<double> inProcess;
    Registry::Stats firstStats;
    QMap<QString, int> logKinds;
    const Bench::CpuMeter inProcessMeter(registry, false);
    for (int round = 0; round < Rounds; ++round) {
        request.target = ref(QStringLiteral("/bench/app:rebased-%1").arg(round));
        registry.markAccessLog();
        Registry::Stats stats;
        double ms = 0;
        auto result = rebaseInProcess(request, &stats, &ms);
        if (!result.ok()) {
            out << "bench: rebase failed: " << result.error().toString() << Qt::endl;
            return 1;
        }
        inProcess << ms;
        if (round == 0) {
            firstStats = stats;
            // The access log line is written after the response: wait for the manifest PUT.
            registry.waitForAccessLog([](const AccessLogEntry &e) {
                return e.method == QLatin1String("PUT") && e.path.contains(QLatin1String("/manifests/"));
            });
            for (const AccessLogEntry &e : registry.accessLogSinceMark())
                logKinds[kindOf(e, configDigests)] += 1;
        }
    }

    // The rounds include the access-log waits of round 0 (a few file reads): negligible.
    const Bench::CpuMeter::Split inProcessCpu = inProcessMeter.perRun(Rounds);

    out << "Requests of one rebase (restack's count | registry access log):\n";
    QMap<QString, int> ours = firstStats.requestsByKind;
    for (auto it = ours.cbegin(); it != ours.cend(); ++it)
        out << "  restack  " << qSetFieldWidth(18) << Qt::left << it.key() << qSetFieldWidth(0) << it.value() << '\n';
    int logTotal = 0;
    int layerGets = 0;
    for (auto it = logKinds.cbegin(); it != logKinds.cend(); ++it) {
        out << "  registry " << qSetFieldWidth(18) << Qt::left << it.key() << qSetFieldWidth(0) << it.value() << '\n';
        logTotal += it.value();
        if (it.key().startsWith(QLatin1String("LAYER blob GET")))
            layerGets += it.value();
    }
    out << "  total: restack " << firstStats.totalRequests() << ", registry " << logTotal << '\n';
    out << "Bytes: received " << firstStats.bytesReceived << ", sent " << firstStats.bytesSent
        << "; layer bytes moved: received " << firstStats.layerBytesReceived << ", sent " << firstStats.layerBytesSent
        << "; layer blob GETs in the access log: " << layerGets << "\n\n";

    // --- the CLI, as a user runs it -------------------------------------------------------------------
    QList<double> cli;
    const Bench::CpuMeter cliMeter(registry, true);
    for (int round = 0; round < Rounds; ++round) {
        bool ok = false;
        cli << timeProcess(QStringLiteral(RESTACK_BINARY),
                           {QStringLiteral("rebase"), request.source.toString(), QStringLiteral("--base"),
                            request.newBase.toString(), QStringLiteral("--old-base"), request.oldBase->toString(),
                            QStringLiteral("--tag"), host + QStringLiteral("/bench/app:cli-%1").arg(round), QStringLiteral("-q")},
                           &ok);
        if (!ok)
            return 1;
    }

    const Bench::CpuMeter::Split cliCpu = cliMeter.perRun(Rounds);

    // --- skopeo reading the same three images' manifests and configs ---------------------------------
    QList<double> skopeo;
    const Bench::CpuMeter skopeoMeter(registry, true);
    for (int round = 0; round < Rounds; ++round) {
        double total = 0;
        for (const QString &image : {request.source.toString(), request.oldBase->toString(), request.newBase.toString()}) {
            bool ok = false;
            total += timeProcess(QStringLiteral("skopeo"),
                                 {QStringLiteral("--insecure-policy"), QStringLiteral("inspect"), QStringLiteral("--config"),
                                  QStringLiteral("--raw"), QStringLiteral("--tls-verify=false"), QStringLiteral("docker://") + image},
                                 &ok);
            if (!ok)
                return 1;
        }
        skopeo << total;
    }

    const Bench::CpuMeter::Split skopeoCpu = skopeoMeter.perRun(Rounds); // the three processes of a round

    const double inMedian = median(inProcess);
    const double cliMedian = median(cli);
    const double skopeoMedian = median(skopeo);
    out << "Wall time, median of " << Rounds << " (ms):\n";
    out << "  restack rebase, in process (fresh client)       " << QString::number(inMedian, 'f', 1) << '\n';
    out << "  restack rebase, CLI process                     " << QString::number(cliMedian, 'f', 1) << '\n';
    out << "  skopeo inspect --config --raw x 3 (metadata)    " << QString::number(skopeoMedian, 'f', 1) << '\n';
    out << "  ratio CLI / skopeo metadata read                " << QString::number(cliMedian / skopeoMedian, 'f', 2)
        << "  (target <= 0.50)\n";
    out << "  ratio in process / skopeo metadata read         " << QString::number(inMedian / skopeoMedian, 'f', 2) << "\n\n";

    // Where the time goes: the floor no schedule of the round trips can beat (CpuMeter::Split).
    out << "CPU time per operation, mean of " << Rounds << " (ms; the registry's from /proc, 10 ms ticks):\n";
    out << "                                        client  registry  (client+registry)/" << QThread::idealThreadCount()
        << " cores\n";
    auto cpuRow = [&](const char *label, const Bench::CpuMeter::Split &c) {
        out << "  " << qSetFieldWidth(38) << Qt::left << label << qSetFieldWidth(8) << Qt::right
            << QString::number(c.client, 'f', 1) << qSetFieldWidth(10) << QString::number(c.registry, 'f', 1)
            << qSetFieldWidth(0) << "  " << QString::number(c.floorMs(), 'f', 1) << '\n';
    };
    cpuRow("restack rebase, in process", inProcessCpu);
    cpuRow("restack rebase, CLI process", cliCpu);
    cpuRow("skopeo inspect --config --raw x 3", skopeoCpu);
    out << "  registry CPU per request of the rebase: "
        << QString::number(cliCpu.registry / qMax(1, firstStats.totalRequests()), 'f', 2) << " ms\n\n";

    const int manifestGets = logKinds.value(QStringLiteral("manifest GET"));
    const int configGets = logKinds.value(QStringLiteral("config blob GET"));
    const int heads = logKinds.value(QStringLiteral("LAYER blob HEAD")) + logKinds.value(QStringLiteral("config blob HEAD"));
    out << "Targets:\n";
    out << "  0 layer bytes moved ............................ "
        << (firstStats.layerBytesReceived == 0 && layerGets == 0 ? "met" : "MISSED") << '\n';
    out << "  <= 3 manifest + 3 config reads ................. " << manifestGets << " + " << configGets << ' '
        << (manifestGets <= 3 && configGets <= 3 ? "met" : "MISSED") << '\n';
    out << "  one HEAD per blob (+ mount where missing) ...... " << heads << " HEAD, "
        << logKinds.value(QStringLiteral("blob mount POST")) << " mount\n";
    out << "  wall time <= half of skopeo's metadata read ..... "
        << (cliMedian <= 0.5 * skopeoMedian ? "met" : "MISSED") << "\n\n";
    out.flush();
    *figures = {storage, inMedian, cliMedian, skopeoMedian};
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QList<Figures> all;
    for (const Storage &storage : storages()) {
        Figures figures;
        if (const int failed = measure(storage, &figures))
            return failed;
        all << figures;
    }
    out << "Summary, medians of " << Rounds << " (ms):\n"
        << "  registry storage              in process   CLI   skopeo x 3   CLI / skopeo   in process / skopeo\n";
    for (const Figures &f : std::as_const(all)) {
        out << "  " << qSetFieldWidth(28) << Qt::left << f.storage.fileSystem + QStringLiteral(" (") + f.storage.parent + QLatin1Char(')')
            << qSetFieldWidth(12) << Qt::right << QString::number(f.inProcess, 'f', 1) << qSetFieldWidth(6)
            << QString::number(f.cli, 'f', 1) << qSetFieldWidth(13) << QString::number(f.skopeo, 'f', 1)
            << qSetFieldWidth(15) << QString::number(f.cli / f.skopeo, 'f', 2) << qSetFieldWidth(22)
            << QString::number(f.inProcess / f.skopeo, 'f', 2) << qSetFieldWidth(0) << "   CLI "
            << (f.cli <= 0.5 * f.skopeo ? "met" : "MISSED") << '\n';
    }
    out.flush();
    return 0;
}
