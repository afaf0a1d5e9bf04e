// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Faults a real registry cannot produce, injected by FaultProxy in front of a real docker-registry:
// 429 with Retry-After, 5xx, connections reset mid-body, stalls, truncated and corrupted bodies,
// missing Docker-Content-Digest, blob GETs redirected to a storage host that rejects Authorization,
// odd upload Locations, opaque pagination tokens. Each transient fault must be survived; persistent
// ones must fail cleanly, leaving the target tag as it was; and under a 20 % fault rate 50 rebases
// out of 50 end correct or fail cleanly, with nothing corrupt ever tagged.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QtTest>

#include <cmath>
#include <csignal>

#include "clitest.h"
#include "faultproxy.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "rawpusher.h"
#include "rebase/operation.h"
#include "registry/client.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

Q_DECLARE_METATYPE(Restack::Test::Fault)

namespace
{

RegistryOptions withPassword()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("bob"), QStringLiteral("hunter2-hunter2"));
    return options;
}

const QString ManifestPath = QStringLiteral("/v2/.+/manifests/.+");
const QString BlobPath = QStringLiteral("/v2/.+/blobs/sha256:[a-f0-9]+");
const QString UploadPath = QStringLiteral("/v2/.+/blobs/uploads/.*");
// Query patterns (FaultRule::queryPattern): any query, a cross-repository mount, none at all.
const QString AnyQuery;
const QString MountQuery = QStringLiteral("mount=.*");
const QString NoQuery = QStringLiteral("(?:)");
} // namespace

class FaultTest : public QObject
{
    Q_OBJECT

public:
    FaultTest()
        : m_private(withPassword())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void transientFaultsAreSurvived_data();
    void transientFaultsAreSurvived();
    void persistentFaultsFailCleanly_data();
    void persistentFaultsFailCleanly();
    void timeoutAndCancelAreReportedDifferently();
    void retriesDoNotMultiply_data();
    void retriesDoNotMultiply();
    void redirectedBlobGetsNoAuthorization();
    void uploadLocationVariants_data();
    void uploadLocationVariants();
    void refusedMountAsksTheTarget();
    void interruptGivesBackTheUploadSession_data();
    void interruptGivesBackTheUploadSession();
    void interruptLetsTheTagPutFinish_data();
    void interruptLetsTheTagPutFinish();
    void interruptedTagPutIsNotRetried_data();
    void interruptedTagPutIsNotRetried();
    void batchTargetListingNotFoundStillHeads();
    void opaquePaginationTokens();
    void fiftyRebasesUnderTwentyPercentFaults();

private:
    QString viaProxy(const QString &path) const { return m_proxy->host() + QLatin1Char('/') + path; }
    /** `restack rebase` of f/app:1 onto f/base:2 through the proxy, with a transfer timeout of @p timeout s. */
    QStringList rebaseArguments(const QString &target, int timeout = 10) const;
    /**
     * What pushes to a tag for @p command: "rebase" is rebaseArguments() to f/app:@p tag,
     * "manifest" is `restack manifest create` of an index of f/app:1 to f/idx:@p tag, both
     * through the proxy with a transfer timeout of @p timeout s. Sets @p repository to the
     * repository written.
     */
    QStringList tagPushArguments(const QString &command, const QString &tag, int timeout, QString *repository) const;
    /** The descriptor of base2's (only) layer, as its manifest has it. */
    Restack::Image::Descriptor base2Layer() const;
    /** The manifest digest at @p path ("REPO:TAG") read directly from the registry; empty when absent. */
    QString directDigest(const QString &path);

    RegistryFixture m_registry;
    RegistryFixture m_private;                 ///< htpasswd: bob
    std::unique_ptr<FaultProxy> m_proxy;       ///< in front of m_registry
    std::unique_ptr<FaultProxy> m_privateProxy; ///< in front of m_private
    ImageFactory m_factory;
    QString m_expected; ///< the digest of app:1 rebased onto base:2 through the proxy
};

void FaultTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY2(m_private.start(&error), qPrintable(error));
    m_proxy = std::make_unique<FaultProxy>(m_registry.host());
    m_privateProxy = std::make_unique<FaultProxy>(m_private.host());
    QVERIFY2(m_proxy->start(&error), qPrintable(error));
    QVERIFY2(m_privateProxy->start(&error), qPrintable(error));
    QVERIFY2(!m_privateProxy->storageHost().isEmpty(), "127.0.0.2 is needed for the storage redirects");

    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("1\n")}}, QStringLiteral("COPY os-release"));
    base1.addLayer({{QStringLiteral("/usr/lib/old.so"), randomBytes(64 * 1024, 1)}}, QStringLiteral("COPY old.so"));
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("2\n")},
                    {QStringLiteral("/usr/lib/new.so"), randomBytes(300 * 1024, 2)}},
                   QStringLiteral("COPY rootfs"));
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/bin"), randomBytes(100 * 1024, 3)}}, QStringLiteral("COPY bin"));
    for (const auto &[tag, spec, target] : {std::tuple<QString, ImageSpec, QString>{QStringLiteral("base1"), base1, QStringLiteral("f/base:1")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("base2"), base2, QStringLiteral("f/base:2")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("app"), app, QStringLiteral("f/app:1")}}) {
        const auto pushed = m_factory.buildAndPush(tag, spec, m_registry.host() + QLatin1Char('/') + target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
    m_factory.setCredentials(QStringLiteral("bob"), QStringLiteral("hunter2-hunter2"));
    QVERIFY(m_factory.push(QStringLiteral("base2"), m_private.host() + QStringLiteral("/p/base:2")).ok());
    m_factory.setCredentials({}, {});

    // Through the proxy without faults: the digest every successful rebase below must give.
    const CliRun dry = runRestack(rebaseArguments(viaProxy(QStringLiteral("f/app:probe"))) + QStringList{QStringLiteral("--dry-run")});
    RESTACK_VERIFY_OR_DUMP(dry.exited && dry.exitCode == 0, dry.describe());
    m_expected = reportedDigest(dry.standardOutput, QStringLiteral("Would push"), viaProxy(QStringLiteral("f/app:probe")));
    QVERIFY(!m_expected.isEmpty());
}

void FaultTest::init()
{
    m_proxy->clearRules();
    m_proxy->clearRequestLog();
    m_privateProxy->clearRules();
    m_privateProxy->clearRequestLog();
}

QStringList FaultTest::rebaseArguments(const QString &target, int timeout) const
{
    return {QStringLiteral("rebase"), viaProxy(QStringLiteral("f/app:1")), QStringLiteral("-b"), viaProxy(QStringLiteral("f/base:2")),
            QStringLiteral("--old-base"), viaProxy(QStringLiteral("f/base:1")), QStringLiteral("-t"), target, QStringLiteral("-q"),
            QStringLiteral("--timeout"), QString::number(timeout)};
}

Restack::Image::Descriptor FaultTest::base2Layer() const
{
    const auto base2 = m_factory.image(QStringLiteral("base2"));
    Restack::Image::Descriptor layer;
    layer.mediaType = Restack::Image::MediaType::OciLayerGzip;
    layer.digest = Restack::Image::Digest::parse(base2->layerDigests.first()).value();
    layer.size = base2->layerSizes.first();
    return layer;
}

QStringList FaultTest::tagPushArguments(const QString &command, const QString &tag, int timeout, QString *repository) const
{
    *repository = command == QLatin1String("rebase") ? QStringLiteral("f/app") : QStringLiteral("f/idx");
    const QString target = viaProxy(*repository + QLatin1Char(':') + tag);
    if (command == QLatin1String("rebase"))
        return rebaseArguments(target, timeout);
    return {QStringLiteral("manifest"), QStringLiteral("create"), target, viaProxy(QStringLiteral("f/app:1")),
            QStringLiteral("--timeout"), QString::number(timeout)};
}

QString FaultTest::directDigest(const QString &path)
{
    RawPusher direct(m_registry.host());
    const auto raw = direct.manifest(path.section(QLatin1Char(':'), 0, 0), path.section(QLatin1Char(':'), 1));
    return raw.ok() ? sha256Digest(*raw) : QString();
}

void FaultTest::transientFaultsAreSurvived_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("firstN");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("timeout"); // seconds: short where the fault is a stall

    QTest::newRow("429 with Retry-After on a manifest GET") << "GET" << ManifestPath << AnyQuery << 1 << Fault::tooManyRequests(1) << 10;
    QTest::newRow("503 on opening the config's upload session") << "POST" << UploadPath << NoQuery << 2 << Fault::serverError(503) << 10;
    QTest::newRow("502 on the mount") << "POST" << UploadPath << MountQuery << 1 << Fault::serverError(502) << 10;
    QTest::newRow("500 on the manifest PUT") << "PUT" << ManifestPath << AnyQuery << 1 << Fault::serverError(500) << 10;
    QTest::newRow("reset mid-body on a config GET") << "GET" << BlobPath << AnyQuery << 1 << Fault::resetMidBody() << 10;
    QTest::newRow("truncated config body") << "GET" << BlobPath << AnyQuery << 2 << Fault::truncateBody() << 10;
    QTest::newRow("corrupted manifest") << "GET" << ManifestPath << AnyQuery << 1 << Fault::corruptBody() << 10;
    QTest::newRow("corrupted config") << "GET" << BlobPath << AnyQuery << 1 << Fault::corruptBody() << 10;
    QTest::newRow("no Docker-Content-Digest anywhere") << "" << QString() << AnyQuery << 0 << Fault::stripDigest() << 10;
    QTest::newRow("stalled manifest GET") << "GET" << ManifestPath << AnyQuery << 1 << Fault::stall() << 2;
    QTest::newRow("stall after the headers") << "GET" << BlobPath << AnyQuery << 1 << Fault::stall(true, 0, 10) << 2;
    QTest::newRow("connection reset after the config upload") << "PUT" << UploadPath << AnyQuery << 1 << Fault::resetMidBody(0) << 10;
    QTest::newRow("slow registry") << "" << QString() << AnyQuery << 0 << Fault::delay(150) << 10;
}

void FaultTest::transientFaultsAreSurvived()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(int, firstN);
    QFETCH(Fault, fault);
    QFETCH(int, timeout);
    FaultRule rule(method, path, fault, query);
    rule.firstN = firstN;
    const int id = m_proxy->addRule(rule);
    QVERIFY(id > 0);

    const QString tag = QStringLiteral("t%1").arg(QTest::currentDataTag() ? qHash(QString::fromLatin1(QTest::currentDataTag())) % 100000 : 0);
    const QString target = viaProxy(QStringLiteral("f/app:") + tag);
    const CliRun run = runRestack(rebaseArguments(target, timeout));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + m_proxy->describeRequestLog());
    QVERIFY2(m_proxy->ruleHits(id) >= 1, "the fault never happened");
    QCOMPARE(reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target), m_expected);
    // Independently of the proxy: the tag holds exactly the expected manifest.
    QCOMPARE(directDigest(QStringLiteral("f/app:") + tag), m_expected);
}

void FaultTest::persistentFaultsFailCleanly_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("timeout");

    QTest::newRow("503 on every manifest PUT") << "PUT" << ManifestPath << AnyQuery << Fault::serverError(503) << "HTTP 503" << 10;
    QTest::newRow("every config corrupted") << "GET" << BlobPath << AnyQuery << Fault::corruptBody() << "altered" << 10;
    QTest::newRow("503 on every upload session") << "POST" << UploadPath << NoQuery << Fault::serverError(503) << "HTTP 503" << 10;
    QTest::newRow("every mount stalls") << "POST" << UploadPath << MountQuery << Fault::stall() << "timed out" << 2;
    QTest::newRow("429 without end") << "GET" << ManifestPath << AnyQuery << Fault::tooManyRequests(0) << "HTTP 429" << 10;
}

void FaultTest::persistentFaultsFailCleanly()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(Fault, fault);
    QFETCH(QString, error);
    QFETCH(int, timeout);
    // The target tag exists: whatever happens, it must still hold what it held.
    const QString tag = QStringLiteral("persistent-%1").arg(qHash(QString::fromLatin1(QTest::currentDataTag())) % 100000);
    RawPusher direct(m_registry.host());
    const QByteArray before = m_factory.image(QStringLiteral("app"))->manifest;
    QVERIFY(direct.pushManifest(QStringLiteral("f/app"), tag, before, QStringLiteral("application/vnd.oci.image.manifest.v1+json")).ok());

    QVERIFY(m_proxy->addRule(FaultRule(method, path, fault, query)) > 0);
    QElapsedTimer timer;
    timer.start();
    const CliRun run = runRestack(rebaseArguments(viaProxy(QStringLiteral("f/app:") + tag), timeout)
                                      + QStringList{QStringLiteral("--retries"), QStringLiteral("2")},
                                  120000);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.errorLines().size() == 1 && run.standardError.contains(error), run.describe());
    QCOMPARE(directDigest(QStringLiteral("f/app:") + tag), sha256Digest(before));
    qInfo().noquote() << QTest::currentDataTag() << "failed cleanly after" << timer.elapsed() << "ms:" << run.errorLines().value(0);
}

// A request its own retries gave up on is not sent again by the operation around it (a verified
// download restarts only for what its requests could not retry, e.g. a digest mismatch): a stalled
// or failing registry costs --retries + 1 requests, not that times the operation's restarts.
// Found by trying `restack inspect --timeout 1` against a port that never answers: 15 attempts, 27 s.
void FaultTest::retriesDoNotMultiply_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<QString>("kind");
    QTest::newRow("stall") << Fault::stall() << QStringLiteral("timeout");
    QTest::newRow("503 every time") << Fault::serverError(503) << QStringLiteral("http");
}

void FaultTest::retriesDoNotMultiply()
{
    QFETCH(Fault, fault);
    QFETCH(QString, kind);
    const int rule = m_proxy->addRule(FaultRule(QStringLiteral("GET"), ManifestPath, fault));
    const CliRun run = runRestack({QStringLiteral("inspect"), viaProxy(QStringLiteral("f/app:1")), QStringLiteral("--timeout"),
                                   QStringLiteral("1"), QStringLiteral("--retries"), QStringLiteral("2"), QStringLiteral("-o"),
                                   QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QCOMPARE(m_proxy->ruleMatches(rule), 3); // the first attempt and two retries; before the fix 9
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("(after 3 attempts)")), run.describe());
    // -o json: the error on standard output too, as an object a script can read.
    const QJsonObject error = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object().value(QLatin1String("error")).toObject();
    RESTACK_VERIFY_OR_DUMP(!error.isEmpty(), run.describe());
    QCOMPARE(error.value(QLatin1String("kind")).toString(), kind);
    QCOMPARE(error.value(QLatin1String("registry")).toString(), m_proxy->host());
    QCOMPARE(error.value(QLatin1String("repository")).toString(), QStringLiteral("f/app"));
    QVERIFY(!error.value(QLatin1String("hint")).toString().isEmpty());
}

void FaultTest::timeoutAndCancelAreReportedDifferently()
{
    // Every manifest GET stalls: the client times out (Timeout), or the user cancels first (Cancelled).
    m_proxy->addRule(FaultRule(QStringLiteral("GET"), ManifestPath, Fault::stall()));
    auto run = [this](bool cancel) {
        QNetworkAccessManager network;
        Restack::Registry::ClientOptions options;
        options.transferTimeoutMs = 700;
        options.maxAttempts = 2;
        options.retryBaseDelayMs = 50;
        Restack::Registry::Client client(&network, options);
        Restack::Rebase::RebaseRequest request;
        request.source = Restack::Image::Reference::parse(viaProxy(QStringLiteral("f/app:1"))).value();
        request.newBase = Restack::Image::Reference::parse(viaProxy(QStringLiteral("f/base:2"))).value();
        request.oldBase = Restack::Image::Reference::parse(viaProxy(QStringLiteral("f/base:1"))).value();
        request.target = Restack::Image::Reference::parse(viaProxy(QStringLiteral("f/app:cancel"))).value();
        Restack::Rebase::RebaseOperation operation(&client, request);
        QSignalSpy finished(&operation, &Restack::Rebase::RebaseOperation::finished);
        operation.start();
        if (cancel)
            QTimer::singleShot(200, &operation, &Restack::Rebase::RebaseOperation::cancel);
        finished.wait(20000);
        // What a process about to exit does: let the registry hear the upload session's DELETE.
        if (client.hasBackgroundCalls())
            QSignalSpy(&client, &Restack::Registry::Client::backgroundCallsFinished).wait(10000);
        return operation.result().ok() ? Restack::Error() : operation.result().error();
    };
    const Restack::Error timedOut = run(false);
    QCOMPARE(timedOut.kind, Restack::Error::Kind::Timeout);
    QVERIFY2(timedOut.message.contains(QLatin1String("timed out")), qPrintable(timedOut.toString()));
    const Restack::Error cancelled = run(true);
    QCOMPARE(cancelled.kind, Restack::Error::Kind::Cancelled);
    QVERIFY2(!cancelled.message.contains(QLatin1String("timed out")), qPrintable(cancelled.toString()));
    QVERIFY(directDigest(QStringLiteral("f/app:cancel")).isEmpty());
    QVERIFY(openUploadSessions(m_registry, QStringLiteral("f/app")).isEmpty()); // both runs gave theirs back
}

void FaultTest::redirectedBlobGetsNoAuthorization()
{
    // Blob GETs of the password-protected registry are redirected to storage on another host, which
    // refuses requests carrying Authorization: a copy out of it must drop the header.
    m_privateProxy->addRule(FaultRule(QStringLiteral("GET"), BlobPath, Fault::redirectToStorage()));
    QNetworkAccessManager network;
    Restack::Registry::ClientOptions options;
    options.uploadChunkBytes = 64 * 1024;
    Restack::Registry::Client client(&network, options);
    client.setCredential(m_privateProxy->host(), {QStringLiteral("bob"), QStringLiteral("hunter2-hunter2")});
    const auto base2 = m_factory.image(QStringLiteral("base2"));
    const Restack::Image::Descriptor layer = base2Layer();
    Restack::Image::Descriptor config;
    config.mediaType = Restack::Image::MediaType::OciConfig;
    config.digest = Restack::Image::Digest::parse(base2->configDigest).value();
    config.size = base2->config.size();
    const auto source = Restack::Image::Reference::parse(m_privateProxy->host() + QStringLiteral("/p/base")).value();
    const auto target = Restack::Image::Reference::parse(m_registry.host() + QStringLiteral("/copied/base")).value();

    // A registry redirects requests it has authenticated: learn its auth first (the manifest GET).
    std::optional<Restack::Result<Restack::Image::Manifest>> manifest;
    client.fetchManifest(source.withTag(QStringLiteral("2")), this,
                         [&manifest](Restack::Result<Restack::Image::Manifest> r) { manifest = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(manifest.has_value(), 30000);
    QVERIFY2(manifest->ok(), qPrintable(manifest->ok() ? QString() : manifest->error().toString()));

    std::optional<Restack::Result<QByteArray>> configBytes;
    client.fetchBlob(source, config, this, [&configBytes](Restack::Result<QByteArray> r) { configBytes = std::move(r); });
    std::optional<Restack::Result<Restack::Registry::BlobTransfer>> copied;
    client.transferBlob(source, target, layer, this, [&copied](Restack::Result<Restack::Registry::BlobTransfer> r) { copied = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(configBytes.has_value() && copied.has_value(), 30000);
    QVERIFY2(configBytes->ok(), qPrintable(configBytes->ok() ? QString() : configBytes->error().toString()));
    QCOMPARE(*configBytes->operator->(), base2->config);
    QVERIFY2(copied->ok(), qPrintable(copied->ok() ? QString() : copied->error().toString()));
    QCOMPARE(copied->value(), Restack::Registry::BlobTransfer::Copied);
    // The registry saw the credentials, the storage host never did, and the blobs went through it.
    const QList<ProxyRequest> log = m_privateProxy->requestLog();
    QVERIFY(std::any_of(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return !r.storage && r.hasAuthorization; }));
    QCOMPARE(std::count_if(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return r.storage && r.status == 200; }), 2);
    QVERIFY(!m_privateProxy->storageSawAuthorization());
    const auto stored = readFile(m_registry.storageDir() + QStringLiteral("/docker/registry/v2/blobs/sha256/%1/%2/data")
                                                               .arg(layer.digest.hex().left(2), layer.digest.hex()));
    QVERIFY(stored.ok());
    QCOMPARE(sha256Digest(*stored), layer.digest.toString());
}

// A mount sent without a HEAD first (same registry, TargetState::Unknown) that the registry
// refuses is followed by a HEAD: the blob is copied only when the target lacks it.
void FaultTest::refusedMountAsksTheTarget()
{
    const int refused = m_proxy->addRule(FaultRule(QStringLiteral("POST"), UploadPath, Fault::serverError(404), MountQuery));
    const Restack::Image::Descriptor layer = base2Layer();
    const auto source = Restack::Image::Reference::parse(viaProxy(QStringLiteral("f/base"))).value();
    const auto target = Restack::Image::Reference::parse(viaProxy(QStringLiteral("refused/base"))).value();
    auto transfer = [&]() -> std::optional<Restack::Registry::BlobTransfer> {
        QNetworkAccessManager network; // a fresh client each time: nothing known about the target
        Restack::Registry::Client client(&network);
        std::optional<Restack::Result<Restack::Registry::BlobTransfer>> outcome;
        client.transferBlob(source, target, layer, this,
                            [&outcome](Restack::Result<Restack::Registry::BlobTransfer> r) { outcome = std::move(r); }, {},
                            Restack::Registry::TargetState::Unknown);
        QElapsedTimer waited;
        waited.start();
        while (!outcome && waited.elapsed() < 30000)
            QTest::qWait(10);
        if (!outcome || !outcome->ok()) {
            qWarning().noquote() << (outcome ? outcome->error().toString() : QStringLiteral("no outcome in 30 s"));
            return std::nullopt;
        }
        return outcome->value();
    };
    auto methods = [this] {
        QStringList seen;
        for (const ProxyRequest &r : m_proxy->requestLog())
            seen << r.method + (r.uri.contains(QLatin1String("mount=")) ? QStringLiteral(" mount") : QString());
        return seen;
    };

    // The target lacks it: mount refused, HEAD 404, then a copy (GET from the source, upload).
    QCOMPARE(transfer(), std::optional(Restack::Registry::BlobTransfer::Copied));
    QCOMPARE(m_proxy->ruleHits(refused), 1);
    QStringList first = methods();
    QVERIFY2(first.size() >= 4 && first.mid(0, 2) == (QStringList{QStringLiteral("POST mount"), QStringLiteral("HEAD")}),
             qPrintable(first.join(QLatin1String(", "))));
    QVERIFY2(first.contains(QStringLiteral("GET")), qPrintable(first.join(QLatin1String(", "))));

    // Now the target has it: mount refused, HEAD 200, nothing moved.
    m_proxy->clearRequestLog();
    QCOMPARE(transfer(), std::optional(Restack::Registry::BlobTransfer::AlreadyPresent));
    QCOMPARE(methods(), (QStringList{QStringLiteral("POST mount"), QStringLiteral("HEAD")}));
}

// Ctrl-C (or SIGTERM) mid-rebase: the rebase is cancelled, the upload session it opened ahead is
// cancelled too, one error line, exit 128 + the signal, and the target tag never written.
void FaultTest::interruptGivesBackTheUploadSession_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void FaultTest::interruptGivesBackTheUploadSession()
{
    QFETCH(int, signalNumber);
    const QStringList sessionsBefore = openUploadSessions(m_registry, QStringLiteral("f/app"));
    const int stalled = m_proxy->addRule(FaultRule(QStringLiteral("GET"), BlobPath, Fault::stall())); // configs never come
    const QString tag = QStringLiteral("signal%1").arg(signalNumber);
    auto sessionOpened = [this] {
        const QList<ProxyRequest> log = m_proxy->requestLog();
        return std::any_of(log.cbegin(), log.cend(), [](const ProxyRequest &r) {
            return r.method == QLatin1String("POST") && r.status == 202 && !r.uri.contains(QLatin1String("mount="));
        });
    };
    const CliRun run = runRestackAndSignal(rebaseArguments(viaProxy(QStringLiteral("f/app:") + tag), 30),
                                           [this, stalled, sessionOpened] { return m_proxy->ruleHits(stalled) > 0 && sessionOpened(); },
                                           signalNumber, 15000);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 128 + signalNumber, run.describe() + m_proxy->describeRequestLog());
    RESTACK_VERIFY_OR_DUMP(run.errorLines().size() == 1 && run.standardError.contains(QLatin1String("cancelled")), run.describe());
    const QList<ProxyRequest> log = m_proxy->requestLog();
    QVERIFY2(std::any_of(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return r.method == QLatin1String("DELETE"); }),
             qPrintable(m_proxy->describeRequestLog()));
    QCOMPARE(openUploadSessions(m_registry, QStringLiteral("f/app")), sessionsBefore);
    QVERIFY(directDigest(QStringLiteral("f/app:") + tag).isEmpty());
}

// Ctrl-C while the registry is storing the tag (the PUT of the rebased manifest, or of the index
// `restack manifest create` made) must not abort it and claim "the target tag was not changed":
// the PUT is let finish, what it did is reported, and the exit status still says "interrupted".
void FaultTest::interruptLetsTheTagPutFinish_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("extraTag"); // manifest create --tag: must not be pushed after the interrupt
    QTest::newRow("rebase") << QStringLiteral("rebase") << QString();
    QTest::newRow("manifest create") << QStringLiteral("manifest") << QString();
    QTest::newRow("manifest create --tag") << QStringLiteral("manifest") << QStringLiteral("late-extra");
}

void FaultTest::interruptLetsTheTagPutFinish()
{
    QFETCH(QString, command);
    QFETCH(QString, extraTag);
    const QString tag = QStringLiteral("late-") + command + (extraTag.isEmpty() ? QString() : QStringLiteral("-tagged"));
    QString repository;
    const QStringList arguments = tagPushArguments(command, tag, 30, &repository)
        + (extraTag.isEmpty() ? QStringList() : QStringList{QStringLiteral("--tag"), extraTag});
    // Forwarded at once; the registry's answer reaches restack 1.5 s later.
    const int held = m_proxy->addRule(FaultRule(QStringLiteral("PUT"), QStringLiteral("/v2/%1/manifests/%2").arg(repository, tag),
                                                Fault::delay(1500)));
    const CliRun run = runRestackAndSignal(arguments, [this, held] { return m_proxy->ruleHits(held) > 0; }, SIGINT, 15000);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 128 + SIGINT, run.describe() + m_proxy->describeRequestLog());
    const QString stored = directDigest(repository + QLatin1Char(':') + tag);
    QVERIFY2(!stored.isEmpty(), qPrintable(run.describe()));
    RESTACK_VERIFY_OR_DUMP(!run.standardError.contains(QLatin1String("not changed")), run.describe());
    if (extraTag.isEmpty()) {
        RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(stored), run.describe());
    } else {
        // The first tag was stored, the next one is not pushed, and the error says which is which.
        QVERIFY(directDigest(repository + QLatin1Char(':') + extraTag).isEmpty());
        const QStringList errors = run.errorLines().filter(QStringLiteral("restack: error:"));
        RESTACK_VERIFY_OR_DUMP(errors.size() == 1 && errors.first().contains(QLatin1String("cancelled after pushing"))
                                   && errors.first().contains(viaProxy(repository + QLatin1Char(':') + tag))
                                   && errors.first().contains(QLatin1String("not pushed to ") + viaProxy(repository + QLatin1Char(':') + extraTag)),
                               run.describe());
    }
}

// Once interrupted, a tag PUT whose answer never comes (the registry stored it; the answer is
// slower than --timeout) is not sent again: one attempt, then the error says the tag may have been
// changed, instead of --retries more PUTs and a plain timeout message.
void FaultTest::interruptedTagPutIsNotRetried_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("rebase") << QStringLiteral("rebase");
    QTest::newRow("manifest create") << QStringLiteral("manifest");
}

void FaultTest::interruptedTagPutIsNotRetried()
{
    QFETCH(QString, command);
    const QString tag = QStringLiteral("slow-") + command;
    QString repository;
    const QStringList arguments = tagPushArguments(command, tag, 2, &repository);
    const int held = m_proxy->addRule(FaultRule(QStringLiteral("PUT"), QStringLiteral("/v2/%1/manifests/%2").arg(repository, tag),
                                                Fault::delay(6000)));
    const CliRun run = runRestackAndSignal(arguments, [this, held] { return m_proxy->ruleHits(held) > 0; }, SIGINT, 20000);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 128 + SIGINT, run.describe() + m_proxy->describeRequestLog());
    const QStringList errors = run.errorLines().filter(QStringLiteral("restack: error:"));
    RESTACK_VERIFY_OR_DUMP(errors.size() == 1 && errors.first().contains(QLatin1String("may have stored it"))
                               && !errors.first().contains(QLatin1String("not changed")),
                           run.describe());
    QCOMPARE(m_proxy->ruleHits(held), 1); // sent once: with retries, each timeout would send it again
    QVERIFY(!directDigest(repository + QLatin1Char(':') + tag).isEmpty()); // it was stored, as the error allows
}

// A target repository's tag list that answers 404 says nothing: each target is still asked (HEAD),
// so that an index there is not replaced.
void FaultTest::batchTargetListingNotFoundStillHeads()
{
    QVERIFY(m_factory.push(QStringLiteral("app"), m_registry.host() + QStringLiteral("/fidx/app:seed")).ok());
    const QByteArray appManifest = m_factory.image(QStringLiteral("app"))->manifest;
    const QByteArray index = ociIndexOf(appManifest);
    RawPusher direct(m_registry.host());
    QVERIFY(direct.pushManifest(QStringLiteral("fidx/app"), QStringLiteral("1"), index,
                                QStringLiteral("application/vnd.oci.image.index.v1+json"))
                .ok());
    const int notFound = m_proxy->addRule(FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/fidx/app/tags/list"), Fault::serverError(404)));
    // Two sources, so that the target repository is worth listing: f/app:1 and f/app:2 -> fidx/app:1 and :2.
    QVERIFY(direct.pushManifest(QStringLiteral("f/app"), QStringLiteral("2"), appManifest,
                                QStringLiteral("application/vnd.oci.image.manifest.v1+json"))
                .ok());
    const CliRun run = runRestack(batchArguments(viaProxy(QStringLiteral("f/app")), QStringLiteral("^[12]$"),
                                                 viaProxy(QStringLiteral("f/base:2")), viaProxy(QStringLiteral("f/base:1")),
                                                 viaProxy(QStringLiteral("fidx/app:{tag}"))));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QVERIFY(m_proxy->ruleHits(notFound) >= 1);
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("succeeded")).toInt(), 1);
    QCOMPARE(report.value(QLatin1String("failed")).toInt(), 1);
    QCOMPARE(directDigest(QStringLiteral("fidx/app:1")), sha256Digest(index));
}

void FaultTest::uploadLocationVariants_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::newRow("relative Location") << Fault::rewriteUploadLocation(Fault::LocationStyle::Relative);
    QTest::newRow("absolute Location without query") << Fault::rewriteUploadLocation(Fault::LocationStyle::Absolute, true);
    QTest::newRow("relative Location without query") << Fault::rewriteUploadLocation(Fault::LocationStyle::Relative, true);
}

void FaultTest::uploadLocationVariants()
{
    QFETCH(Fault, fault);
    const int id = m_proxy->addRule(FaultRule(QString(), UploadPath, fault));
    // Into another repository: the config is uploaded, the layers mounted; a chunked copy is exercised
    // at the client level below.
    const QString tag = QStringLiteral("loc%1").arg(qHash(QString::fromLatin1(QTest::currentDataTag())) % 100000);
    const QString target = viaProxy(QStringLiteral("other/app:") + tag);
    const CliRun run = runRestack(rebaseArguments(target));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + m_proxy->describeRequestLog());
    QVERIFY(m_proxy->ruleHits(id) >= 1);
    QCOMPARE(directDigest(QStringLiteral("other/app:") + tag), reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target));

    // A streamed copy in chunks (PATCH after PATCH, each answered with a new Location) from the
    // registry seen directly into the registry seen through the proxy: two registries to the client.
    QNetworkAccessManager network;
    Restack::Registry::ClientOptions options;
    options.uploadChunkBytes = 64 * 1024;
    Restack::Registry::Client client(&network, options);
    const Restack::Image::Descriptor layer = base2Layer();
    QVERIFY(layer.size > 3 * options.uploadChunkBytes);
    std::optional<Restack::Result<Restack::Registry::BlobTransfer>> copied;
    client.transferBlob(Restack::Image::Reference::parse(m_registry.host() + QStringLiteral("/f/base")).value(),
                        Restack::Image::Reference::parse(viaProxy(QStringLiteral("chunked/") + tag)).value(), layer, this,
                        [&copied](Restack::Result<Restack::Registry::BlobTransfer> r) { copied = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(copied.has_value(), 30000);
    QVERIFY2(copied->ok(), qPrintable(copied->ok() ? QString() : copied->error().toString() + m_proxy->describeRequestLog()));
    QCOMPARE(copied->value(), Restack::Registry::BlobTransfer::Copied);
    const QList<ProxyRequest> log = m_proxy->requestLog();
    QVERIFY(std::count_if(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return r.method == QLatin1String("PATCH"); }) >= 3);
}

void FaultTest::opaquePaginationTokens()
{
    RawPusher direct(m_registry.host());
    QVERIFY(m_factory.push(QStringLiteral("app"), m_registry.host() + QStringLiteral("/paged/app:seed")).ok());
    QStringList tags{QStringLiteral("seed")};
    for (int i = 0; i < 9; ++i) {
        tags << QStringLiteral("page-%1").arg(i);
        QVERIFY(direct.pushManifest(QStringLiteral("paged/app"), tags.last(), m_factory.image(QStringLiteral("app"))->manifest,
                                    QStringLiteral("application/vnd.oci.image.manifest.v1+json"))
                    .ok());
    }
    const int id = m_proxy->addRule(FaultRule(QStringLiteral("GET"), QString(), Fault::paginateListing(2)));
    const CliRun run = runRestack({QStringLiteral("tags"), viaProxy(QStringLiteral("paged/app")), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + m_proxy->describeRequestLog());
    QStringList listed = run.outputLines();
    listed.sort();
    tags.sort();
    QCOMPARE(listed, tags);
    QVERIFY(m_proxy->ruleHits(id) >= 5); // 10 tags in pages of 2, each followed verbatim
}

void FaultTest::fiftyRebasesUnderTwentyPercentFaults()
{
    RawPusher direct(m_registry.host());
    for (int i = 0; i < 50; ++i)
        QVERIFY(direct.pushManifest(QStringLiteral("f/app"), QStringLiteral("load-%1").arg(i, 2, 10, QLatin1Char('0')),
                                    m_factory.image(QStringLiteral("app"))->manifest, QStringLiteral("application/vnd.oci.image.manifest.v1+json"))
                    .ok());
    // About one request in five gets a fault, of every kind (seeded: the same draws each run).
    const QList<Fault> faults{Fault::tooManyRequests(0), Fault::serverError(503), Fault::serverError(500), Fault::resetMidBody(),
                              Fault::truncateBody(),     Fault::corruptBody(),    Fault::stall(false, 0), Fault::delay(100)};
    quint32 seed = 7;
    for (const Fault &fault : faults) {
        FaultRule rule(QString(), QString(), fault);
        // Independent draws: 1 - (1 - p)^8 = 0.2.
        rule.probability = 1.0 - std::pow(0.8, 1.0 / faults.size());
        rule.seed = seed++;
        m_proxy->addRule(rule);
    }
    const CliRun run = runRestack(batchArguments(viaProxy(QStringLiteral("f/app")), QStringLiteral("^load-[0-9]+$"),
                                                 viaProxy(QStringLiteral("f/base:2")), viaProxy(QStringLiteral("f/base:1")),
                                                 QStringLiteral("{registry}/{repository}:{tag}-patched"),
                                                 {QStringLiteral("-j"), QStringLiteral("8"), QStringLiteral("--timeout"), QStringLiteral("2")}),
                                  600000);
    RESTACK_VERIFY_OR_DUMP(run.exited && (run.exitCode == 0 || run.exitCode == 1), run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    const QJsonArray results = report.value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 50);
    int correct = 0;
    int failedCleanly = 0;
    const QList<ProxyRequest> log = m_proxy->requestLog();
    const qsizetype faulted = std::count_if(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return !r.fault.isEmpty(); });
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        const QString targetPath = r.value(QLatin1String("target")).toString().section(QLatin1Char('/'), 1);
        const QString stored = directDigest(targetPath);
        if (r.value(QLatin1String("status")).toString() == QLatin1String("ok")) {
            QCOMPARE(r.value(QLatin1String("digest")).toString(), m_expected);
            QCOMPARE(stored, m_expected); // what the registry holds is exactly the right image
            ++correct;
        } else {
            // Failed cleanly: the target tag was never written (nothing corrupt, nothing partial).
            QVERIFY2(stored.isEmpty(), qPrintable(r.value(QLatin1String("error")).toString()));
            ++failedCleanly;
        }
    }
    QCOMPARE(correct + failedCleanly, 50);
    qInfo().noquote() << QStringLiteral("50 rebases through %1 requests with %2 faults (%3 %): %4 correct, %5 failed cleanly")
                             .arg(log.size())
                             .arg(faulted)
                             .arg(100.0 * faulted / qMax<qsizetype>(1, log.size()), 0, 'f', 1)
                             .arg(correct)
                             .arg(failedCleanly);
    QVERIFY2(faulted * 10 >= log.size(), "fewer faults than intended: the test would prove little");
}

QTEST_GUILESS_MAIN(FaultTest)
#include "tst_faults.moc"
