// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Multi-platform images, assembled indexes and Windows-like images, against a real docker-registry:
// - an index of linux/amd64, linux/arm64 and linux/arm/v7 images (built with umoci, children pushed
//   with skopeo, the index put together here) rebased whole, a subset with --platform, a new base
//   lacking a platform, attestation entries dropped, a single image refused over an index;
// - `restack manifest create` and `restack manifest push from-spec` (manifest-tool's YAML);
// - the scenario that started Restack: an app on a 14393-like Windows base whose base layers are
//   foreign (URLs, never in the registry) rebased onto a 16299-like base found by the os.version
//   tag rule, then both variants joined under one tag in a manifest list.
// Results are checked with skopeo and umoci (ImageVerifier) and by reading every manifest and
// descriptor the registry serves.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "rawpusher.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

namespace
{

const QString OciIndex = QStringLiteral("application/vnd.oci.image.index.v1+json");
const QString OciManifest = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
const QString DockerList = QStringLiteral("application/vnd.docker.distribution.manifest.list.v2+json");
const QString DockerManifest = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
const QString DockerConfig = QStringLiteral("application/vnd.docker.container.image.v1+json");
const QString DockerForeign = QStringLiteral("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
const QString DockerLayer = QStringLiteral("application/vnd.docker.image.rootfs.diff.tar.gzip");

struct Arch
{
    QString name;         ///< tag suffix
    QString architecture;
    QString variant;
};

const QList<Arch> Arches{{QStringLiteral("amd64"), QStringLiteral("amd64"), QString()},
                         {QStringLiteral("arm64"), QStringLiteral("arm64"), QString()},
                         {QStringLiteral("armv7"), QStringLiteral("arm"), QStringLiteral("v7")}};

RegistryOptions foreignUrlsAllowed()
{
    RegistryOptions options;
    // Windows base layers live at Microsoft's URLs: the registry must accept manifests naming them.
    options.validation = QStringLiteral("manifests:\n  urls:\n    allow:\n      - ^https://example\\.invalid/\n");
    return options;
}

QString fakeDigest(quint32 seed)
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), 8);
    return sha256Digest(bytes);
}

QJsonObject platformJson(const QString &os, const QString &architecture, const QString &variant = {},
                         const QString &osVersion = {})
{
    QJsonObject p{{QStringLiteral("os"), os}, {QStringLiteral("architecture"), architecture}};
    if (!variant.isEmpty())
        p.insert(QStringLiteral("variant"), variant);
    if (!osVersion.isEmpty())
        p.insert(QStringLiteral("os.version"), osVersion);
    return p;
}

} // namespace

class MultiPlatformTest : public QObject
{
    Q_OBJECT

public:
    MultiPlatformTest()
        : m_registry(foreignUrlsAllowed())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void rebaseWholeIndex();
    void rebaseIndexSubset();
    void newBaseLacksPlatforms();
    void singleImageNeverReplacesAnIndex();
    void manifestCreate();
    void manifestCreateRejectsDuplicatePlatforms();
    void manifestPushFromSpec();
    void windowsForeignLayersAndManifestList();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    /** Pushes an OCI index of @p children (descriptor objects) as REPO:TAG; returns its digest. */
    QString pushIndex(const QString &repository, const QString &tag, const QJsonArray &children);
    /** The descriptor of a factory image pushed to REPO:TAG (OCI pushes keep the bytes). */
    QJsonObject childDescriptor(const QString &factoryTag, const Arch &arch) const;
    /** Checks one rebased child: base2's layers for @p arch then the app's own, and the unpacked files. */
    void checkRebasedChild(const QString &childReference, const Arch &arch);
    /** The index at @p reference as the registry serves it. */
    QJsonObject indexAt(const QString &reference);

    RegistryFixture m_registry;
    ImageFactory m_factory;
    ImageVerifier m_verifier;
    std::unique_ptr<RawPusher> m_pusher;
    QMap<QString, QString> m_digests; ///< "multi/base:2.0" etc. -> manifest or index digest
};

QJsonObject MultiPlatformTest::childDescriptor(const QString &factoryTag, const Arch &arch) const
{
    const auto image = m_factory.image(factoryTag);
    Q_ASSERT(image.ok());
    return {{QStringLiteral("mediaType"), OciManifest},
            {QStringLiteral("digest"), image->manifestDigest},
            {QStringLiteral("size"), image->manifest.size()},
            {QStringLiteral("platform"), platformJson(QStringLiteral("linux"), arch.architecture, arch.variant)}};
}

QString MultiPlatformTest::pushIndex(const QString &repository, const QString &tag, const QJsonArray &children)
{
    const QJsonObject index{{QStringLiteral("schemaVersion"), 2},
                            {QStringLiteral("mediaType"), OciIndex},
                            {QStringLiteral("manifests"), children}};
    const auto digest = m_pusher->pushManifest(repository, tag, RawPusher::json(index), OciIndex);
    return digest.ok() ? *digest : QString();
}

QJsonObject MultiPlatformTest::indexAt(const QString &reference)
{
    const auto raw = m_verifier.rawManifest(reference);
    if (!raw.ok())
        return {};
    return QJsonDocument::fromJson(*raw).object();
}

void MultiPlatformTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_pusher = std::make_unique<RawPusher>(m_registry.host());

    QJsonArray base1Children, base2Children, appChildren, partialChildren;
    for (const Arch &arch : Arches) {
        ImageSpec base1;
        base1.architecture = arch.architecture;
        base1.variant = arch.variant;
        base1.addLayer({{QStringLiteral("/etc/os-release"), QStringLiteral("Demo OS 1.0 (%1)\n").arg(arch.name).toUtf8()}},
                       QStringLiteral("COPY os-release /etc/"));
        base1.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
        base1.addLayer({{QStringLiteral("/usr/lib/libold-%1.so").arg(arch.name), QByteArrayLiteral("old\n")}},
                       QStringLiteral("COPY libold /usr/lib/"));
        ImageSpec base2;
        base2.architecture = arch.architecture;
        base2.variant = arch.variant;
        base2.addLayer({{QStringLiteral("/etc/os-release"), QStringLiteral("Demo OS 2.0 (%1)\n").arg(arch.name).toUtf8()},
                        {QStringLiteral("/usr/lib/libnew-%1.so").arg(arch.name), QByteArrayLiteral("new\n")}},
                       QStringLiteral("COPY rootfs /"));
        ImageSpec app;
        app.base = QStringLiteral("base1-") + arch.name;
        app.architecture = arch.architecture;
        app.variant = arch.variant;
        app.addLayer({{QStringLiteral("/app/%1").arg(arch.name), QByteArrayLiteral("app binary\n")}},
                     QStringLiteral("COPY app /app/"));
        app.addEntrypoint({QStringLiteral("/app/") + arch.name});

        for (const auto &[tag, spec, target] :
             {std::tuple<QString, ImageSpec, QString>{QStringLiteral("base1-") + arch.name, base1,
                                                      QStringLiteral("multi/base:1.0-") + arch.name},
              std::tuple<QString, ImageSpec, QString>{QStringLiteral("base2-") + arch.name, base2,
                                                      QStringLiteral("multi/base:2.0-") + arch.name},
              std::tuple<QString, ImageSpec, QString>{QStringLiteral("app-") + arch.name, app,
                                                      QStringLiteral("multi/app:1.0-") + arch.name}}) {
            const auto pushed = m_factory.buildAndPush(tag, spec, ref(target));
            QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
            m_digests.insert(target, *pushed);
        }
        const auto partial = m_factory.push(QStringLiteral("base2-") + arch.name, ref(QStringLiteral("partial/base:2.0-") + arch.name));
        QVERIFY(partial.ok());
        base1Children.append(childDescriptor(QStringLiteral("base1-") + arch.name, arch));
        base2Children.append(childDescriptor(QStringLiteral("base2-") + arch.name, arch));
        appChildren.append(childDescriptor(QStringLiteral("app-") + arch.name, arch));
        if (arch.name != QLatin1String("armv7"))
            partialChildren.append(childDescriptor(QStringLiteral("base2-") + arch.name, arch));
    }
    // Check the factory really wrote the arm variant.
    QCOMPARE(m_factory.image(QStringLiteral("app-armv7"))->configJson.value(QLatin1String("variant")).toString(),
             QStringLiteral("v7"));

    // An attestation manifest (as buildx attaches): platform unknown/unknown, describing the amd64 image.
    const auto statement = m_pusher->pushBlob(QStringLiteral("multi/app"), QByteArrayLiteral("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}"));
    const auto emptyConfig = m_pusher->pushBlob(QStringLiteral("multi/app"), QByteArrayLiteral("{}"));
    QVERIFY(statement.ok() && emptyConfig.ok());
    const QJsonObject attestation{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), OciManifest},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.config.v1+json")},
                                               {QStringLiteral("digest"), *emptyConfig},
                                               {QStringLiteral("size"), 2}}},
        {QStringLiteral("layers"), QJsonArray{QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.in-toto+json")},
                                                          {QStringLiteral("digest"), *statement},
                                                          {QStringLiteral("size"), 44}}}}};
    const QByteArray attestationBytes = RawPusher::json(attestation);
    const auto attestationDigest = m_pusher->pushManifest(QStringLiteral("multi/app"), sha256Digest(attestationBytes),
                                                          attestationBytes, OciManifest);
    QVERIFY2(attestationDigest.ok(), qPrintable(attestationDigest.ok() ? QString() : attestationDigest.error().toString()));
    appChildren.append(QJsonObject{
        {QStringLiteral("mediaType"), OciManifest},
        {QStringLiteral("digest"), *attestationDigest},
        {QStringLiteral("size"), attestationBytes.size()},
        {QStringLiteral("platform"), platformJson(QStringLiteral("unknown"), QStringLiteral("unknown"))},
        {QStringLiteral("annotations"), QJsonObject{{QStringLiteral("vnd.docker.reference.type"), QStringLiteral("attestation-manifest")},
                                                    {QStringLiteral("vnd.docker.reference.digest"),
                                                     m_digests.value(QStringLiteral("multi/app:1.0-amd64"))}}}});

    m_digests.insert(QStringLiteral("multi/base:1.0"), pushIndex(QStringLiteral("multi/base"), QStringLiteral("1.0"), base1Children));
    m_digests.insert(QStringLiteral("multi/base:2.0"), pushIndex(QStringLiteral("multi/base"), QStringLiteral("2.0"), base2Children));
    m_digests.insert(QStringLiteral("multi/app:1.0"), pushIndex(QStringLiteral("multi/app"), QStringLiteral("1.0"), appChildren));
    m_digests.insert(QStringLiteral("partial/base:2.0"),
                     pushIndex(QStringLiteral("partial/base"), QStringLiteral("2.0"), partialChildren));
    // A tag that holds an index, for the single-image-over-index check.
    m_digests.insert(QStringLiteral("multi/app:index-tag"),
                     pushIndex(QStringLiteral("multi/app"), QStringLiteral("index-tag"), appChildren));
    for (auto it = m_digests.cbegin(); it != m_digests.cend(); ++it)
        QVERIFY2(!it.value().isEmpty(), qPrintable(it.key()));
}

void MultiPlatformTest::checkRebasedChild(const QString &childReference, const Arch &arch)
{
    const auto verified = m_verifier.verify(childReference);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    const auto base2 = m_factory.image(QStringLiteral("base2-") + arch.name);
    const auto app = m_factory.image(QStringLiteral("app-") + arch.name);
    QCOMPARE(verified->layerDigests, (QStringList{base2->layerDigests.first(), app->layerDigests.last()}));
    QCOMPARE(verified->configJson.value(QLatin1String("architecture")).toString(), arch.architecture);
    QCOMPARE(verified->configJson.value(QLatin1String("variant")).toString(), arch.variant);
    QCOMPARE(verified->configJson.value(QLatin1String("config")).toObject().value(QLatin1String("Entrypoint")).toArray(),
             QJsonArray{QString(QStringLiteral("/app/") + arch.name)});
    const auto rootfs = m_verifier.unpack(*verified);
    QVERIFY(rootfs.ok());
    QCOMPARE(rootfs->fileContents(QStringLiteral("/etc/os-release")), QStringLiteral("Demo OS 2.0 (%1)\n").arg(arch.name).toUtf8());
    QVERIFY(rootfs->fileExists(QStringLiteral("/usr/lib/libnew-%1.so").arg(arch.name)));
    QVERIFY(rootfs->fileExists(QStringLiteral("/app/") + arch.name));
    QVERIFY(!rootfs->fileExists(QStringLiteral("/usr/lib/libold-%1.so").arg(arch.name)));
}

void MultiPlatformTest::rebaseWholeIndex()
{
    const QString target = ref(QStringLiteral("multi/app:rebased"));
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("multi/app:1.0")), QStringLiteral("-b"),
                                   ref(QStringLiteral("multi/base:2.0")), QStringLiteral("--old-base"),
                                   ref(QStringLiteral("multi/base:1.0")), QStringLiteral("-t"), target});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("The target is an index of 3 platforms")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("1 attestation manifest of the source")), run.describe());
    const QString digest = reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target);
    QVERIFY(!digest.isEmpty());

    const auto raw = m_verifier.rawManifest(target);
    QVERIFY(raw.ok());
    QCOMPARE(sha256Digest(*raw), digest);
    const QJsonObject index = QJsonDocument::fromJson(*raw).object();
    QCOMPARE(index.value(QLatin1String("mediaType")).toString(), OciIndex);
    const QJsonArray manifests = index.value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 3); // the attestation is gone
    const QJsonObject annotations = index.value(QLatin1String("annotations")).toObject();
    QCOMPARE(annotations.value(QLatin1String("org.opencontainers.image.base.name")).toString(), ref(QStringLiteral("multi/base:2.0")));
    QCOMPARE(annotations.value(QLatin1String("org.opencontainers.image.base.digest")).toString(),
             m_digests.value(QStringLiteral("multi/base:2.0")));
    for (int i = 0; i < Arches.size(); ++i) {
        const Arch &arch = Arches.at(i);
        const QJsonObject child = manifests.at(i).toObject();
        QCOMPARE(child.value(QLatin1String("platform")).toObject(), platformJson(QStringLiteral("linux"), arch.architecture, arch.variant));
        QCOMPARE(child.value(QLatin1String("mediaType")).toString(), OciManifest);
        const QString childDigest = child.value(QLatin1String("digest")).toString();
        const auto childRaw = m_verifier.rawManifest(ref(QStringLiteral("multi/app@")) + childDigest);
        QVERIFY(childRaw.ok());
        QCOMPARE(child.value(QLatin1String("size")).toInteger(), childRaw->size());
        // Each child names its own platform's base.
        const QJsonObject childAnnotations = QJsonDocument::fromJson(*childRaw).object().value(QLatin1String("annotations")).toObject();
        QCOMPARE(childAnnotations.value(QLatin1String("org.opencontainers.image.base.digest")).toString(),
                 m_digests.value(QStringLiteral("multi/base:2.0-") + arch.name));
        checkRebasedChild(ref(QStringLiteral("multi/app@")) + childDigest, arch);
    }

    // The result names its base: rebasing it again finds the old base without --old-base.
    const CliRun again = runRestack({QStringLiteral("rebase"), target, QStringLiteral("-b"), ref(QStringLiteral("multi/base:1.0")),
                                     QStringLiteral("-t"), ref(QStringLiteral("multi/app:back")), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(again.exited && again.exitCode == 0, again.describe());
    RESTACK_VERIFY_OR_DUMP(again.standardOutput.count(QLatin1String("[from annotations]")) == 3, again.describe());
}

void MultiPlatformTest::rebaseIndexSubset()
{
    const QString target = ref(QStringLiteral("multi/app:arm64-only"));
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("multi/app:1.0")), QStringLiteral("-b"),
                                   ref(QStringLiteral("multi/base:2.0")), QStringLiteral("--old-base"),
                                   ref(QStringLiteral("multi/base:1.0")), QStringLiteral("-t"), target, QStringLiteral("--platform"),
                                   QStringLiteral("linux/arm64"), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("platforms left out of the result as asked (--platform): "
                                                                     "linux/amd64, linux/arm/v7")),
                           run.describe());
    const QJsonArray manifests = indexAt(target).value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 1);
    QCOMPARE(manifests.at(0).toObject().value(QLatin1String("platform")).toObject(),
             platformJson(QStringLiteral("linux"), QStringLiteral("arm64")));
    checkRebasedChild(ref(QStringLiteral("multi/app@")) + manifests.at(0).toObject().value(QLatin1String("digest")).toString(),
                      Arches.at(1));
}

void MultiPlatformTest::newBaseLacksPlatforms()
{
    m_registry.markAccessLog();
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("multi/app:1.0")), QStringLiteral("-b"),
                                   ref(QStringLiteral("partial/base:2.0")), QStringLiteral("--old-base"),
                                   ref(QStringLiteral("multi/base:1.0")), QStringLiteral("-t"),
                                   ref(QStringLiteral("multi/app:partial")), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.errorLines().size() == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("has no image for 1 of the source's platforms (linux/arm/v7)")),
                           run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("--platform")), run.describe());
    QVERIFY(syncAccessLog(m_registry));
    const QString problems = writesBeyondCancelledSessions(requestsSinceMark(m_registry));
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QVERIFY(openUploadSessions(m_registry, QStringLiteral("multi/app")).isEmpty());

    // Choosing the platforms the new base has works.
    const CliRun subset = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("multi/app:1.0")), QStringLiteral("-b"),
                                      ref(QStringLiteral("partial/base:2.0")), QStringLiteral("--old-base"),
                                      ref(QStringLiteral("multi/base:1.0")), QStringLiteral("-t"),
                                      ref(QStringLiteral("multi/app:partial")), QStringLiteral("--platform"),
                                      QStringLiteral("linux/amd64"), QStringLiteral("--platform"), QStringLiteral("linux/arm64"),
                                      QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(subset.exited && subset.exitCode == 0, subset.describe());
    QCOMPARE(indexAt(ref(QStringLiteral("multi/app:partial"))).value(QLatin1String("manifests")).toArray().size(), 2);
}

void MultiPlatformTest::singleImageNeverReplacesAnIndex()
{
    const QString target = ref(QStringLiteral("multi/app:index-tag"));
    const QStringList arguments{QStringLiteral("rebase"), ref(QStringLiteral("multi/app:1.0-amd64")), QStringLiteral("-b"),
                                ref(QStringLiteral("multi/base:2.0")), QStringLiteral("--old-base"),
                                ref(QStringLiteral("multi/base:1.0")), QStringLiteral("-t"), target, QStringLiteral("-q")};
    const CliRun refused = runRestack(arguments);
    RESTACK_VERIFY_OR_DUMP(refused.exited && refused.exitCode == 2, refused.describe());
    RESTACK_VERIFY_OR_DUMP(refused.standardError.contains(QLatin1String("--replace-index")), refused.describe());
    QCOMPARE(sha256Digest(*m_verifier.rawManifest(target)), m_digests.value(QStringLiteral("multi/app:index-tag")));

    // The single-platform image's new base is found in the index of the new base by its platform.
    const CliRun replaced = runRestack(arguments + QStringList{QStringLiteral("--replace-index")});
    RESTACK_VERIFY_OR_DUMP(replaced.exited && replaced.exitCode == 0, replaced.describe());
    const QJsonObject manifest = indexAt(target);
    QCOMPARE(manifest.value(QLatin1String("mediaType")).toString(), OciManifest);
    checkRebasedChild(target, Arches.at(0));
}

void MultiPlatformTest::manifestCreate()
{
    const QString target = ref(QStringLiteral("joined/base:2.0"));
    m_registry.markAccessLog();
    const CliRun run = runRestack({QStringLiteral("manifest"), QStringLiteral("create"), target,
                                   ref(QStringLiteral("multi/base:2.0-amd64")), ref(QStringLiteral("multi/base:2.0-arm64")),
                                   QStringLiteral("--tag"), QStringLiteral("2"), QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    // What restack asked for, before the checks below read the registry too.
    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(m_registry);
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    const QString digest = report.value(QLatin1String("digest")).toString();
    QCOMPARE(report.value(QLatin1String("tags")).toArray(), (QJsonArray{QStringLiteral("2.0"), QStringLiteral("2")}));

    for (const QString &tag : {QStringLiteral("2.0"), QStringLiteral("2")}) {
        const auto raw = m_verifier.rawManifest(ref(QStringLiteral("joined/base:")) + tag);
        QVERIFY(raw.ok());
        QCOMPARE(sha256Digest(*raw), digest);
    }
    const QJsonObject index = indexAt(target);
    QCOMPARE(index.value(QLatin1String("mediaType")).toString(), OciIndex);
    const QJsonArray manifests = index.value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const Arch &arch = Arches.at(i);
        const QJsonObject child = manifests.at(i).toObject();
        QCOMPARE(child.value(QLatin1String("digest")).toString(), m_digests.value(QStringLiteral("multi/base:2.0-") + arch.name));
        QCOMPARE(child.value(QLatin1String("platform")).toObject(), platformJson(QStringLiteral("linux"), arch.architecture));
        // The child was brought into the index's repository: complete and consistent there.
        const auto verified = m_verifier.verify(ref(QStringLiteral("joined/base@")) + child.value(QLatin1String("digest")).toString());
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
        QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    }
    // Same registry: blobs were mounted, never downloaded (only the two configs were read).
    const QStringList downloads = blobDownloads(requests);
    for (const QString &d : downloads)
        QVERIFY2(d == m_factory.image(QStringLiteral("base2-amd64"))->configDigest
                     || d == m_factory.image(QStringLiteral("base2-arm64"))->configDigest,
                 qPrintable(d));
    QCOMPARE(mountRequests(requests).size(), 4); // 2 configs + 2 layers
}

void MultiPlatformTest::manifestCreateRejectsDuplicatePlatforms()
{
    const CliRun run = runRestack({QStringLiteral("manifest"), QStringLiteral("create"), ref(QStringLiteral("joined/dup:1")),
                                   ref(QStringLiteral("multi/base:2.0-amd64")), ref(QStringLiteral("multi/app:1.0-amd64")),
                                   QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 2, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("are both linux/amd64")), run.describe());
    QVERIFY(!m_verifier.rawManifest(ref(QStringLiteral("joined/dup:1"))).ok());
}

void MultiPlatformTest::manifestPushFromSpec()
{
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("manifest.yml"));
    QVERIFY(writeFile(spec, QStringLiteral("image: %1\n"
                                           "tags: ['2', 'latest']\n"
                                           "manifests:\n"
                                           "  - image: %2\n"
                                           "    platform:\n"
                                           "      architecture: arm\n"
                                           "      os: linux\n"
                                           "      variant: v7\n"
                                           "  - image: %3\n"
                                           "    platform:\n"
                                           "      architecture: amd64\n"
                                           "      os: linux\n"
                                           "      features: [sse4]\n")
                                .arg(ref(QStringLiteral("spec/base:2.0")), ref(QStringLiteral("multi/base:2.0-armv7")),
                                     ref(QStringLiteral("multi/base:2.0-amd64")))
                                .toUtf8())
                .ok());
    const CliRun run = runRestack({QStringLiteral("manifest"), QStringLiteral("push"), QStringLiteral("from-spec"), spec,
                                   QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QString digest;
    for (const QString &tag : {QStringLiteral("2.0"), QStringLiteral("2"), QStringLiteral("latest")}) {
        const auto raw = m_verifier.rawManifest(ref(QStringLiteral("spec/base:")) + tag);
        QVERIFY2(raw.ok(), qPrintable(tag));
        if (digest.isEmpty())
            digest = sha256Digest(*raw);
        QCOMPARE(sha256Digest(*raw), digest);
    }
    const QJsonArray manifests = indexAt(ref(QStringLiteral("spec/base:latest"))).value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 2);
    QCOMPARE(manifests.at(0).toObject().value(QLatin1String("platform")).toObject(),
             platformJson(QStringLiteral("linux"), QStringLiteral("arm"), QStringLiteral("v7")));
    QJsonObject amd64 = platformJson(QStringLiteral("linux"), QStringLiteral("amd64"));
    amd64.insert(QStringLiteral("os.features"), QJsonArray{QStringLiteral("sse4")});
    QCOMPARE(manifests.at(1).toObject().value(QLatin1String("platform")).toObject(), amd64);

    // A spec with a typo is refused with its line.
    QVERIFY(writeFile(spec, QByteArrayLiteral("image: a/b:1\nmanifest:\n  - image: c/d:1\n")).ok());
    const CliRun typo = runRestack({QStringLiteral("manifest"), QStringLiteral("push"), QStringLiteral("from-spec"), spec});
    RESTACK_VERIFY_OR_DUMP(typo.exited && typo.exitCode == 2, typo.describe());
    RESTACK_VERIFY_OR_DUMP(typo.standardError.contains(QLatin1String("unknown key \"manifest\" (line 2)")), typo.describe());
}

// The seed scenario: Windows images whose base layers are foreign (they live at Microsoft's URLs
// and never in the registry), an app built on the 14393 base, rebased onto the 16299 ("1709")
// base found by the os.version tag, then both variants joined in one manifest list.
void MultiPlatformTest::windowsForeignLayersAndManifestList()
{
    struct WindowsBase
    {
        QString tag;
        QString osVersion;
        QJsonArray layers;  ///< foreign descriptors
        QStringList diffIds;
        QJsonArray history;
    };
    auto makeBase = [](const QString &tag, const QString &osVersion, quint32 seed) {
        WindowsBase base{tag, osVersion, {}, {}, {}};
        for (int i = 0; i < 2; ++i) {
            const QString digest = fakeDigest(seed + i);
            base.layers.append(QJsonObject{
                {QStringLiteral("mediaType"), DockerForeign},
                {QStringLiteral("size"), 100'000'000 + i},
                {QStringLiteral("digest"), digest},
                {QStringLiteral("urls"), QJsonArray{QStringLiteral("https://example.invalid/nanoserver/%1/layer%2.tar.gz")
                                                        .arg(osVersion)
                                                        .arg(i)}}});
            base.diffIds << fakeDigest(seed + 100 + i);
            base.history.append(QJsonObject{{QStringLiteral("created_by"), i == 0 ? QStringLiteral("Apply image %1").arg(osVersion)
                                                                                   : QStringLiteral("Install update %1").arg(osVersion)}});
        }
        return base;
    };
    const WindowsBase ltsc2016 = makeBase(QStringLiteral("10.0.14393.1884"), QStringLiteral("10.0.14393.1884"), 1000);
    const WindowsBase v1709 = makeBase(QStringLiteral("1709"), QStringLiteral("10.0.16299.19"), 2000);

    auto config = [](const QString &osVersion, const QStringList &diffIds, const QJsonArray &history,
                     const QStringList &entrypoint) {
        QJsonObject c{{QStringLiteral("architecture"), QStringLiteral("amd64")},
                      {QStringLiteral("os"), QStringLiteral("windows")},
                      {QStringLiteral("os.version"), osVersion},
                      {QStringLiteral("created"), QStringLiteral("2017-11-01T00:00:00Z")},
                      {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                                             {QStringLiteral("diff_ids"), QJsonArray::fromStringList(diffIds)}}},
                      {QStringLiteral("history"), history}};
        if (!entrypoint.isEmpty())
            c.insert(QStringLiteral("config"), QJsonObject{{QStringLiteral("Entrypoint"), QJsonArray::fromStringList(entrypoint)}});
        return RawPusher::json(c);
    };
    auto pushImage = [this](const QString &repository, const QString &tag, const QByteArray &configBytes,
                            const QJsonArray &layers) -> QString {
        const auto configDigest = m_pusher->pushBlob(repository, configBytes);
        if (!configDigest.ok())
            return QString();
        const QJsonObject manifest{{QStringLiteral("schemaVersion"), 2},
                                   {QStringLiteral("mediaType"), DockerManifest},
                                   {QStringLiteral("config"), QJsonObject{{QStringLiteral("mediaType"), DockerConfig},
                                                                          {QStringLiteral("size"), configBytes.size()},
                                                                          {QStringLiteral("digest"), *configDigest}}},
                                   {QStringLiteral("layers"), layers}};
        const auto digest = m_pusher->pushManifest(repository, tag, RawPusher::json(manifest), DockerManifest);
        return digest.ok() ? *digest : QString();
    };

    for (const WindowsBase *base : {&ltsc2016, &v1709})
        QVERIFY(!pushImage(QStringLiteral("windows/nanoserver"), base->tag,
                           config(base->osVersion, base->diffIds, base->history, {}), base->layers)
                     .isEmpty());
    // The app: a real layer (curl.exe) on the 14393 base.
    ImageSpec curlLayer;
    curlLayer.addLayer({{QStringLiteral("/Files/curl.exe"), QByteArrayLiteral("MZ curl 7.56.1\n")}}, QStringLiteral("COPY curl.exe /"));
    const auto built = m_factory.build(QStringLiteral("curl-layer"), curlLayer);
    QVERIFY(built.ok());
    const auto layerBlob = readFile(ociBlobPath(m_factory.layoutDir(), built->layerDigests.first()));
    QVERIFY(layerBlob.ok());
    QCOMPARE(*m_pusher->pushBlob(QStringLiteral("curl/curl-windows"), *layerBlob), built->layerDigests.first());
    QJsonArray appLayers = ltsc2016.layers;
    appLayers.append(QJsonObject{{QStringLiteral("mediaType"), DockerLayer},
                                 {QStringLiteral("size"), layerBlob->size()},
                                 {QStringLiteral("digest"), built->layerDigests.first()}});
    QJsonArray appHistory = ltsc2016.history;
    appHistory.append(QJsonObject{{QStringLiteral("created_by"), QStringLiteral("COPY curl.exe /")}});
    appHistory.append(QJsonObject{{QStringLiteral("created_by"), QStringLiteral("ENTRYPOINT [\"curl.exe\"]")},
                                  {QStringLiteral("empty_layer"), true}});
    const QString app2016 = pushImage(QStringLiteral("curl/curl-windows"), QStringLiteral("7.56.1-2016"),
                                      config(ltsc2016.osVersion, ltsc2016.diffIds + QStringList{built->diffIds.first()},
                                             appHistory, {QStringLiteral("curl.exe")}),
                                      appLayers);
    QVERIFY(!app2016.isEmpty());

    // find-base lists the 14393 base, found by the os.version tag.
    const CliRun found = runRestack({QStringLiteral("find-base"), ref(QStringLiteral("curl/curl-windows:7.56.1-2016")),
                                     QStringLiteral("--in"), ref(QStringLiteral("windows/nanoserver")), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(found.exited && found.exitCode == 0, found.describe());
    RESTACK_VERIFY_OR_DUMP(found.outputLines().value(1).startsWith(QLatin1String("2/3")), found.describe());
    RESTACK_VERIFY_OR_DUMP(found.outputLines().value(1).endsWith(QLatin1String("10.0.14393.1884  (os.version tag)")), found.describe());

    // Rebase onto 1709 without --old-base (Docker schema 2: no annotations): the os.version tag rule.
    m_registry.markAccessLog();
    const QString target1709 = ref(QStringLiteral("curl/curl-windows:7.56.1-1709"));
    const CliRun run = runRestack({QStringLiteral("rebase"), ref(QStringLiteral("curl/curl-windows:7.56.1-2016")),
                                   QStringLiteral("-t"), target1709, QStringLiteral("-b"), ref(QStringLiteral("windows/nanoserver:1709"))});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("[from os.version tag]")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("2 foreign (not touched)")), run.describe());

    const QJsonObject rebased = indexAt(target1709);
    QCOMPARE(rebased.value(QLatin1String("mediaType")).toString(), DockerManifest);
    const QJsonArray layers = rebased.value(QLatin1String("layers")).toArray();
    QCOMPARE(layers.size(), 3);
    // The new base's foreign descriptors verbatim (urls kept), then the app's layer.
    QCOMPARE(layers.at(0).toObject(), v1709.layers.at(0).toObject());
    QCOMPARE(layers.at(1).toObject(), v1709.layers.at(1).toObject());
    QCOMPARE(layers.at(2).toObject().value(QLatin1String("digest")).toString(), built->layerDigests.first());
    const auto rebasedConfig = m_verifier.rawConfig(target1709);
    QVERIFY(rebasedConfig.ok());
    const QJsonObject rebasedConfigJson = QJsonDocument::fromJson(*rebasedConfig).object();
    QCOMPARE(rebasedConfigJson.value(QLatin1String("os.version")).toString(), v1709.osVersion);
    QCOMPARE(rebasedConfigJson.value(QLatin1String("rootfs")).toObject().value(QLatin1String("diff_ids")).toArray(),
             QJsonArray::fromStringList(v1709.diffIds + QStringList{built->diffIds.first()}));
    QCOMPARE(rebasedConfigJson.value(QLatin1String("history")).toArray().size(), 4);
    // Foreign layers were never asked about.
    QVERIFY(syncAccessLog(m_registry));
    for (const AccessLogEntry &e : requestsSinceMark(m_registry)) {
        for (const WindowsBase *base : {&ltsc2016, &v1709}) {
            for (const QJsonValue &l : base->layers)
                QVERIFY2(!e.uri.contains(l.toObject().value(QLatin1String("digest")).toString()), qPrintable(e.raw));
        }
    }

    // Both variants under one tag: the seed's manifest-tool spec.
    QTemporaryDir dir;
    const QString spec = dir.filePath(QStringLiteral("manifest.yml"));
    QVERIFY(writeFile(spec, QStringLiteral("image: %1\n"
                                           "tags: ['7.56', '7', 'latest']\n"
                                           "manifests:\n"
                                           "  -\n"
                                           "    image: %2\n"
                                           "    platform:\n"
                                           "      architecture: amd64\n"
                                           "      os: windows\n"
                                           "  -\n"
                                           "    image: %3\n"
                                           "    platform:\n"
                                           "      architecture: amd64\n"
                                           "      os: windows\n")
                                .arg(ref(QStringLiteral("curl/curl-windows:7.56.1")), ref(QStringLiteral("curl/curl-windows:7.56.1-2016")),
                                     target1709)
                                .toUtf8())
                .ok());
    const CliRun listed = runRestack({QStringLiteral("manifest"), QStringLiteral("push"), QStringLiteral("from-spec"), spec});
    RESTACK_VERIFY_OR_DUMP(listed.exited && listed.exitCode == 0, listed.describe());
    const QJsonObject list = indexAt(ref(QStringLiteral("curl/curl-windows:latest")));
    QCOMPARE(list.value(QLatin1String("mediaType")).toString(), DockerList);
    const QJsonArray entries = list.value(QLatin1String("manifests")).toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).toObject().value(QLatin1String("platform")).toObject(),
             platformJson(QStringLiteral("windows"), QStringLiteral("amd64"), {}, ltsc2016.osVersion));
    QCOMPARE(entries.at(1).toObject().value(QLatin1String("platform")).toObject(),
             platformJson(QStringLiteral("windows"), QStringLiteral("amd64"), {}, v1709.osVersion));
    QCOMPARE(entries.at(0).toObject().value(QLatin1String("digest")).toString(), app2016);
    for (const QJsonValue &entry : entries) {
        const QJsonObject e = entry.toObject();
        QCOMPARE(e.value(QLatin1String("mediaType")).toString(), DockerManifest);
        const auto child = m_verifier.rawManifest(ref(QStringLiteral("curl/curl-windows@")) + e.value(QLatin1String("digest")).toString());
        QVERIFY(child.ok());
        QCOMPARE(e.value(QLatin1String("size")).toInteger(), child->size());
    }
    // skopeo picks a Windows image out of the list (--override-os windows) and reads its config.
    const auto picked = runTool(QStringLiteral("skopeo"),
                                {QStringLiteral("--override-os"), QStringLiteral("windows"), QStringLiteral("inspect"),
                                 QStringLiteral("--tls-verify=false"), QStringLiteral("--config"),
                                 QStringLiteral("docker://") + ref(QStringLiteral("curl/curl-windows:7"))});
    QVERIFY2(picked.ok(), qPrintable(picked.ok() ? QString() : picked.error().toString()));
    const QJsonObject pickedConfig = QJsonDocument::fromJson(picked->standardOutput).object();
    QCOMPARE(pickedConfig.value(QLatin1String("os")).toString(), QStringLiteral("windows"));
    QVERIFY(pickedConfig.value(QLatin1String("os.version")).toString().startsWith(QLatin1String("10.0.")));
}

QTEST_GUILESS_MAIN(MultiPlatformTest)
#include "tst_multiplatform.moc"
