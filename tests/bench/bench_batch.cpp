// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Benchmark of a 100-tag batch rebase through the CLI (prints figures; asserts nothing about time).
//
// Seeds a real docker-registry with a 3-layer base, a 1-layer new base and an app on the old base, then
// 100 tags of the app (1.0.0 ... 1.0.99), each its own image: the same layers under a config with its own
// label, as a CI pipeline's builds are. Reports, from the registry's access log and the wall clock, one
// `restack rebase` of one tag beside `restack rebase REPOSITORY --tags '^1\.0\.'` of all 100: requests by
// kind, wall time and the ratio (target: the batch below 10x one rebase).

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include "benchsupport.h"
#include "imagefactory.h"
#include "rawpusher.h"
#include "registryfixture.h"

using namespace Restack;
using namespace Restack::Bench;
using namespace Restack::Test;

namespace
{

constexpr int Tags = 100;
constexpr int Rounds = 3;

bool isManifestPut(const AccessLogEntry &e)
{
    return e.method == QLatin1String("PUT") && e.path.contains(QLatin1String("/manifests/"));
}

void printKinds(const QMap<QString, int> &kinds, int perTagDivisor)
{
    int total = 0;
    for (auto it = kinds.cbegin(); it != kinds.cend(); ++it) {
        out() << "    " << qSetFieldWidth(20) << Qt::left << it.key() << qSetFieldWidth(0) << it.value();
        if (perTagDivisor > 1)
            out() << "  (" << QString::number(double(it.value()) / perTagDivisor, 'f', 2) << " per tag)";
        out() << '\n';
        total += it.value();
    }
    out() << "    total               " << total;
    if (perTagDivisor > 1)
        out() << "  (" << QString::number(double(total) / perTagDivisor, 'f', 2) << " per tag)";
    out() << '\n';
}

int total(const QMap<QString, int> &kinds)
{
    int sum = 0;
    for (const int n : kinds)
        sum += n;
    return sum;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const auto started = startRegistry();
    if (!started)
        return 1;
    RegistryFixture &registry = *started;
    const QString host = registry.host();

    // --- images: old base 3 x 256 KiB, new base 1 x 256 KiB, app 2 x 64 KiB ---------------------------------
    ImageFactory factory;
    constexpr qsizetype KiB = 1024;
    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/base1/a.bin"), randomBytes(256 * KiB, 1)}}, QStringLiteral("COPY a.bin"));
    base1.addLayer({{QStringLiteral("/base1/b.bin"), randomBytes(256 * KiB, 2)}}, QStringLiteral("COPY b.bin"));
    base1.addLayer({{QStringLiteral("/base1/c.bin"), randomBytes(256 * KiB, 3)}}, QStringLiteral("COPY c.bin"));
    base1.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/base2/a.bin"), randomBytes(256 * KiB, 4)}}, QStringLiteral("COPY a.bin"));
    base2.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/x.bin"), randomBytes(64 * KiB, 5)}}, QStringLiteral("COPY x.bin"));
    app.addLayer({{QStringLiteral("/app/y.bin"), randomBytes(64 * KiB, 6)}}, QStringLiteral("COPY y.bin"));
    app.addEntrypoint({QStringLiteral("/app/x.bin")});
    for (const auto &[tag, spec, target] : {std::tuple{QStringLiteral("base1"), base1, QStringLiteral("/bench/base:1")},
                                            std::tuple{QStringLiteral("base2"), base2, QStringLiteral("/bench/base:2")},
                                            std::tuple{QStringLiteral("app"), app, QStringLiteral("/bench/app:seed")}}) {
        auto pushed = factory.buildAndPush(tag, spec, host + target);
        if (!pushed) {
            out() << "bench: seeding failed: " << pushed.error().toString() << Qt::endl;
            return 1;
        }
    }

    // --- 100 tags, each its own config (a build label) over the app's layers ----------------------------------
    const BuiltImage built = factory.image(QStringLiteral("app")).value();
    RawPusher pusher(host);
    const QJsonObject manifest = QJsonDocument::fromJson(built.manifest).object();
    for (int i = 0; i < Tags; ++i) {
        QJsonObject config = built.configJson;
        QJsonObject inner = config.value(QStringLiteral("config")).toObject();
        QJsonObject labels = inner.value(QStringLiteral("Labels")).toObject();
        labels.insert(QStringLiteral("org.example.build"), QString::number(i));
        inner.insert(QStringLiteral("Labels"), labels);
        config.insert(QStringLiteral("config"), inner);
        const QByteArray configBytes = RawPusher::json(config);
        auto configDigest = pusher.pushBlob(QStringLiteral("bench/app"), configBytes);
        QJsonObject m = manifest;
        QJsonObject descriptor = m.value(QStringLiteral("config")).toObject();
        descriptor.insert(QStringLiteral("digest"), configDigest.value());
        descriptor.insert(QStringLiteral("size"), configBytes.size());
        m.insert(QStringLiteral("config"), descriptor);
        auto pushed = pusher.pushManifest(QStringLiteral("bench/app"), QStringLiteral("1.0.%1").arg(i), RawPusher::json(m),
                                          m.value(QStringLiteral("mediaType")).toString());
        if (!configDigest || !pushed) {
            out() << "bench: seeding tag " << i << " failed" << Qt::endl;
            return 1;
        }
    }

    out() << "Restack benchmark: batch rebase of " << Tags << " tags on " << host << " (docker-registry 2.8, loopback)\n"
          << "  bench/app:1.0.0 ... 1.0." << Tags - 1 << ": 3 x 256 KiB old base layers + 2 x 64 KiB app layers, "
          << "a config of its own each; new base bench/base:2 = 1 x 256 KiB\n\n";

    const QString binary = QStringLiteral(RESTACK_BINARY);
    const QStringList bases{QStringLiteral("--base"), host + QStringLiteral("/bench/base:2"), QStringLiteral("--old-base"),
                            host + QStringLiteral("/bench/base:1"), QStringLiteral("-q")};

    // --- one tag ---------------------------------------------------------------------------------------------
    QList<double> single;
    QMap<QString, int> singleKinds;
    const CpuMeter singleMeter(registry, true);
    for (int round = 0; round < Rounds + 2; ++round) {
        registry.markAccessLog();
        const ProcessRun run = runProcess(binary, QStringList{QStringLiteral("rebase"), host + QStringLiteral("/bench/app:1.0.0"),
                                                              QStringLiteral("--tag"),
                                                              host + QStringLiteral("/bench/app:single-%1").arg(round)}
                                                      + bases);
        if (!run.ok)
            return 1;
        single << run.wallMs;
        if (round == 0)
            singleKinds = requestKinds(waitForRequests(registry, isManifestPut, 1));
    }
    const CpuMeter::Split singleCpu = singleMeter.perRun(int(single.size()));
    out() << "One tag (restack rebase bench/app:1.0.0), requests (registry access log):\n";
    printKinds(singleKinds, 1);

    // --- the batch -------------------------------------------------------------------------------------------
    struct Batch
    {
        QString label;
        QStringList extra;
        QList<double> times;
        QMap<QString, int> kinds;
        CpuMeter::Split cpu; ///< ms per batch
    };
    QList<Batch> batches{{QStringLiteral("--jobs 4 (default)"), {}, {}, {}, {}},
                         {QStringLiteral("--jobs 8"), {QStringLiteral("--jobs"), QStringLiteral("8")}, {}, {}, {}}};
    int round = 0;
    for (Batch &batch : batches) {
        const CpuMeter meter(registry, true);
        const int runs = &batch == &batches.first() ? Rounds : 1;
        for (int r = 0; r < runs; ++r, ++round) {
            registry.markAccessLog();
            const ProcessRun run = runProcess(
                binary, QStringList{QStringLiteral("rebase"), host + QStringLiteral("/bench/app"), QStringLiteral("--tags"),
                                    QStringLiteral("^1\\.0\\.[0-9]+$"), QStringLiteral("--tag"),
                                    QStringLiteral("{registry}/{repository}:{tag}-batch%1").arg(round)}
                            + bases + batch.extra);
            if (!run.ok)
                return 1;
            batch.times << run.wallMs;
            if (batch.kinds.isEmpty())
                batch.kinds = requestKinds(waitForRequests(registry, isManifestPut, Tags));
        }
        batch.cpu = meter.perRun(runs);
    }
    out() << "\nBatch (restack rebase bench/app --tags '^1\\.0\\.[0-9]+$'), requests (registry access log):\n";
    printKinds(batches.first().kinds, Tags);

    const double one = median(single);
    out() << "\nWall time, median (ms):\n";
    out() << "  one rebase, CLI (" << single.size() << " runs)                  " << ms(one) << '\n';
    for (const Batch &batch : batches) {
        const double t = median(batch.times);
        out() << "  batch of " << Tags << ", " << qSetFieldWidth(20) << Qt::left << batch.label << qSetFieldWidth(0)
              << " (" << batch.times.size() << " runs) " << ms(t) << "   = " << QString::number(t / one, 'f', 2)
              << "x one rebase, " << ms(t / Tags) << " ms per tag\n";
    }
    const double ratio = median(batches.first().times) / one;
    const double requestRatio = double(total(batches.first().kinds)) / total(singleKinds);
    out() << "  requests: batch " << total(batches.first().kinds) << " = " << QString::number(requestRatio, 'f', 1)
          << "x one rebase's " << total(singleKinds) << '\n';
    // The floor no schedule of the requests can beat (CpuMeter::Split::floorMs()).
    out() << "\nCPU time (ms; the registry's from /proc, 10 ms ticks):      restack  registry  (restack+registry)/"
          << QThread::idealThreadCount() << " cores\n";
    out() << "  one rebase                                          " << qSetFieldWidth(8) << Qt::right
          << ms(singleCpu.client) << qSetFieldWidth(10) << ms(singleCpu.registry) << qSetFieldWidth(0) << "  "
          << ms(singleCpu.floorMs()) << '\n';
    for (const Batch &batch : batches)
        out() << "  batch of " << Tags << ", " << qSetFieldWidth(38) << Qt::left << batch.label << qSetFieldWidth(8)
              << Qt::right << ms(batch.cpu.client) << qSetFieldWidth(10) << ms(batch.cpu.registry) << qSetFieldWidth(0)
              << "  " << ms(batch.cpu.floorMs()) << "  = " << QString::number(batch.cpu.floorMs() / one, 'f', 1)
              << "x one rebase's wall time\n";
    out() << "  registry CPU per request: one rebase " << ms(singleCpu.registry / qMax(1, total(singleKinds)))
          << ", batch " << ms(batches.first().cpu.registry / qMax(1, total(batches.first().kinds))) << '\n';
    out() << "\nTargets:\n";
    out() << "  batch of " << Tags << " below 10x one rebase ............ " << QString::number(ratio, 'f', 2) << "x "
          << (ratio < 10 ? "met" : "MISSED") << '\n';
    out().flush();
    return 0;
}
