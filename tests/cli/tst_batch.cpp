// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Batch rebases through the CLI against a real docker-registry: every tag of a repository matching
// a pattern (the "apply the patch to every tag" case), sources from a file, a failing source among
// good ones, and 200 rebases in one run (run under AddressSanitizer in CI: the process must exit
// clean, so no leak either).

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "rawpusher.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

class BatchTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyMatchingTag();
    void sourcesFromFileWithAFailure();
    void targetPatternNeedsTag();
    void oneSourceWithPatternAndDuplicates();
    void targetsAreListedNotHeaded();
    void twoHundredRebases();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    /** Tags the app's manifest (same bytes) as REPO:TAG for each tag. */
    void tagApp(const QString &repository, const QStringList &tags);
    /** The digest a rebase of the app onto base 2 gives (from a dry run). */
    QString expectedDigest(const QString &targetRepository);

    RegistryFixture m_registry;
    ImageFactory m_factory;
    std::unique_ptr<RawPusher> m_pusher;
    QByteArray m_appManifest;
};

void BatchTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_pusher = std::make_unique<RawPusher>(m_registry.host());
    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("Demo OS 1.0\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("Demo OS 2.0 (security update)\n")}},
                   QStringLiteral("COPY os-release /etc/"));
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\necho app\n")}}, QStringLiteral("COPY run /app/"));
    for (const auto &[tag, spec, target] : {std::tuple<QString, ImageSpec, QString>{QStringLiteral("base1"), base1, QStringLiteral("lib/base:1")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("base2"), base2, QStringLiteral("lib/base:2")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("app"), app, QStringLiteral("batch/app:seed")}}) {
        const auto pushed = m_factory.buildAndPush(tag, spec, ref(target));
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
    m_appManifest = m_factory.image(QStringLiteral("app"))->manifest;
}

void BatchTest::tagApp(const QString &repository, const QStringList &tags)
{
    // skopeo puts the app's blobs into the repository; further tags are just the manifest again.
    const auto pushed = m_factory.push(QStringLiteral("app"), ref(repository + QStringLiteral(":seed")));
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    for (const QString &tag : tags) {
        const auto pushed = m_pusher->pushManifest(repository, tag, m_appManifest,
                                                   QStringLiteral("application/vnd.oci.image.manifest.v1+json"));
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
}

QString BatchTest::expectedDigest(const QString &targetRepository)
{
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("batch/app:seed")), QStringLiteral("-b"),
                                   ref(QStringLiteral("lib/base:2")), QStringLiteral("--old-base"), ref(QStringLiteral("lib/base:1")),
                                   QStringLiteral("-t"), ref(targetRepository + QStringLiteral(":probe")), QStringLiteral("--dry-run"),
                                   QStringLiteral("-q")});
    if (!run.exited || run.exitCode != 0)
        return QString();
    return reportedDigest(run.standardOutput, QStringLiteral("Would push"), ref(targetRepository + QStringLiteral(":probe")));
}

void BatchTest::everyMatchingTag()
{
    QStringList tags;
    for (int i = 0; i < 12; ++i)
        tags << QStringLiteral("1.%1").arg(i);
    tagApp(QStringLiteral("batch/app"), tags + QStringList{QStringLiteral("2.0")});
    const QString expected = expectedDigest(QStringLiteral("batch/app"));
    QVERIFY(!expected.isEmpty());

    const QStringList arguments = batchArguments(ref(QStringLiteral("batch/app")), QStringLiteral("^1\\."),
                                                 ref(QStringLiteral("lib/base:2")), ref(QStringLiteral("lib/base:1")),
                                                 QStringLiteral("{registry}/{repository}:{tag}-patched"),
                                                 {QStringLiteral("-j"), QStringLiteral("3")});
    const CliRun run = runRestack(arguments);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("succeeded")).toInt(), 12);
    QCOMPARE(report.value(QLatin1String("failed")).toInt(), 0);
    QStringList targets;
    for (const QJsonValue &v : report.value(QLatin1String("results")).toArray()) {
        const QJsonObject r = v.toObject();
        QCOMPARE(r.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(r.value(QLatin1String("digest")).toString(), expected);
        targets << r.value(QLatin1String("target")).toString();
    }
    QStringList wanted;
    for (const QString &tag : std::as_const(tags))
        wanted << ref(QStringLiteral("batch/app:%1-patched").arg(tag));
    targets.sort();
    wanted.sort();
    QCOMPARE(targets, wanted);

    // Independently: every target holds the rebased manifest; 2.0 (not matching) was left alone.
    ImageVerifier verifier;
    for (const QString &target : std::as_const(wanted)) {
        const auto raw = verifier.rawManifest(target);
        QVERIFY2(raw.ok(), qPrintable(target));
        QCOMPARE(sha256Digest(*raw), expected);
    }
    QVERIFY(!verifier.rawManifest(ref(QStringLiteral("batch/app:2.0-patched"))).ok());
    const auto full = verifier.verifyAndUnpack(wanted.first());
    QVERIFY2(full.ok(), qPrintable(full.ok() ? QString() : full.error().toString()));
    QCOMPARE(full->fileContents(QStringLiteral("/etc/os-release")), QByteArrayLiteral("Demo OS 2.0 (security update)\n"));

    // Running the same batch again does not rebase the results (1.0-patched matches ^1\. too).
    const CliRun again = runRestack(arguments);
    RESTACK_VERIFY_OR_DUMP(again.exited && again.exitCode == 0, again.describe());
    QCOMPARE(QJsonDocument::fromJson(again.standardOutput.toUtf8()).object().value(QLatin1String("succeeded")).toInt(), 12);
    QVERIFY(!verifier.rawManifest(ref(QStringLiteral("batch/app:1.0-patched-patched"))).ok());
}

void BatchTest::sourcesFromFileWithAFailure()
{
    tagApp(QStringLiteral("file/app"), {QStringLiteral("a"), QStringLiteral("b")});
    QTemporaryDir dir;
    const QString list = dir.filePath(QStringLiteral("images.txt"));
    QVERIFY(writeFile(list, QStringLiteral("# images to patch\n%1\n\n%2   # the second\n%3\n")
                                .arg(ref(QStringLiteral("file/app:a")), ref(QStringLiteral("file/app:b")),
                                     ref(QStringLiteral("file/app:missing")))
                                .toUtf8())
                .ok());
    const CliRun run = runRestack({QStringLiteral("rebase"), QStringLiteral("--from-file"), list, QStringLiteral("-b"),
                                   ref(QStringLiteral("lib/base:2")), QStringLiteral("--old-base"), ref(QStringLiteral("lib/base:1")),
                                   QStringLiteral("-t"), QStringLiteral("{registry}/{repository}:{tag}-new"), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe()); // one failed
    const QStringList lines = run.outputLines();
    RESTACK_VERIFY_OR_DUMP(lines.size() == 5, run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.at(0).startsWith(QStringLiteral("OK      %1 -> %2@sha256:").arg(ref(QStringLiteral("file/app:a")),
                                                                                                ref(QStringLiteral("file/app:a-new")))),
                           run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.at(1).startsWith(QStringLiteral("OK      ") + ref(QStringLiteral("file/app:b"))), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.at(2).startsWith(QStringLiteral("FAILED  ") + ref(QStringLiteral("file/app:missing"))), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.at(2).contains(QLatin1String("MANIFEST_UNKNOWN")), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.at(4) == QLatin1String("2 images rebased, 1 failed."), run.describe());
    ImageVerifier verifier;
    QVERIFY(verifier.rawManifest(ref(QStringLiteral("file/app:a-new"))).ok());
    QVERIFY(verifier.rawManifest(ref(QStringLiteral("file/app:b-new"))).ok());
    QVERIFY(!verifier.rawManifest(ref(QStringLiteral("file/app:missing-new"))).ok());
}

void BatchTest::targetPatternNeedsTag()
{
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("file/app:a")), ref(QStringLiteral("file/app:b")),
                                   QStringLiteral("-b"), ref(QStringLiteral("lib/base:2")), QStringLiteral("-t"),
                                   ref(QStringLiteral("file/app:same"))});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 2, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("must contain {tag}")), run.describe());
}

// The batch's target pattern works for one source as well (a CI script with one or many images), and a
// source named twice is rebased once: here the two names make one source, so one plain rebase runs.
void BatchTest::oneSourceWithPatternAndDuplicates()
{
    tagApp(QStringLiteral("dup/app"), {QStringLiteral("a")});
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("dup/app:a")), ref(QStringLiteral("dup/app:a")),
                                   QStringLiteral("-b"), ref(QStringLiteral("lib/base:2")), QStringLiteral("--old-base"),
                                   ref(QStringLiteral("lib/base:1")), QStringLiteral("-t"),
                                   QStringLiteral("{registry}/{repository}:{tag}-once"), QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("is listed more than once: rebased once")), run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("target")).toString(), ref(QStringLiteral("dup/app:a-once")));
    ImageVerifier verifier;
    QVERIFY(verifier.rawManifest(ref(QStringLiteral("dup/app:a-once"))).ok());
}

// The target repository's tag list is read once: targets missing from it need no HEAD each, and a
// target that exists is still asked, so that an index there is not replaced by accident.
void BatchTest::targetsAreListedNotHeaded()
{
    tagApp(QStringLiteral("batch/listed"), {QStringLiteral("t1"), QStringLiteral("t2"), QStringLiteral("t3")});
    tagApp(QStringLiteral("batch/out"), {});
    const QByteArray index = ociIndexOf(m_appManifest);
    const auto pushed = m_pusher->pushManifest(QStringLiteral("batch/out"), QStringLiteral("t2"), index,
                                               QStringLiteral("application/vnd.oci.image.index.v1+json"));
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));

    m_registry.markAccessLog();
    const CliRun run = runRestack(batchArguments(ref(QStringLiteral("batch/listed")), QStringLiteral("^t[0-9]$"),
                                                 ref(QStringLiteral("lib/base:2")), ref(QStringLiteral("lib/base:1")),
                                                 ref(QStringLiteral("batch/out:{tag}"))));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("succeeded")).toInt(), 2);
    QCOMPARE(report.value(QLatin1String("failed")).toInt(), 1);
    for (const QJsonValue &v : report.value(QLatin1String("results")).toArray()) {
        const QJsonObject r = v.toObject();
        const bool indexTarget = r.value(QLatin1String("target")).toString() == ref(QStringLiteral("batch/out:t2"));
        QCOMPARE(r.value(QLatin1String("status")).toString(), indexTarget ? QStringLiteral("failed") : QStringLiteral("ok"));
        if (indexTarget)
            QVERIFY2(r.value(QLatin1String("error")).toString().contains(QLatin1String("multi-platform index")),
                     qPrintable(r.value(QLatin1String("error")).toString()));
    }
    ImageVerifier verifier;
    const auto kept = verifier.rawManifest(ref(QStringLiteral("batch/out:t2")));
    QVERIFY(kept.ok());
    QCOMPARE(*kept, index);

    QVERIFY(syncAccessLog(m_registry));
    QStringList heads;
    int listings = 0;
    for (const AccessLogEntry &e : requestsSinceMark(m_registry)) {
        if (e.method == QLatin1String("HEAD") && e.path.startsWith(QLatin1String("/v2/batch/out/manifests/")))
            heads << e.path;
        if (e.method == QLatin1String("GET") && e.path == QLatin1String("/v2/batch/out/tags/list"))
            ++listings;
    }
    QCOMPARE(heads, QStringList{QStringLiteral("/v2/batch/out/manifests/t2")});
    QCOMPARE(listings, 1);
}

void BatchTest::twoHundredRebases()
{
    QStringList tags;
    for (int i = 0; i < 200; ++i)
        tags << QStringLiteral("v%1").arg(i, 3, 10, QLatin1Char('0'));
    tagApp(QStringLiteral("load/app"), tags);
    const QString expected = expectedDigest(QStringLiteral("load/app"));
    QVERIFY(!expected.isEmpty());
    m_registry.markAccessLog();
    const CliRun run = runRestack(batchArguments(ref(QStringLiteral("load/app")), QStringLiteral("^v[0-9]+$"),
                                                 ref(QStringLiteral("lib/base:2")), ref(QStringLiteral("lib/base:1")),
                                                 QStringLiteral("{registry}/{repository}:{tag}-patched"),
                                                 {QStringLiteral("-j"), QStringLiteral("8")}),
                                  240000);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("succeeded")).toInt(), 200);
    for (const QJsonValue &v : report.value(QLatin1String("results")).toArray())
        QCOMPARE(v.toObject().value(QLatin1String("digest")).toString(), expected);
    // The tags the registry now has: 200 results, all the same manifest.
    QVERIFY(syncAccessLog(m_registry));
    int puts = 0;
    for (const AccessLogEntry &e : requestsSinceMark(m_registry)) {
        if (e.method == QLatin1String("PUT") && e.path.startsWith(QLatin1String("/v2/load/app/manifests/v")))
            ++puts;
    }
    QCOMPARE(puts, 200);
}

QTEST_GUILESS_MAIN(BatchTest)
#include "tst_batch.moc"
