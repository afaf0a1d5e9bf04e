// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Blob transfers between two real registries and registries that require a password:
// - a rebase whose new base lives in another registry copies that base's layer, streamed, and
//   downloads nothing else;
// - the client streams a blob as a chunked upload (PATCH with Content-Range, then PUT ?digest=),
//   with at most one chunk in flight, and the registry stores exactly the bytes;
// - `restack --username U --password-stdin` against an htpasswd registry: right, wrong and missing
//   credentials.

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "registry/client.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

namespace
{

ImageSpec baseSpec(const QString &version, const QByteArray &payload)
{
    ImageSpec spec;
    spec.addLayer({{QStringLiteral("/etc/os-release"), QStringLiteral("VERSION=%1\n").arg(version).toUtf8()},
                   {QStringLiteral("/usr/lib/payload-%1.bin").arg(version), payload}},
                  QStringLiteral("COPY rootfs-%1 /").arg(version));
    spec.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    return spec;
}

/** Runs restack with @p input on its standard input. */
CliRun runWithInput(const QStringList &arguments, const QByteArray &input)
{
    QProcess process;
    process.setProcessEnvironment(toolEnvironment());
    process.start(QStringLiteral(RESTACK_BINARY), arguments);
    CliRun run;
    run.arguments = arguments;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    run.exited = process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.standardOutput = QString::fromUtf8(process.readAllStandardOutput());
    run.standardError = QString::fromUtf8(process.readAllStandardError());
    return run;
}

RegistryOptions withPassword()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("alice"), QStringLiteral("s3cret-pass"));
    return options;
}

} // namespace

class TransferTest : public QObject
{
    Q_OBJECT

public:
    TransferTest()
        : m_private(withPassword())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void crossRegistryRebaseCopiesTheNewBase();
    void chunkedStreamedCopy();
    void basicAuthCredentials_data();
    void basicAuthCredentials();
    void verboseLogShowsNoSecret();

private:
    RegistryFixture m_local;   ///< source, old base and target
    RegistryFixture m_remote;  ///< the new base only
    RegistryFixture m_private; ///< htpasswd: alice / s3cret-pass
    ImageFactory m_factory;
    QByteArray m_remotePayload;
};

void TransferTest::initTestCase()
{
    QString error;
    QVERIFY2(m_local.start(&error), qPrintable(error));
    QVERIFY2(m_remote.start(&error), qPrintable(error));
    QVERIFY2(m_private.start(&error), qPrintable(error));

    m_remotePayload = randomBytes(3 * 1024 * 1024 + 12345, 7); // incompressible: the layer is ~3 MiB
    QVERIFY(m_factory.build(QStringLiteral("base1"), baseSpec(QStringLiteral("1"), QByteArrayLiteral("one\n"))).ok());
    QVERIFY(m_factory.build(QStringLiteral("base2"), baseSpec(QStringLiteral("2"), m_remotePayload)).ok());
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\necho app\n")}}, QStringLiteral("COPY run /app/"));
    app.addEntrypoint({QStringLiteral("/app/run")});
    QVERIFY(m_factory.build(QStringLiteral("app"), app).ok());

    for (const auto &[tag, target] : {std::pair<QString, QString>{QStringLiteral("base1"), m_local.host() + QStringLiteral("/lib/base:1")},
                                      std::pair<QString, QString>{QStringLiteral("app"), m_local.host() + QStringLiteral("/lib/app:1")},
                                      std::pair<QString, QString>{QStringLiteral("base2"), m_remote.host() + QStringLiteral("/vendor/base:2")}}) {
        const auto pushed = m_factory.push(tag, target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
    m_factory.setCredentials(QStringLiteral("alice"), QStringLiteral("s3cret-pass"));
    for (const auto &[tag, target] : {std::pair<QString, QString>{QStringLiteral("base1"), m_private.host() + QStringLiteral("/p/base:1")},
                                      std::pair<QString, QString>{QStringLiteral("base2"), m_private.host() + QStringLiteral("/p/base:2")},
                                      std::pair<QString, QString>{QStringLiteral("app"), m_private.host() + QStringLiteral("/p/app:1")}}) {
        const auto pushed = m_factory.push(tag, target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
    m_factory.setCredentials({}, {});
}

void TransferTest::crossRegistryRebaseCopiesTheNewBase()
{
    const QString target = m_local.host() + QStringLiteral("/lib/app:on-remote-base");
    const auto base2 = m_factory.image(QStringLiteral("base2"));
    const auto app = m_factory.image(QStringLiteral("app"));
    QVERIFY(base2.ok() && app.ok());
    const QString copiedLayer = base2->layerDigests.first();

    m_local.markAccessLog();
    m_remote.markAccessLog();
    const CliRun run = runRestack({QStringLiteral("rebase"), m_local.host() + QStringLiteral("/lib/app:1"),
                                   QStringLiteral("--base"), m_remote.host() + QStringLiteral("/vendor/base:2"),
                                   QStringLiteral("--old-base"), m_local.host() + QStringLiteral("/lib/base:1"),
                                   QStringLiteral("--tag"), target, QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QString action;
    for (const QJsonValue &blob : report.value(QLatin1String("blobs")).toArray()) {
        if (blob.toObject().value(QLatin1String("digest")).toString() == copiedLayer)
            action = blob.toObject().value(QLatin1String("action")).toString();
    }
    QCOMPARE(action, QStringLiteral("copy"));

    // The remote registry served the layer once; the local one got it as an upload; no other
    // layer blob was downloaded from anywhere.
    QVERIFY(syncAccessLog(m_remote));
    QVERIFY(syncAccessLog(m_local));
    const QStringList remoteDownloads = blobDownloads(requestsSinceMark(m_remote));
    QCOMPARE(remoteDownloads.count(copiedLayer), 1);
    QStringList remoteLayerDownloads = remoteDownloads;
    remoteLayerDownloads.removeAll(base2->configDigest);
    QCOMPARE(remoteLayerDownloads, QStringList{copiedLayer});
    QStringList localDownloads = blobDownloads(requestsSinceMark(m_local));
    localDownloads.removeAll(app->configDigest);
    localDownloads.removeAll(m_factory.image(QStringLiteral("base1"))->configDigest);
    QVERIFY2(localDownloads.isEmpty(), qPrintable(localDownloads.join(QLatin1Char(' '))));
    const auto uploads = withMethods(requestsSinceMark(m_local), {QStringLiteral("PATCH"), QStringLiteral("PUT")});
    QVERIFY2(std::any_of(uploads.cbegin(), uploads.cend(),
                         [](const AccessLogEntry &e) { return e.method == QLatin1String("PUT") && e.uri.contains(QLatin1String("digest=")); }),
             qPrintable(describeRequests(uploads)));

    // Independently: the result is complete and consistent in the local registry.
    ImageVerifier verifier;
    const auto verified = verifier.verify(target);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    QCOMPARE(verified->layerDigests, (QStringList{copiedLayer, app->layerDigests.last()}));
    const auto rootfs = verifier.unpack(*verified);
    QVERIFY(rootfs.ok());
    QCOMPARE(rootfs->fileContents(QStringLiteral("/usr/lib/payload-2.bin")), m_remotePayload);
    QVERIFY(rootfs->fileExists(QStringLiteral("/app/run")));
    QVERIFY(!rootfs->fileExists(QStringLiteral("/usr/lib/payload-1.bin")));
}

void TransferTest::chunkedStreamedCopy()
{
    const auto base2 = m_factory.image(QStringLiteral("base2"));
    QVERIFY(base2.ok());
    Restack::Image::Descriptor blob;
    blob.mediaType = Restack::Image::MediaType::OciLayerGzip;
    blob.digest = Restack::Image::Digest::parse(base2->layerDigests.first()).value();
    blob.size = base2->layerSizes.first();
    QVERIFY(blob.size > 3 * 1024 * 1024);

    QNetworkAccessManager network;
    Restack::Registry::ClientOptions options;
    options.uploadChunkBytes = 256 * 1024;
    Restack::Registry::Client client(&network, options);
    const auto source = Restack::Image::Reference::parse(m_remote.host() + QStringLiteral("/vendor/base")).value();
    const auto target = Restack::Image::Reference::parse(m_local.host() + QStringLiteral("/chunked/copy")).value();

    m_local.markAccessLog();
    std::optional<Restack::Result<Restack::Registry::BlobTransfer>> outcome;
    QList<qint64> progress;
    client.transferBlob(source, target, blob, this,
                        [&outcome](Restack::Result<Restack::Registry::BlobTransfer> r) { outcome = std::move(r); },
                        [&progress](qint64 bytes) { progress << bytes; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 60000);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().toString()));
    QCOMPARE(outcome->value(), Restack::Registry::BlobTransfer::Copied);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), blob.size);
    QVERIFY(std::is_sorted(progress.cbegin(), progress.cend()));
    QCOMPARE(client.stats().layerBytesReceived, blob.size);
    QCOMPARE(client.stats().layerBytesSent, blob.size);

    // Every full chunk went as its own PATCH; the rest with the closing PUT.
    QVERIFY(syncAccessLog(m_local));
    const auto requests = requestsSinceMark(m_local);
    const qsizetype patches = withMethods(requests, {QStringLiteral("PATCH")}).size();
    QCOMPARE(patches, blob.size / options.uploadChunkBytes);
    const auto puts = withMethods(requests, {QStringLiteral("PUT")});
    QCOMPARE(puts.size(), 1);
    QCOMPARE(puts.first().status, 201);
    QCOMPARE(queryValue(puts.first(), QStringLiteral("digest")), blob.digest.toString());

    // The registry's own storage holds exactly the bytes (read from disk, not through restack).
    const QString hex = blob.digest.hex();
    const auto stored = readFile(m_local.storageDir() + QStringLiteral("/docker/registry/v2/blobs/sha256/%1/%2/data")
                                                            .arg(hex.left(2), hex));
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().toString()));
    QCOMPARE(stored->size(), blob.size);
    QCOMPARE(sha256Digest(*stored), blob.digest.toString());
}

void TransferTest::basicAuthCredentials_data()
{
    QTest::addColumn<QStringList>("credentials");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("errorText");

    QTest::newRow("right password") << QStringList{QStringLiteral("--username"), QStringLiteral("alice"),
                                                   QStringLiteral("--password-stdin")}
                                    << QByteArrayLiteral("s3cret-pass\n") << 0 << QString();
    QTest::newRow("wrong password") << QStringList{QStringLiteral("--username"), QStringLiteral("alice"),
                                                   QStringLiteral("--password-stdin")}
                                    << QByteArrayLiteral("wrong\n") << 1 << QStringLiteral("HTTP 401");
    QTest::newRow("no credentials") << QStringList{} << QByteArray() << 1 << QStringLiteral("--password-stdin");
    QTest::newRow("username without password")
        << QStringList{QStringLiteral("--username"), QStringLiteral("alice")} << QByteArray() << 2
        << QStringLiteral("go together");
}

void TransferTest::basicAuthCredentials()
{
    QFETCH(QStringList, credentials);
    QFETCH(QByteArray, input);
    QFETCH(int, exitCode);
    QFETCH(QString, errorText);

    const QString tag = QStringLiteral("auth-%1").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    const QString target = m_private.host() + QStringLiteral("/p/app:") + tag;
    const CliRun run = runWithInput(QStringList{QStringLiteral("rebase"), m_private.host() + QStringLiteral("/p/app:1"),
                                                QStringLiteral("--base"), m_private.host() + QStringLiteral("/p/base:2"),
                                                QStringLiteral("--old-base"), m_private.host() + QStringLiteral("/p/base:1"),
                                                QStringLiteral("--tag"), target, QStringLiteral("-q")}
                                        + credentials,
                                    input);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == exitCode, run.describe());
    if (exitCode == 0) {
        ImageVerifier verifier;
        verifier.setCredentials(QStringLiteral("alice"), QStringLiteral("s3cret-pass"));
        const auto verified = verifier.verify(target);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
        QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
        QCOMPARE(verified->layerDigests.first(), m_factory.image(QStringLiteral("base2"))->layerDigests.first());
    } else {
        QCOMPARE(run.errorLines().size(), exitCode == 2 ? 2 : 1);
        QVERIFY2(run.errorLines().first().startsWith(QLatin1String("restack: error: ")), qPrintable(run.describe()));
        QVERIFY2(run.standardError.contains(errorText), qPrintable(run.describe()));
        // The password never appears in what restack prints.
        QVERIFY(!run.standardError.contains(QLatin1String("s3cret-pass")) && !run.standardError.contains(QLatin1String("wrong\n")));
    }
}

void TransferTest::verboseLogShowsNoSecret()
{
    const CliRun run = runWithInput({QStringLiteral("rebase"), m_private.host() + QStringLiteral("/p/app:1"), QStringLiteral("--base"),
                                     m_private.host() + QStringLiteral("/p/base:2"), QStringLiteral("--old-base"),
                                     m_private.host() + QStringLiteral("/p/base:1"), QStringLiteral("--tag"),
                                     m_private.host() + QStringLiteral("/p/app:verbose"), QStringLiteral("--username"),
                                     QStringLiteral("alice"), QStringLiteral("--password-stdin"), QStringLiteral("-v")},
                                    QByteArrayLiteral("s3cret-pass\n"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    // The log shows the requests...
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QStringLiteral("GET http://%1/v2/p/app/manifests/1").arg(m_private.host())),
                           run.describe());
    // ...and never the password, its Basic encoding, or an Authorization header.
    const QString basic = QString::fromLatin1(QByteArrayLiteral("alice:s3cret-pass").toBase64());
    for (const QString &secret : {QStringLiteral("s3cret-pass"), basic, QStringLiteral("Authorization"), QStringLiteral("Basic ")})
        RESTACK_VERIFY_OR_DUMP(!run.standardError.contains(secret) && !run.standardOutput.contains(secret), run.describe());
}

QTEST_GUILESS_MAIN(TransferTest)
#include "tst_transfer.moc"
