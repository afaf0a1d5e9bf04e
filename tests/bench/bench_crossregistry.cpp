// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Benchmark of a cross-registry rebase that must copy the new base (prints figures; asserts nothing about
// time or memory).
//
// Registry A holds the new base, one 256 MiB layer of incompressible data; registry B holds the old base
// and the app (small layers). `restack rebase B/app:1 --base A/base:2 --old-base B/base:1 --tag
// B/app:1-base2` must stream the 256 MiB layer from A to B. Beside it, `skopeo copy` of A/base:2 to B moves
// the same blobs. Each run gets a fresh registry B, so that nothing is already there. Reports wall time,
// throughput and peak resident set size (/usr/bin/time) of both (target: restack's peak RSS under 100 MiB,
// independent of the layer size). RESTACK_BENCH_LAYER_MIB (default 256) and RESTACK_BENCH_ROUNDS (default 2)
// change the layer size and the number of runs; RESTACK_BENCH_WRAPPER prefixes the restack command line.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcessEnvironment>

#include <memory>

#include "benchsupport.h"
#include "imagefactory.h"
#include "registryfixture.h"

using namespace Restack;
using namespace Restack::Bench;
using namespace Restack::Test;

namespace
{

constexpr qsizetype MiB = 1024 * 1024;

struct Figures
{
    QList<double> wallMs;
    QList<double> maxRssMiB;
};

QString summary(const Figures &f, qint64 bytes)
{
    const double t = median(f.wallMs);
    return QStringLiteral("%1 ms, %2 MiB/s, peak RSS %3 MiB (runs: %4 ms; %5 MiB)")
        .arg(ms(t), QString::number(bytes / double(MiB) / (t / 1000), 'f', 1), QString::number(median(f.maxRssMiB), 'f', 1),
             [&] {
                 QStringList s;
                 for (double v : f.wallMs)
                     s << ms(v);
                 return s.join(QStringLiteral(", "));
             }(),
             [&] {
                 QStringList s;
                 for (double v : f.maxRssMiB)
                     s << QString::number(v, 'f', 1);
                 return s.join(QStringLiteral(", "));
             }());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const qsizetype layerMiB = qEnvironmentVariableIntValue("RESTACK_BENCH_LAYER_MIB") > 0
                                   ? qEnvironmentVariableIntValue("RESTACK_BENCH_LAYER_MIB")
                                   : 256;
    const int rounds = qEnvironmentVariableIntValue("RESTACK_BENCH_ROUNDS") > 0 ? qEnvironmentVariableIntValue("RESTACK_BENCH_ROUNDS")
                                                                               : 2;
    auto registryA = startRegistry();
    if (!registryA)
        return 1;

    // --- images --------------------------------------------------------------------------------------------------
    QElapsedTimer seeding;
    seeding.start();
    ImageFactory factory;
    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/base1/a.bin"), randomBytes(MiB, 1)}}, QStringLiteral("COPY a.bin"));
    base1.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/base2/big.bin"), randomBytes(layerMiB * MiB, 2)}}, QStringLiteral("COPY big.bin"));
    base2.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/x.bin"), randomBytes(MiB, 3)}}, QStringLiteral("COPY x.bin"));
    app.addEntrypoint({QStringLiteral("/app/x.bin")});
    for (const auto &[tag, spec] : {std::pair{QStringLiteral("base1"), base1}, std::pair{QStringLiteral("base2"), base2},
                                    std::pair{QStringLiteral("app"), app}}) {
        auto built = factory.build(tag, spec);
        if (!built) {
            out() << "bench: building " << tag << " failed: " << built.error().toString() << Qt::endl;
            return 1;
        }
    }
    if (auto pushed = factory.push(QStringLiteral("base2"), registryA->host() + QStringLiteral("/bench/base:2")); !pushed) {
        out() << "bench: pushing the new base failed: " << pushed.error().toString() << Qt::endl;
        return 1;
    }
    const BuiltImage newBase = factory.image(QStringLiteral("base2")).value();
    qint64 newBaseBytes = newBase.config.size();
    for (const qint64 size : newBase.layerSizes)
        newBaseBytes += size;
    const double seedSeconds = seeding.elapsed() / 1000.0;

    out() << "Restack benchmark: cross-registry rebase copying the new base (docker-registry 2.8 x 2, loopback)\n"
          << "  new base A/bench/base:2 = 1 layer of " << layerMiB << " MiB incompressible data ("
          << newBase.layerSizes.value(0) << " bytes gzipped); B/bench/app:1 on B/bench/base:1 (1 MiB layers)\n"
          << "  seeding took " << QString::number(seedSeconds, 'f', 1) << " s; " << rounds << " runs each, a fresh registry B per run\n\n";

    Figures restack;
    Figures skopeo;
    for (int round = 0; round < rounds; ++round) {
        // restack
        {
            auto registryB = startRegistry();
            if (!registryB)
                return 1;
            const QString b = registryB->host();
            if (!factory.push(QStringLiteral("base1"), b + QStringLiteral("/bench/base:1"))
                || !factory.push(QStringLiteral("app"), b + QStringLiteral("/bench/app:1"))) {
                out() << "bench: seeding registry B failed" << Qt::endl;
                return 1;
            }
            // RESTACK_BENCH_WRAPPER (e.g. "heaptrack -o /tmp/restack") runs restack under a profiler.
            QStringList command = qEnvironmentVariable("RESTACK_BENCH_WRAPPER").split(QLatin1Char(' '), Qt::SkipEmptyParts);
            command << QStringLiteral(RESTACK_BINARY) << QStringLiteral("rebase") << b + QStringLiteral("/bench/app:1")
                    << QStringLiteral("--base") << registryA->host() + QStringLiteral("/bench/base:2") << QStringLiteral("--old-base")
                    << b + QStringLiteral("/bench/base:1") << QStringLiteral("--tag") << b + QStringLiteral("/bench/app:1-base2")
                    << QStringLiteral("-q");
            const ProcessRun run = runProcess(command.takeFirst(), command, true);
            if (!run.ok)
                return 1;
            restack.wallMs << run.wallMs;
            restack.maxRssMiB << run.maxRssKiB / 1024.0;
            if (round == 0) {
                // Check the copy really happened: the layer's blob in B now.
                const QString digest = newBase.layerDigests.value(0);
                const ProcessRun check = runProcess(
                    QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--tls-verify=false"), QStringLiteral("--raw"),
                                               QStringLiteral("docker://") + b + QStringLiteral("/bench/app:1-base2")});
                if (!check.ok || !check.standardOutput.contains(digest.toUtf8())) {
                    out() << "bench: the rebased image does not reference the new base's layer" << Qt::endl;
                    return 1;
                }
            }
        }
        // skopeo copy of the same blobs (the new base's config and layer)
        {
            auto registryB = startRegistry();
            if (!registryB)
                return 1;
            const ProcessRun run = runProcess(QStringLiteral("skopeo"),
                                              {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--src-tls-verify=false"),
                                               QStringLiteral("--dest-tls-verify=false"), QStringLiteral("-q"),
                                               QStringLiteral("docker://") + registryA->host() + QStringLiteral("/bench/base:2"),
                                               QStringLiteral("docker://") + registryB->host() + QStringLiteral("/bench/base:2")},
                                              true);
            if (!run.ok)
                return 1;
            skopeo.wallMs << run.wallMs;
            skopeo.maxRssMiB << run.maxRssKiB / 1024.0;
        }
    }

    out() << "Copy of " << newBaseBytes << " bytes (median of " << rounds << "):\n";
    out() << "  restack rebase (cross-registry)  " << summary(restack, newBaseBytes) << '\n';
    out() << "  skopeo copy (same blobs)         " << summary(skopeo, newBaseBytes) << '\n';
    const double ratio = median(restack.wallMs) / median(skopeo.wallMs);
    out() << "  ratio restack / skopeo wall time " << QString::number(ratio, 'f', 2) << '\n';
    out() << "\nTargets:\n";
    const double rss = median(restack.maxRssMiB);
    out() << "  restack peak RSS under 100 MiB with a " << layerMiB << " MiB layer ... " << QString::number(rss, 'f', 1) << " MiB "
          << (rss < 0 ? "unknown (install the package time)" : rss < 100 ? "met" : "MISSED") << '\n';
    out().flush();
    return 0;
}
