// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Self-test of the test support: a real registry, images built with umoci and pushed with skopeo
// in both manifest formats, verified independently, and the registry's access log.

#include <QJsonArray>
#include <QJsonObject>
#include <QScopeGuard>
#include <QtTest>

#include "imagefactory.h"
#include "imageverifier.h"
#include "registryfixture.h"

using namespace Restack::Test;

Q_DECLARE_METATYPE(Restack::Test::ImageFactory::Format)

class FixtureTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void accessLogParsing();
    void baseAndAppShareLayers();
    void buildsAreReproducible();
    void pushAndVerify_data();
    void pushAndVerify();
    void verifierReportsUnknownManifest();
    void authenticatedRegistry();
    void duplicateConfigKeysAreRejected();
    void cleanupTestCase();

private:
    RegistryFixture m_registry;
    ImageFactory m_factory;
    BuiltImage m_base;
    BuiltImage m_app;
};

void FixtureTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    QVERIFY(m_registry.isRunning());
    QVERIFY(m_registry.host().startsWith(QLatin1String("127.0.0.1:")));
    QVERIFY(QFileInfo(m_registry.storageDir()).isDir());
    // The readiness probe itself is in the access log.
    QVERIFY(m_registry.waitForAccessLog([](const AccessLogEntry &e) { return e.matches(QStringLiteral("GET"), QStringLiteral("/v2/")); }));

    ImageSpec base;
    base.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("NAME=\"Fixture OS\"\nVERSION=1\n")}},
                  QStringLiteral("COPY os-release /etc/os-release"));
    base.addEnv({QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin")});
    LayerSpec lib;
    lib.files.insert(QStringLiteral("/usr/lib/libfixture.so.1"), QByteArrayLiteral("\x7f" "ELF fake library\n"));
    lib.files.insert(QStringLiteral("/usr/bin/fixture"), QByteArrayLiteral("#!/bin/sh\necho fixture\n"));
    lib.executables.append(QStringLiteral("/usr/bin/fixture"));
    lib.createdBy = QStringLiteral("RUN install-fixture");
    base.addLayer(lib);
    Restack::Result<BuiltImage> builtBase = m_factory.build(QStringLiteral("base"), base);
    QVERIFY2(builtBase.ok(), qPrintable(builtBase.ok() ? QString() : builtBase.error().toString()));
    m_base = *builtBase;

    ImageSpec app;
    app.base = QStringLiteral("base");
    app.addLayer({{QStringLiteral("/app/hello.txt"), QByteArrayLiteral("hello from the app\n")}},
                 QStringLiteral("COPY hello.txt /app/"));
    app.addCmd({QStringLiteral("/usr/bin/fixture"), QStringLiteral("--hello")});
    app.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("fixture app"));
    Restack::Result<BuiltImage> builtApp = m_factory.build(QStringLiteral("app"), app);
    QVERIFY2(builtApp.ok(), qPrintable(builtApp.ok() ? QString() : builtApp.error().toString()));
    m_app = *builtApp;
}

void FixtureTest::accessLogParsing()
{
    const auto entry = AccessLogEntry::parse(QStringLiteral(
        R"(127.0.0.1 - - [30/Nov/2026:01:19:22 +0000] "PUT /v2/demo/base/blobs/uploads/84?_state=o0N%3D&digest=sha256%3A0d HTTP/1.1" 201 0 "" "skopeo/1.9.3")"));
    QVERIFY(entry.has_value());
    QCOMPARE(entry->remoteAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(entry->method, QStringLiteral("PUT"));
    QCOMPARE(entry->uri, QStringLiteral("/v2/demo/base/blobs/uploads/84?_state=o0N%3D&digest=sha256%3A0d"));
    QCOMPARE(entry->path, QStringLiteral("/v2/demo/base/blobs/uploads/84"));
    QCOMPARE(entry->protocol, QStringLiteral("HTTP/1.1"));
    QCOMPARE(entry->status, 201);
    QCOMPARE(entry->bytes, 0);
    QCOMPARE(entry->userAgent, QStringLiteral("skopeo/1.9.3"));
    QCOMPARE(entry->time, QDateTime(QDate(2026, 11, 30), QTime(1, 19, 22), Qt::UTC));
    QVERIFY(entry->matches(QStringLiteral("PUT"), QStringLiteral("/v2/demo/base/blobs/uploads/[^/]+")));
    QVERIFY(!entry->matches(QStringLiteral("PUT"), QStringLiteral("/v2/demo/base")));

    const auto offset = AccessLogEntry::parse(QStringLiteral(
        R"(10.0.0.1 - - [01/Jan/2026:02:00:00 +0200] "GET /v2/ HTTP/1.1" 401 87 "" "Go-http-client/1.1")"));
    QVERIFY(offset.has_value());
    QCOMPARE(offset->time, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(offset->bytes, 87);

    // logrus lines are not access-log entries.
    QVERIFY(!AccessLogEntry::parse(QStringLiteral(
        R"(time="2026-11-30T01:18:57.342Z" level=info msg="response completed" http.request.method=GET http.request.uri=/v2/ http.response.status=200)")));
    QVERIFY(!AccessLogEntry::parse(QString()));
}

void FixtureTest::baseAndAppShareLayers()
{
    QCOMPARE(m_base.layerDigests.size(), 2);
    QCOMPARE(m_base.diffIds.size(), 2);
    QCOMPARE(m_base.history.size(), 3);
    QCOMPARE(m_base.history.at(1).toObject().value(QLatin1String("empty_layer")).toBool(), true);
    QCOMPARE(m_base.history.at(1).toObject().value(QLatin1String("created_by")).toString(),
             QStringLiteral("ENV PATH=/usr/local/bin:/usr/bin:/bin"));
    QCOMPARE(m_base.configJson.value(QLatin1String("os")).toString(), QStringLiteral("linux"));
    QCOMPARE(m_base.configJson.value(QLatin1String("architecture")).toString(), QStringLiteral("amd64"));

    // The app is the base plus its own steps: same blobs, same diff_ids, same history first.
    QCOMPARE(m_app.layerDigests.size(), 3);
    QCOMPARE(m_app.layerDigests.mid(0, 2), m_base.layerDigests);
    QCOMPARE(m_app.layerSizes.mid(0, 2), m_base.layerSizes);
    QCOMPARE(m_app.diffIds.mid(0, 2), m_base.diffIds);
    QCOMPARE(m_app.history.size(), m_base.history.size() + 2);
    for (qsizetype i = 0; i < m_base.history.size(); ++i)
        QCOMPARE(m_app.history.at(i).toObject(), m_base.history.at(i).toObject());
    QCOMPARE(m_app.history.at(3).toObject().value(QLatin1String("created_by")).toString(),
             QStringLiteral("COPY hello.txt /app/"));
    QVERIFY(!m_app.history.at(3).toObject().value(QLatin1String("empty_layer")).toBool());
    QCOMPARE(m_app.history.at(4).toObject().value(QLatin1String("empty_layer")).toBool(), true);

    const QJsonObject config = m_app.configJson.value(QLatin1String("config")).toObject();
    QCOMPARE(config.value(QLatin1String("Cmd")).toArray(),
             QJsonArray({QStringLiteral("/usr/bin/fixture"), QStringLiteral("--hello")}));
    QCOMPARE(config.value(QLatin1String("Env")).toArray(), QJsonArray({QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin")}));
    QCOMPARE(config.value(QLatin1String("Labels")).toObject().value(QLatin1String("org.opencontainers.image.title")).toString(),
             QStringLiteral("fixture app"));
    QCOMPARE(QJsonDocument::fromJson(m_app.manifest).object().value(QLatin1String("mediaType")).toString(),
             QStringLiteral("application/vnd.oci.image.manifest.v1+json"));
}

void FixtureTest::buildsAreReproducible()
{
    ImageSpec again;
    again.base = QStringLiteral("base");
    again.addLayer({{QStringLiteral("/app/hello.txt"), QByteArrayLiteral("hello from the app\n")}},
                   QStringLiteral("COPY hello.txt /app/"));
    again.addCmd({QStringLiteral("/usr/bin/fixture"), QStringLiteral("--hello")});
    again.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("fixture app"));
    const Restack::Result<BuiltImage> rebuilt = m_factory.build(QStringLiteral("app-again"), again);
    QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.ok() ? QString() : rebuilt.error().toString()));
    QCOMPARE(rebuilt->layerDigests, m_app.layerDigests);
    QCOMPARE(rebuilt->configDigest, m_app.configDigest);
    QCOMPARE(rebuilt->manifestDigest, m_app.manifestDigest);
}

void FixtureTest::pushAndVerify_data()
{
    QTest::addColumn<ImageFactory::Format>("format");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("manifestType");
    QTest::addColumn<QString>("configType");
    QTest::addColumn<QString>("layerType");

    QTest::newRow("oci") << ImageFactory::Format::Oci << QStringLiteral("oci")
                         << QStringLiteral("application/vnd.oci.image.manifest.v1+json")
                         << QStringLiteral("application/vnd.oci.image.config.v1+json")
                         << QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip");
    QTest::newRow("docker-v2s2") << ImageFactory::Format::DockerV2S2 << QStringLiteral("v2s2")
                                 << QStringLiteral("application/vnd.docker.distribution.manifest.v2+json")
                                 << QStringLiteral("application/vnd.docker.container.image.v1+json")
                                 << QStringLiteral("application/vnd.docker.image.rootfs.diff.tar.gzip");
}

void FixtureTest::pushAndVerify()
{
    QFETCH(ImageFactory::Format, format);
    QFETCH(QString, tag);
    QFETCH(QString, manifestType);
    QFETCH(QString, configType);
    QFETCH(QString, layerType);

    const QString baseRef = m_registry.host() + QStringLiteral("/fixture/base:") + tag;
    const QString appRef = m_registry.host() + QStringLiteral("/fixture/app:") + tag;
    const Restack::Result<QString> baseDigest = m_factory.push(QStringLiteral("base"), baseRef, format);
    QVERIFY2(baseDigest.ok(), qPrintable(baseDigest.ok() ? QString() : baseDigest.error().toString()));

    m_registry.markAccessLog();
    const Restack::Result<QString> appDigest = m_factory.push(QStringLiteral("app"), appRef, format);
    QVERIFY2(appDigest.ok(), qPrintable(appDigest.ok() ? QString() : appDigest.error().toString()));
    QVERIFY(appDigest->startsWith(QLatin1String("sha256:")));
    if (format == ImageFactory::Format::Oci)
        QCOMPARE(*appDigest, m_app.manifestDigest); // pushed byte for byte

    // The registry logged the manifest PUT after the mark, and nothing before it shows up.
    const auto put = m_registry.waitForAccessLog([&](const AccessLogEntry &e) {
        return e.matches(QStringLiteral("PUT"), QStringLiteral("/v2/fixture/app/manifests/") + tag);
    });
    QVERIFY2(put.has_value(), qPrintable(m_registry.logText()));
    QCOMPARE(put->status, 201);
    const QList<AccessLogEntry> sinceMark = m_registry.accessLogSinceMark();
    QVERIFY(std::none_of(sinceMark.cbegin(), sinceMark.cend(), [](const AccessLogEntry &e) {
        return e.path.startsWith(QLatin1String("/v2/fixture/base/manifests/"));
    }));

    ImageVerifier verifier;
    const Restack::Result<VerifiedImage> base = verifier.verify(baseRef);
    QVERIFY2(base.ok(), qPrintable(base.ok() ? QString() : base.error().toString()));
    QVERIFY2(base->ok(), qPrintable(base->errors.join(QLatin1Char('\n'))));
    QCOMPARE(base->manifestDigest, *baseDigest);

    const Restack::Result<VerifiedImage> app = verifier.verify(appRef);
    QVERIFY2(app.ok(), qPrintable(app.ok() ? QString() : app.error().toString()));
    QVERIFY2(app->ok(), qPrintable(app->errors.join(QLatin1Char('\n'))));
    QCOMPARE(app->manifestDigest, *appDigest);
    QCOMPARE(app->manifestMediaType, manifestType);
    QCOMPARE(app->configMediaType, configType);
    QCOMPARE(app->layerMediaTypes, QStringList({layerType, layerType, layerType}));
    QCOMPARE(app->diffIds, app->uncompressedDigests);
    QCOMPARE(app->diffIds, m_app.diffIds);
    // Conversion to Docker schema 2 changes media types only: blobs and config bytes stay.
    QCOMPARE(app->layerDigests, m_app.layerDigests);
    QCOMPARE(app->configDigest, m_app.configDigest);
    QCOMPARE(app->layerDigests.mid(0, 2), base->layerDigests);

    // Looked up by digest, the same manifest comes back.
    const Restack::Result<VerifiedImage> byDigest =
        verifier.verify(m_registry.host() + QStringLiteral("/fixture/app@") + *appDigest);
    QVERIFY2(byDigest.ok(), qPrintable(byDigest.ok() ? QString() : byDigest.error().toString()));
    QVERIFY2(byDigest->ok(), qPrintable(byDigest->errors.join(QLatin1Char('\n'))));
    QCOMPARE(byDigest->manifest, app->manifest);

    // The exact bytes, as a client sees them.
    const Restack::Result<QByteArray> rawManifest = verifier.rawManifest(appRef);
    QVERIFY(rawManifest.ok());
    QCOMPARE(*rawManifest, app->manifest);
    const Restack::Result<QByteArray> rawConfig = verifier.rawConfig(appRef);
    QVERIFY(rawConfig.ok());
    QCOMPARE(*rawConfig, m_app.config);

    const Restack::Result<Rootfs> rootfs = verifier.unpack(*app);
    QVERIFY2(rootfs.ok(), qPrintable(rootfs.ok() ? QString() : rootfs.error().toString()));
    QCOMPARE(rootfs->fileContents(QStringLiteral("/etc/os-release")), QByteArrayLiteral("NAME=\"Fixture OS\"\nVERSION=1\n"));
    QCOMPARE(rootfs->fileContents(QStringLiteral("/app/hello.txt")), QByteArrayLiteral("hello from the app\n"));
    QVERIFY(rootfs->isExecutable(QStringLiteral("/usr/bin/fixture")));
    QVERIFY(!rootfs->isExecutable(QStringLiteral("/usr/lib/libfixture.so.1")));
    QVERIFY(!rootfs->fileExists(QStringLiteral("/nonexistent")));
    QCOMPARE(rootfs->files(), QStringList({QStringLiteral("/app/hello.txt"), QStringLiteral("/etc/os-release"),
                                           QStringLiteral("/usr/bin/fixture"), QStringLiteral("/usr/lib/libfixture.so.1")}));
}

void FixtureTest::verifierReportsUnknownManifest()
{
    ImageVerifier verifier;
    const Restack::Result<VerifiedImage> missing = verifier.verify(m_registry.host() + QStringLiteral("/fixture/app:nope"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.contains(QLatin1String("manifest unknown")), qPrintable(missing.error().message));
}

void FixtureTest::authenticatedRegistry()
{
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("alice"), QStringLiteral("s3cret"));
    options.validation = QStringLiteral("manifests:\n  urls:\n    allow:\n      - ^https?://example\\.invalid/\n");
    options.storageExtra = QStringLiteral("maintenance:\n  uploadpurging:\n    enabled: false\n");
    RegistryFixture registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error)); // GET /v2/ answering 401 counts as ready
    const auto challenge = registry.waitForAccessLog([](const AccessLogEntry &e) { return e.path == QLatin1String("/v2/"); });
    QVERIFY(challenge.has_value());
    QCOMPARE(challenge->status, 401);

    const QString reference = registry.host() + QStringLiteral("/private/app:1");
    const Restack::Result<QString> anonymous = m_factory.push(QStringLiteral("app"), reference);
    QVERIFY(!anonymous.ok());
    QVERIFY2(anonymous.error().message.contains(QLatin1String("authentication required"), Qt::CaseInsensitive)
                 || anonymous.error().message.contains(QLatin1String("unauthorized"), Qt::CaseInsensitive),
             qPrintable(anonymous.error().message));

    m_factory.setCredentials(QStringLiteral("alice"), QStringLiteral("s3cret"));
    const auto resetCredentials = qScopeGuard([this] { m_factory.setCredentials({}, {}); });
    const Restack::Result<QString> pushed = m_factory.push(QStringLiteral("app"), reference);
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    QCOMPARE(*pushed, m_app.manifestDigest);

    ImageVerifier verifier;
    QVERIFY(!verifier.verify(reference).ok());
    verifier.setCredentials(QStringLiteral("alice"), QStringLiteral("s3cret"));
    const Restack::Result<VerifiedImage> image = verifier.verify(reference);
    QVERIFY2(image.ok(), qPrintable(image.ok() ? QString() : image.error().toString()));
    QVERIFY2(image->ok(), qPrintable(image->errors.join(QLatin1Char('\n'))));
}

void FixtureTest::duplicateConfigKeysAreRejected()
{
    RegistryOptions options;
    options.extraConfig = QStringLiteral("http:\n  addr: 127.0.0.1:1\n");
    RegistryFixture registry(options);
    QString error;
    QVERIFY(!registry.start(&error));
    QVERIFY2(error.contains(QLatin1String("http")), qPrintable(error));
    QVERIFY(!registry.isRunning());
}

void FixtureTest::cleanupTestCase()
{
    const QString storage = m_registry.storageDir();
    m_registry.stop();
    QVERIFY(!m_registry.isRunning());
    // Pushed content is on disk in the registry's storage.
    QVERIFY(QFileInfo(storage + QStringLiteral("/docker/registry/v2/repositories/fixture/app")).isDir());
}

QTEST_GUILESS_MAIN(FixtureTest)
#include "tst_fixture.moc"
