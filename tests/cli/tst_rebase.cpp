// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// `restack rebase` end to end: the built binary against a real docker-registry, every result
// checked with skopeo and umoci (ImageVerifier) and the registry's access log, never with
// Restack's own parsers.
//
// Images (built once, pushed in initTestCase):
//   base1  3 layers with ENV between and CMD after    demo/base:1.0   docker/base:1.0 (schema 2)
//   base2  1 layer + ENV                                demo/base:2.0   docker/base:2.0 (schema 2)
//   base3  2 layers + CMD                               demo/base:3.0
//   app    base1 + 2 layers + ENTRYPOINT (+ a label)    demo/app:1.0    docker/app:1.0  (schema 2)
// Every test writes to its own target repository or tag.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

namespace
{

const QString OciManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
const QString OciConfigType = QStringLiteral("application/vnd.oci.image.config.v1+json");
const QString OciLayerType = QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip");
const QString DockerManifestType = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
const QString DockerConfigType = QStringLiteral("application/vnd.docker.container.image.v1+json");
const QString DockerLayerType = QStringLiteral("application/vnd.docker.image.rootfs.diff.tar.gzip");
const QString BaseNameAnnotation = QStringLiteral("org.opencontainers.image.base.name");
const QString BaseDigestAnnotation = QStringLiteral("org.opencontainers.image.base.digest");

// Files of each image, by layer. Each base has files of its own, so that the unpacked result shows
// which base it sits on; /etc/os-release is in every base with different contents.
const QByteArray Base1OsRelease = QByteArrayLiteral("NAME=\"Test OS\"\nVERSION=\"1\"\n");
const QByteArray Base2OsRelease = QByteArrayLiteral("NAME=\"Test OS\"\nVERSION=\"2\"\n");
const QByteArray Base3OsRelease = QByteArrayLiteral("NAME=\"Test OS\"\nVERSION=\"3\"\n");
const QByteArray AppBinary = QByteArrayLiteral("#!/bin/sh\necho \"restack test app\"\n");
const QByteArray AppData = QByteArrayLiteral("application data\n");

/** What a rebased image must look like, exactly. */
struct Expected
{
    QString target; ///< HOST/REPO:TAG
    QString manifestType;
    QString configType;
    QStringList layerDigests;
    QList<qint64> layerSizes;
    QStringList layerTypes;
    QStringList diffIds;
    QJsonArray history;
    QString baseName;                ///< the base.name annotation; empty: no annotations at all (Docker)
    QString baseDigest;              ///< the base.digest annotation
    QJsonObject sourceConfig;        ///< config fields other than rootfs/history/platform come from here
    QJsonObject newBaseConfig;       ///< os and architecture come from here
    QMap<QString, QByteArray> files; ///< the whole unpacked root filesystem
};

} // namespace

class RebaseTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rebaseOci();
    void rebaseOciJson();
    void rebaseDocker_data();
    void rebaseDocker();
    void rebaseIntoOtherRepository();
    void wrongOldBase_data();
    void wrongOldBase();
    void dryRunPredictsDigest();
    void oldBaseFromAnnotations();
    void oldBaseFoundBySearch();
    void missingOldBase();
    void recompressedOldBase();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    /** `restack rebase HOST/source -b HOST/newBase [--old-base HOST/oldBase] -t HOST/target extra...` */
    CliRun rebase(const QString &source, const QString &newBase, const QString &oldBase, const QString &target,
                  const QStringList &extra = {}) const;
    /**
     * The app (built on @p oldBase) rebased onto @p newBase, pushed as @p target ("HOST/REPO:TAG"),
     * the new base pushed as @p newBaseRef ("REPO:TAG"), in a Docker schema 2 or OCI manifest.
     */
    Expected expectRebase(const BuiltImage &oldBase, const BuiltImage &newBase, const QString &target,
                          const QString &newBaseRef, bool docker) const;
    /** Fetches @p expected.target with skopeo, compares everything, unpacks it with umoci. */
    void checkResult(const Expected &expected, const QString &printedDigest);
    /** No layer blob was downloaded: only configs (of @p configs) were GET. */
    void checkNoLayerDownloads(const QList<AccessLogEntry> &requests, const QStringList &configs);
    /** Exactly these (digest, from) mounts into @p repository, each answered 201. */
    void checkMounts(const QList<AccessLogEntry> &requests, const QString &repository,
                     const QList<std::pair<QString, QString>> &expected);
    /** Nothing was written: only GET and HEAD requests. */
    void checkReadOnly(const QList<AccessLogEntry> &requests);
    /** A failed rebase into @p repository: nothing written but an upload session opened and cancelled, none left. */
    void checkNothingPushed(const QList<AccessLogEntry> &requests, const QString &repository);
    /** The target tag does not exist. */
    void checkAbsent(const QString &reference);
    QStringList allConfigDigests() const;
    QMap<QString, QByteArray> rootfsOf(const QString &newBase) const;

    RegistryFixture m_registry;
    ImageFactory m_factory;
    ImageVerifier m_verifier;
    BuiltImage m_base1;
    BuiltImage m_base2;
    BuiltImage m_base3;
    BuiltImage m_app;
    QMap<QString, QString> m_pushed; ///< repository:tag (no host) -> manifest digest
};

void RebaseTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));

    ImageSpec base1;
    base1.created = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    base1.addLayer({{QStringLiteral("/etc/os-release"), Base1OsRelease}}, QStringLiteral("COPY os-release /etc/"));
    base1.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    base1.addLayer({{QStringLiteral("/usr/lib/libold.so.1"), QByteArrayLiteral("old library 1\n")}},
                   QStringLiteral("COPY libold.so.1 /usr/lib/"));
    LayerSpec tool;
    tool.files.insert(QStringLiteral("/usr/bin/old-tool"), QByteArrayLiteral("#!/bin/sh\necho old tool\n"));
    tool.executables << QStringLiteral("/usr/bin/old-tool");
    tool.createdBy = QStringLiteral("RUN install-old-tool");
    base1.addLayer(tool);
    base1.addCmd({QStringLiteral("/usr/bin/old-tool")});

    ImageSpec base2;
    base2.created = QDateTime(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC);
    base2.addLayer({{QStringLiteral("/etc/os-release"), Base2OsRelease},
                    {QStringLiteral("/usr/lib/libnew.so.2"), QByteArrayLiteral("new library 2\n")}},
                   QStringLiteral("COPY rootfs /"));
    base2.addEnv({QStringLiteral("LANG=C.UTF-8")});

    ImageSpec base3;
    base3.created = QDateTime(QDate(2026, 2, 15), QTime(0, 0), Qt::UTC);
    base3.addLayer({{QStringLiteral("/etc/os-release"), Base3OsRelease}}, QStringLiteral("COPY os-release /etc/"));
    base3.addLayer({{QStringLiteral("/opt/three/libthree.so.3"), QByteArrayLiteral("third library\n")}},
                   QStringLiteral("COPY libthree.so.3 /opt/three/"));
    base3.addCmd({QStringLiteral("/bin/sh")});

    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.created = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    LayerSpec binary;
    binary.files.insert(QStringLiteral("/app/bin/app"), AppBinary);
    binary.executables << QStringLiteral("/app/bin/app");
    binary.createdBy = QStringLiteral("COPY app /app/bin/");
    app.addLayer(binary);
    app.addLayer({{QStringLiteral("/app/share/data.txt"), AppData}}, QStringLiteral("COPY data.txt /app/share/"));
    app.addEntrypoint({QStringLiteral("/app/bin/app")});
    app.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("restack test app"));

    const auto build = [this](const QString &tag, const ImageSpec &spec, BuiltImage *into) {
        const Restack::Result<BuiltImage> built = m_factory.build(tag, spec);
        if (!built) {
            qWarning().noquote() << built.error().toString();
            return false;
        }
        *into = *built;
        return true;
    };
    QVERIFY(build(QStringLiteral("base1"), base1, &m_base1));
    QVERIFY(build(QStringLiteral("base2"), base2, &m_base2));
    QVERIFY(build(QStringLiteral("base3"), base3, &m_base3));
    QVERIFY(build(QStringLiteral("app"), app, &m_app));
    QCOMPARE(m_base1.layerDigests.size(), 3);
    QCOMPARE(m_base1.history.size(), 5);
    QCOMPARE(m_app.layerDigests.size(), 5);
    QCOMPARE(m_app.history.size(), 8);

    const QList<std::tuple<QString, QString, ImageFactory::Format>> pushes{
        {QStringLiteral("base1"), QStringLiteral("demo/base:1.0"), ImageFactory::Format::Oci},
        {QStringLiteral("base2"), QStringLiteral("demo/base:2.0"), ImageFactory::Format::Oci},
        {QStringLiteral("base2"), QStringLiteral("lonely/base:2.0"), ImageFactory::Format::Oci},
        {QStringLiteral("base3"), QStringLiteral("demo/base:3.0"), ImageFactory::Format::Oci},
        {QStringLiteral("app"), QStringLiteral("demo/app:1.0"), ImageFactory::Format::Oci},
        {QStringLiteral("base1"), QStringLiteral("docker/base:1.0"), ImageFactory::Format::DockerV2S2},
        {QStringLiteral("base2"), QStringLiteral("docker/base:2.0"), ImageFactory::Format::DockerV2S2},
        {QStringLiteral("app"), QStringLiteral("docker/app:1.0"), ImageFactory::Format::DockerV2S2},
    };
    for (const auto &[tag, target, format] : pushes) {
        const Restack::Result<QString> digest = m_factory.push(tag, ref(target), format);
        QVERIFY2(digest.ok(), qPrintable(digest.ok() ? QString() : digest.error().toString()));
        m_pushed.insert(target, *digest);
    }
}

QStringList RebaseTest::allConfigDigests() const
{
    // Schema 2 pushes keep the config bytes, so these are the configs of every pushed image.
    return {m_base1.configDigest, m_base2.configDigest, m_base3.configDigest, m_app.configDigest};
}

QMap<QString, QByteArray> RebaseTest::rootfsOf(const QString &newBase) const
{
    QMap<QString, QByteArray> files{{QStringLiteral("/app/bin/app"), AppBinary},
                                    {QStringLiteral("/app/share/data.txt"), AppData}};
    if (newBase == QLatin1String("base2")) {
        files.insert(QStringLiteral("/etc/os-release"), Base2OsRelease);
        files.insert(QStringLiteral("/usr/lib/libnew.so.2"), QByteArrayLiteral("new library 2\n"));
    } else if (newBase == QLatin1String("base3")) {
        files.insert(QStringLiteral("/etc/os-release"), Base3OsRelease);
        files.insert(QStringLiteral("/opt/three/libthree.so.3"), QByteArrayLiteral("third library\n"));
    }
    return files;
}

Expected RebaseTest::expectRebase(const BuiltImage &oldBase, const BuiltImage &newBase, const QString &target,
                                  const QString &newBaseRef, bool docker) const
{
    const BuiltImage &app = m_app;
    Expected e;
    e.target = target;
    e.manifestType = docker ? DockerManifestType : OciManifestType;
    e.configType = docker ? DockerConfigType : OciConfigType;
    const qsizetype oldLayers = oldBase.layerDigests.size();
    e.layerDigests = newBase.layerDigests + app.layerDigests.mid(oldLayers);
    e.layerSizes = newBase.layerSizes + app.layerSizes.mid(oldLayers);
    e.layerTypes = QStringList(e.layerDigests.size(), docker ? DockerLayerType : OciLayerType);
    e.diffIds = newBase.diffIds + app.diffIds.mid(oldLayers);
    e.history = newBase.history;
    for (qsizetype i = oldBase.history.size(); i < app.history.size(); ++i)
        e.history.append(app.history.at(i));
    if (!docker) {
        e.baseName = ref(newBaseRef);
        e.baseDigest = m_pushed.value(newBaseRef);
    }
    e.sourceConfig = app.configJson;
    e.newBaseConfig = newBase.configJson;
    e.files = rootfsOf(newBase.tag);
    return e;
}

void RebaseTest::checkResult(const Expected &expected, const QString &printedDigest)
{
    QVERIFY2(!printedDigest.isEmpty(), "restack printed no digest for the result");
    const Restack::Result<VerifiedImage> verified = m_verifier.verify(expected.target);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    const VerifiedImage &image = *verified;
    // Blob digests and sizes, uncompressed layers against diff_ids, history against layers.
    QVERIFY2(image.ok(), qPrintable(image.errors.join(QLatin1Char('\n'))));
    QCOMPARE(image.manifestDigest, printedDigest);

    // The exact media types, as served.
    const Restack::Result<QByteArray> raw = m_verifier.rawManifest(expected.target);
    QVERIFY2(raw.ok(), qPrintable(raw.ok() ? QString() : raw.error().toString()));
    QCOMPARE(*raw, image.manifest);
    const QJsonObject manifest = QJsonDocument::fromJson(*raw).object();
    QCOMPARE(manifest.value(QLatin1String("schemaVersion")).toInt(), 2);
    QCOMPARE(manifest.value(QLatin1String("mediaType")).toString(), expected.manifestType);
    QCOMPARE(manifest.value(QLatin1String("config")).toObject().value(QLatin1String("mediaType")).toString(),
             expected.configType);
    QStringList rawLayerTypes;
    for (const QJsonValue &layer : manifest.value(QLatin1String("layers")).toArray())
        rawLayerTypes << layer.toObject().value(QLatin1String("mediaType")).toString();
    QCOMPARE(rawLayerTypes, expected.layerTypes);
    QCOMPARE(image.configMediaType, expected.configType);
    QCOMPARE(image.layerMediaTypes, expected.layerTypes);

    // Layers: the new base's, then the app's own, in order, same blobs.
    QCOMPARE(image.layerDigests, expected.layerDigests);
    QCOMPARE(image.layerSizes, expected.layerSizes);
    QCOMPARE(image.diffIds, expected.diffIds);
    QCOMPARE(image.uncompressedDigests, expected.diffIds);

    // History: the new base's entries, then the app's own, byte for byte.
    QCOMPARE(image.history.size(), expected.history.size());
    for (qsizetype i = 0; i < expected.history.size(); ++i)
        QCOMPARE(image.history.at(i).toObject(), expected.history.at(i).toObject());
    qsizetype nonEmpty = 0;
    for (const QJsonValue &entry : image.history)
        nonEmpty += entry.toObject().value(QLatin1String("empty_layer")).toBool() ? 0 : 1;
    QCOMPARE(nonEmpty, image.layerDigests.size());

    // Config: platform from the new base, everything else from the source.
    const QJsonObject config = image.configJson;
    for (const char *key : {"os", "architecture"})
        QCOMPARE(config.value(QLatin1String(key)), expected.newBaseConfig.value(QLatin1String(key)));
    QCOMPARE(config.value(QLatin1String("created")), expected.sourceConfig.value(QLatin1String("created")));
    const QJsonObject runConfig = config.value(QLatin1String("config")).toObject();
    const QJsonObject sourceRunConfig = expected.sourceConfig.value(QLatin1String("config")).toObject();
    QVERIFY(!sourceRunConfig.value(QLatin1String("Entrypoint")).toArray().isEmpty());
    QVERIFY(!sourceRunConfig.value(QLatin1String("Labels")).toObject().isEmpty());
    for (const char *key : {"Entrypoint", "Cmd", "Labels", "Env", "WorkingDir"})
        QCOMPARE(runConfig.value(QLatin1String(key)), sourceRunConfig.value(QLatin1String(key)));
    QCOMPARE(runConfig, sourceRunConfig);
    QStringList configKeys = config.keys();
    QStringList sourceKeys = expected.sourceConfig.keys();
    QCOMPARE(configKeys, sourceKeys);

    // Annotations: OCI names the new base; schema 2 has none.
    const QJsonObject annotations = manifest.value(QLatin1String("annotations")).toObject();
    if (expected.baseName.isEmpty()) {
        QVERIFY2(!manifest.contains(QLatin1String("annotations")), image.manifest.constData());
    } else {
        QCOMPARE(annotations.value(BaseNameAnnotation).toString(), expected.baseName);
        QCOMPARE(annotations.value(BaseDigestAnnotation).toString(), expected.baseDigest);
    }

    // The file system: the new base's files and the app's, none of the old base's.
    const Restack::Result<Rootfs> rootfs = m_verifier.unpack(image);
    QVERIFY2(rootfs.ok(), qPrintable(rootfs.ok() ? QString() : rootfs.error().toString()));
    QCOMPARE(rootfs->files(), expected.files.keys());
    for (auto it = expected.files.cbegin(); it != expected.files.cend(); ++it)
        QCOMPARE(rootfs->fileContents(it.key()), it.value());
    QVERIFY(rootfs->isExecutable(QStringLiteral("/app/bin/app")));
}

void RebaseTest::checkNoLayerDownloads(const QList<AccessLogEntry> &requests, const QStringList &configs)
{
    const QStringList downloads = blobDownloads(requests);
    for (const QString &digest : downloads)
        QVERIFY2(configs.contains(digest),
                 qPrintable(
                     QStringLiteral("blob %1 was downloaded; requests:\n%2").arg(digest, describeRequests(requests))));
    // A streamed copy would upload in PATCH requests; the config is uploaded monolithically.
    RESTACK_VERIFY_OR_DUMP(withMethods(requests, {QStringLiteral("PATCH")}).isEmpty(), describeRequests(requests));
}

void RebaseTest::checkMounts(const QList<AccessLogEntry> &requests, const QString &repository,
                             const QList<std::pair<QString, QString>> &expected)
{
    QList<std::pair<QString, QString>> actual;
    for (const MountRequest &mount : mountRequests(requests)) {
        QCOMPARE(mount.repository, repository);
        RESTACK_VERIFY_OR_DUMP(mount.status == 201, describeRequests(requests));
        actual.append({mount.digest, mount.from});
    }
    // Mounts run in parallel: compare without order.
    std::sort(actual.begin(), actual.end());
    QList<std::pair<QString, QString>> wanted = expected;
    std::sort(wanted.begin(), wanted.end());
    if (actual != wanted)
        QFAIL(qPrintable(
            QStringLiteral("unexpected mounts into %1; requests:\n%2").arg(repository, describeRequests(requests))));
}

void RebaseTest::checkReadOnly(const QList<AccessLogEntry> &requests)
{
    const QList<AccessLogEntry> writes = withMethods(
        requests, {QStringLiteral("PUT"), QStringLiteral("POST"), QStringLiteral("PATCH"), QStringLiteral("DELETE")});
    RESTACK_VERIFY_OR_DUMP(writes.isEmpty(), QStringLiteral("written:\n") + describeRequests(writes));
    QVERIFY2(!requests.isEmpty(), "no requests were logged at all");
}

void RebaseTest::checkNothingPushed(const QList<AccessLogEntry> &requests, const QString &repository)
{
    const QString problems = writesBeyondCancelledSessions(requests);
    RESTACK_VERIFY_OR_DUMP(problems.isEmpty(), problems);
    const QStringList left = openUploadSessions(m_registry, repository);
    QVERIFY2(left.isEmpty(), qPrintable(QStringLiteral("upload sessions left in %1: %2").arg(repository, left.join(QLatin1Char(' ')))));
    QVERIFY2(!requests.isEmpty(), "no requests were logged at all");
}

void RebaseTest::checkAbsent(const QString &reference)
{
    const Restack::Result<QByteArray> raw = m_verifier.rawManifest(reference);
    QVERIFY2(!raw.ok(), qPrintable(reference + QStringLiteral(" exists")));
    QVERIFY2(raw.error().message.contains(QLatin1String("manifest unknown"))
                 || raw.error().message.contains(QLatin1String("name unknown")),
             qPrintable(raw.error().message));
}

CliRun RebaseTest::rebase(const QString &source, const QString &newBase, const QString &oldBase, const QString &target,
                          const QStringList &extra) const
{
    QStringList arguments{QStringLiteral("rebase"), ref(source), QStringLiteral("-b"), ref(newBase)};
    if (!oldBase.isEmpty())
        arguments << QStringLiteral("--old-base") << ref(oldBase);
    arguments << QStringLiteral("-t") << ref(target) << extra;
    return runRestack(arguments);
}

// 1. OCI: base1 -> base2 into the source's repository; every property of the result checked.
void RebaseTest::rebaseOci()
{
    const QString source = ref(QStringLiteral("demo/app:1.0"));
    const QString target = ref(QStringLiteral("demo/app:1.0-rebased"));
    const Restack::Result<QByteArray> sourceBefore = m_verifier.rawManifest(source);
    QVERIFY(sourceBefore.ok());
    QCOMPARE(*sourceBefore, m_app.manifest);

    m_registry.markAccessLog();
    const CliRun run = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"),
                              QStringLiteral("demo/base:1.0"), QStringLiteral("demo/app:1.0-rebased"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QString digest = reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target);
    RESTACK_VERIFY_OR_DUMP(!digest.isEmpty(), run.describe());
    RESTACK_VERIFY_OR_DUMP(
        run.outputLines().contains(QStringLiteral("Layers: 2 already present, 1 mounted, 0 copied.")), run.describe());

    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(m_registry);
    checkNoLayerDownloads(requests, allConfigDigests());
    if (QTest::currentTestFailed())
        return;
    // The app layers are in the repository already (restack may HEAD them, or know it from the
    // source manifest): only base2's layer is mounted, from the new base's repository.
    checkMounts(requests, QStringLiteral("demo/app"), {{m_base2.layerDigests.at(0), QStringLiteral("demo/base")}});
    if (QTest::currentTestFailed())
        return;
    // One manifest PUT, to the target tag; nothing deleted.
    QList<AccessLogEntry> manifestPuts;
    for (const AccessLogEntry &e : withMethods(requests, {QStringLiteral("PUT")})) {
        if (e.path.contains(QLatin1String("/manifests/")))
            manifestPuts << e;
    }
    QCOMPARE(manifestPuts.size(), 1);
    QCOMPARE(manifestPuts.first().path, QStringLiteral("/v2/demo/app/manifests/1.0-rebased"));
    QCOMPARE(manifestPuts.first().status, 201);
    QCOMPARE(withMethods(requests, {QStringLiteral("DELETE")}).size(), 0);

    checkResult(expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false), digest);
    if (QTest::currentTestFailed())
        return;

    // The source tag is untouched.
    const Restack::Result<QByteArray> sourceAfter = m_verifier.rawManifest(source);
    QVERIFY(sourceAfter.ok());
    QCOMPARE(*sourceAfter, *sourceBefore);
}

// 1 (JSON): the machine-readable report names the images and every layer of the result.
void RebaseTest::rebaseOciJson()
{
    const QString target = ref(QStringLiteral("json/app:rebased"));
    const CliRun run
        = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"), QStringLiteral("demo/base:1.0"),
                 QStringLiteral("json/app:rebased"), {QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(run.standardOutput.toUtf8(), &parseError);
    RESTACK_VERIFY_OR_DUMP(parseError.error == QJsonParseError::NoError && document.isObject(),
                           parseError.errorString() + QLatin1Char('\n') + run.describe());
    const QJsonObject report = document.object();

    const Restack::Result<VerifiedImage> pushed = m_verifier.verify(target);
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    QVERIFY2(pushed->ok(), qPrintable(pushed->errors.join(QLatin1Char('\n'))));

    QCOMPARE(report.value(QLatin1String("target")).toString(), target);
    QCOMPARE(report.value(QLatin1String("digest")).toString(), pushed->manifestDigest);
    QCOMPARE(report.value(QLatin1String("dryRun")).toBool(true), false);
    QCOMPARE(report.value(QLatin1String("source")).toString(), ref(QStringLiteral("demo/app:1.0")));
    QCOMPARE(report.value(QLatin1String("oldBase")).toString(), ref(QStringLiteral("demo/base:1.0")));
    QCOMPARE(report.value(QLatin1String("newBase")).toString(), ref(QStringLiteral("demo/base:2.0")));

    const QJsonArray layers = report.value(QLatin1String("layers")).toArray();
    const Expected expected = expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false);
    QCOMPARE(layers.size(), expected.layerDigests.size());
    const QStringList origins{QStringLiteral("new base"), QStringLiteral("app"), QStringLiteral("app")};
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QJsonObject layer = layers.at(i).toObject();
        QCOMPARE(layer.value(QLatin1String("digest")).toString(), expected.layerDigests.at(i));
        QCOMPARE(layer.value(QLatin1String("size")).toInteger(), expected.layerSizes.at(i));
        QCOMPARE(layer.value(QLatin1String("mediaType")).toString(), OciLayerType);
        QCOMPARE(layer.value(QLatin1String("origin")).toString(), origins.at(i));
        QCOMPARE(layer.value(QLatin1String("diffId")).toString(), expected.diffIds.at(i));
        // And what the registry now serves.
        QCOMPARE(layer.value(QLatin1String("digest")).toString(), pushed->layerDigests.at(i));
    }
    // Progress went to standard error, never into the JSON.
    QVERIFY(run.standardError.contains(QLatin1String("restack: ")));
}

// 2. Docker schema 2 sources and bases, and conversions across the two families.
void RebaseTest::rebaseDocker_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("oldBase");
    QTest::addColumn<QString>("newBase");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("docker");
    QTest::addColumn<QStringList>("notes");

    const QString converted = QStringLiteral("Note: the new base's layer media types were converted to %1 equivalents");
    const QString noAnnotations
        = QStringLiteral("Note: Docker schema 2 manifests cannot carry the base annotations: a later "
                         "rebase of the result needs --old-base %1");
    QTest::newRow("docker source, docker bases")
        << QStringLiteral("docker/app:1.0") << QStringLiteral("docker/base:1.0") << QStringLiteral("docker/base:2.0")
        << QStringLiteral("docker-result/app:rebased") << true
        << QStringList{noAnnotations.arg(ref(QStringLiteral("docker/base:2.0@"))
                                         + m_pushed.value(QStringLiteral("docker/base:2.0")))};
    QTest::newRow("docker source, OCI new base")
        << QStringLiteral("docker/app:1.0") << QStringLiteral("docker/base:1.0") << QStringLiteral("demo/base:2.0")
        << QStringLiteral("docker-mixed/app:rebased") << true
        << QStringList{converted.arg(QStringLiteral("Docker schema 2")),
                       noAnnotations.arg(ref(QStringLiteral("demo/base:2.0@"))
                                         + m_pushed.value(QStringLiteral("demo/base:2.0")))};
    QTest::newRow("OCI source, docker new base")
        << QStringLiteral("demo/app:1.0") << QStringLiteral("demo/base:1.0") << QStringLiteral("docker/base:2.0")
        << QStringLiteral("oci-mixed/app:rebased") << false << QStringList{converted.arg(QStringLiteral("OCI"))};
}

void RebaseTest::rebaseDocker()
{
    QFETCH(QString, source);
    QFETCH(QString, oldBase);
    QFETCH(QString, newBase);
    QFETCH(QString, target);
    QFETCH(bool, docker);
    QFETCH(QStringList, notes);

    m_registry.markAccessLog();
    const CliRun run = rebase(source, newBase, oldBase, target);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QString digest = reportedDigest(run.standardOutput, QStringLiteral("Pushed"), ref(target));
    RESTACK_VERIFY_OR_DUMP(!digest.isEmpty(), run.describe());
    const QStringList lines = run.outputLines();
    for (const QString &note : notes)
        RESTACK_VERIFY_OR_DUMP(lines.contains(note), QStringLiteral("missing \"%1\" in\n%2").arg(note, run.describe()));

    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(m_registry);
    checkNoLayerDownloads(requests, allConfigDigests());
    if (QTest::currentTestFailed())
        return;
    const QString sourceRepository = source.section(QLatin1Char(':'), 0, 0);
    const QString newBaseRepository = newBase.section(QLatin1Char(':'), 0, 0);
    checkMounts(requests, target.section(QLatin1Char(':'), 0, 0),
                {{m_base2.layerDigests.at(0), newBaseRepository},
                 {m_app.layerDigests.at(3), sourceRepository},
                 {m_app.layerDigests.at(4), sourceRepository}});
    if (QTest::currentTestFailed())
        return;

    checkResult(expectRebase(m_base1, m_base2, ref(target), newBase, docker), digest);
}

// 3. Into another repository: every layer mounted, the app's from the source repository.
void RebaseTest::rebaseIntoOtherRepository()
{
    const QString target = ref(QStringLiteral("other/app:rebased"));
    m_registry.markAccessLog();
    const CliRun run = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"),
                              QStringLiteral("demo/base:1.0"), QStringLiteral("other/app:rebased"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QString digest = reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target);
    RESTACK_VERIFY_OR_DUMP(!digest.isEmpty(), run.describe());
    RESTACK_VERIFY_OR_DUMP(
        run.outputLines().contains(QStringLiteral("Layers: 0 already present, 3 mounted, 0 copied.")), run.describe());

    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(m_registry);
    checkNoLayerDownloads(requests, allConfigDigests());
    if (QTest::currentTestFailed())
        return;
    checkMounts(requests, QStringLiteral("other/app"),
                {{m_base2.layerDigests.at(0), QStringLiteral("demo/base")},
                 {m_app.layerDigests.at(3), QStringLiteral("demo/app")},
                 {m_app.layerDigests.at(4), QStringLiteral("demo/app")}});
    if (QTest::currentTestFailed())
        return;
    // The URI as sent: POST /v2/other/app/blobs/uploads/?mount=<digest>&from=demo/app
    const bool rawMount = std::any_of(requests.cbegin(), requests.cend(), [&](const AccessLogEntry &e) {
        return e.method == QLatin1String("POST") && e.uri.startsWith(QLatin1String("/v2/other/app/blobs/uploads/?"))
            && queryValue(e, QStringLiteral("mount")) == m_app.layerDigests.at(3)
            && e.uri.contains(QLatin1String("&from=demo/app"));
    });
    RESTACK_VERIFY_OR_DUMP(rawMount, describeRequests(requests));

    checkResult(expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false), digest);
}

// 4. A wrong old base: one error line naming the differing layer, and nothing written.
void RebaseTest::wrongOldBase_data()
{
    QTest::addColumn<bool>("quiet");
    QTest::newRow("quiet") << true;
    QTest::newRow("with progress") << false;
}

void RebaseTest::wrongOldBase()
{
    QFETCH(bool, quiet);
    const QString target
        = QStringLiteral("wrong/app:") + (quiet ? QStringLiteral("quiet") : QStringLiteral("progress"));
    m_registry.markAccessLog();
    const CliRun run
        = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"), QStringLiteral("demo/base:2.0"),
                 target, quiet ? QStringList{QStringLiteral("-q")} : QStringList());
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.isEmpty(), run.describe());

    // One error line, the last; without -q the others are progress lines.
    const QStringList lines = run.errorLines();
    QStringList errors;
    for (const QString &line : lines) {
        RESTACK_VERIFY_OR_DUMP(line.startsWith(QLatin1String("restack: ")), run.describe());
        if (line.startsWith(QLatin1String("restack: error:")))
            errors << line;
    }
    RESTACK_VERIFY_OR_DUMP(errors.size() == 1 && lines.last() == errors.first(), run.describe());
    if (quiet)
        RESTACK_VERIFY_OR_DUMP(lines.size() == 1, run.describe());
    // It names the layer that differs, with both digests, and says what to do.
    const QString error = errors.first();
    QVERIFY2(error.contains(QLatin1String("layer 0 differs")), qPrintable(error));
    QVERIFY2(error.contains(m_app.layerDigests.at(0)), qPrintable(error));
    QVERIFY2(error.contains(m_base2.layerDigests.at(0)), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("--old-base")), qPrintable(error));

    QVERIFY(syncAccessLog(m_registry));
    checkNothingPushed(requestsSinceMark(m_registry), QStringLiteral("wrong/app"));
    if (QTest::currentTestFailed())
        return;
    checkAbsent(ref(target));
}

// 5. A dry run writes nothing and predicts the digest the real run then pushes.
void RebaseTest::dryRunPredictsDigest()
{
    const QString target = ref(QStringLiteral("dry/app:rebased"));
    m_registry.markAccessLog();
    const CliRun dry
        = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"), QStringLiteral("demo/base:1.0"),
                 QStringLiteral("dry/app:rebased"), {QStringLiteral("--dry-run")});
    RESTACK_VERIFY_OR_DUMP(dry.exited && dry.exitCode == 0, dry.describe());
    const QString predicted = reportedDigest(dry.standardOutput, QStringLiteral("Would push"), target);
    RESTACK_VERIFY_OR_DUMP(!predicted.isEmpty(), dry.describe());
    RESTACK_VERIFY_OR_DUMP(!dry.standardOutput.contains(QLatin1String("Pushed")), dry.describe());

    // The blob operations: each layer with where it would come from, and the config upload.
    const QStringList lines = dry.outputLines();
    const auto count = [&lines](const std::function<bool(const QString &)> &predicate) {
        return std::count_if(lines.cbegin(), lines.cend(), predicate);
    };
    const auto step = [&](const QString &digest, const QString &what, const QString &how) {
        return count([&](const QString &line) {
            return line.startsWith(QStringLiteral("  ") + digest.left(QStringLiteral("sha256:").size() + 12))
                && line.contains(what) && line.endsWith(how);
        });
    };
    const QString fromBase = QStringLiteral("mount from ") + ref(QStringLiteral("demo/base"));
    const QString fromApp = QStringLiteral("mount from ") + ref(QStringLiteral("demo/app"));
    RESTACK_VERIFY_OR_DUMP(step(m_base2.layerDigests.at(0), QStringLiteral("layer (new base)"), fromBase) == 1,
                           dry.describe());
    RESTACK_VERIFY_OR_DUMP(step(m_app.layerDigests.at(3), QStringLiteral("layer (app)"), fromApp) == 1, dry.describe());
    RESTACK_VERIFY_OR_DUMP(step(m_app.layerDigests.at(4), QStringLiteral("layer (app)"), fromApp) == 1, dry.describe());
    RESTACK_VERIFY_OR_DUMP(count([](const QString &line) {
                               return line.contains(QLatin1String(" config "))
                                   && line.endsWith(QLatin1String(" upload"));
                           }) == 1,
                           dry.describe());
    RESTACK_VERIFY_OR_DUMP(count([&](const QString &line) {
                               return line.startsWith(
                                          QStringLiteral("  manifest %1 (%2, ").arg(predicted, OciManifestType))
                                   && line.endsWith(QStringLiteral(" bytes) -> PUT ") + target);
                           }) == 1,
                           dry.describe());

    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> dryRequests = requestsSinceMark(m_registry);
    checkReadOnly(dryRequests);
    if (QTest::currentTestFailed())
        return;
    checkNoLayerDownloads(dryRequests, allConfigDigests());
    if (QTest::currentTestFailed())
        return;
    checkAbsent(target);
    if (QTest::currentTestFailed())
        return;

    const CliRun real = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"),
                               QStringLiteral("demo/base:1.0"), QStringLiteral("dry/app:rebased"));
    RESTACK_VERIFY_OR_DUMP(real.exited && real.exitCode == 0, real.describe());
    const QString pushed = reportedDigest(real.standardOutput, QStringLiteral("Pushed"), target);
    QCOMPARE(pushed, predicted);
    checkResult(expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false), pushed);
}

// 6. A result names its base in annotations: rebasing it again needs no --old-base.
void RebaseTest::oldBaseFromAnnotations()
{
    const CliRun run1 = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"),
                               QStringLiteral("demo/base:1.0"), QStringLiteral("second/app:r1"));
    RESTACK_VERIFY_OR_DUMP(run1.exited && run1.exitCode == 0, run1.describe());
    const Restack::Result<VerifiedImage> r1 = m_verifier.verify(ref(QStringLiteral("second/app:r1")));
    QVERIFY2(r1.ok(), qPrintable(r1.ok() ? QString() : r1.error().toString()));

    const QString target = ref(QStringLiteral("second/app:r2"));
    m_registry.markAccessLog();
    const CliRun run2 = rebase(QStringLiteral("second/app:r1"), QStringLiteral("demo/base:3.0"), QString(),
                               QStringLiteral("second/app:r2"));
    RESTACK_VERIFY_OR_DUMP(run2.exited && run2.exitCode == 0, run2.describe());
    const QString digest = reportedDigest(run2.standardOutput, QStringLiteral("Pushed"), target);
    RESTACK_VERIFY_OR_DUMP(!digest.isEmpty(), run2.describe());
    // The old base came from the annotations, pinned to base2's digest.
    const QString oldBaseLine = QStringLiteral("Old base  ") + ref(QStringLiteral("demo/base:2.0@"))
        + m_pushed.value(QStringLiteral("demo/base:2.0")) + QStringLiteral("  (");
    const QStringList lines = run2.outputLines();
    RESTACK_VERIFY_OR_DUMP(
        std::any_of(lines.cbegin(), lines.cend(), [&](const QString &line) { return line.startsWith(oldBaseLine); }),
        run2.describe());

    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(m_registry);
    checkNoLayerDownloads(requests, allConfigDigests() << r1->configDigest);
    if (QTest::currentTestFailed())
        return;
    checkMounts(requests, QStringLiteral("second/app"),
                {{m_base3.layerDigests.at(0), QStringLiteral("demo/base")},
                 {m_base3.layerDigests.at(1), QStringLiteral("demo/base")}});
    if (QTest::currentTestFailed())
        return;

    // Base3's layers and history, then the app's own: base2 is gone like base1 before it.
    checkResult(expectRebase(m_base1, m_base3, target, QStringLiteral("demo/base:3.0"), false), digest);
    if (QTest::currentTestFailed())
        return;

    // r1 rebased onto the base it already has, in its own repository: every layer is one of the
    // source's, so nothing is mounted or even asked about; the result is r1 again, byte for byte.
    m_registry.markAccessLog();
    const CliRun same = rebase(QStringLiteral("second/app:r1"), QStringLiteral("demo/base:2.0"), QString(),
                               QStringLiteral("second/app:same"));
    RESTACK_VERIFY_OR_DUMP(same.exited && same.exitCode == 0, same.describe());
    QCOMPARE(reportedDigest(same.standardOutput, QStringLiteral("Pushed"), ref(QStringLiteral("second/app:same"))),
             r1->manifestDigest);
    RESTACK_VERIFY_OR_DUMP(same.standardOutput.contains(QLatin1String(", 0 mounted, 0 copied.")), same.describe());
    QVERIFY(syncAccessLog(m_registry));
    const QList<AccessLogEntry> sameRequests = requestsSinceMark(m_registry);
    QVERIFY2(mountRequests(sameRequests).isEmpty(), qPrintable(describeRequests(sameRequests)));
    for (const AccessLogEntry &e : sameRequests)
        QVERIFY2(!(e.method == QLatin1String("HEAD") && e.path.contains(QLatin1String("/blobs/"))), qPrintable(describeRequests(sameRequests)));
}

// 6 (b). Without annotations and without --old-base the user is told what to pass.
// 6b. Without annotations and without --old-base, the old base is looked for in the new base's
// repository by diff_ids: demo/base:1.0 is found there, and the result is the very image an
// explicit --old-base gives.
void RebaseTest::oldBaseFoundBySearch()
{
    const QString target = ref(QStringLiteral("search/app:rebased"));
    const CliRun explicitRun = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"),
                                      QStringLiteral("demo/base:1.0"), QStringLiteral("search/app:explicit"),
                                      {QStringLiteral("--dry-run"), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(explicitRun.exited && explicitRun.exitCode == 0, explicitRun.describe());
    const QString expected = reportedDigest(explicitRun.standardOutput, QStringLiteral("Would push"),
                                            ref(QStringLiteral("search/app:explicit")));
    QVERIFY(!expected.isEmpty());

    const CliRun run = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"), QString(),
                              QStringLiteral("search/app:rebased"), {QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("[from search]")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QStringLiteral("old base found by searching: %1")
                                                           .arg(ref(QStringLiteral("demo/base:1.0@")) + m_pushed.value(QStringLiteral("demo/base:1.0")))),
                           run.describe());
    QCOMPARE(reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target), expected);
    checkResult(expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false), expected);
}

// 6c. Nothing names the old base and the new base's repository holds nothing the source was built
// on: one line saying what to pass, and nothing written.
void RebaseTest::missingOldBase()
{
    m_registry.markAccessLog();
    const CliRun run = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("lonely/base:2.0"), QString(),
                              QStringLiteral("noannotations/app:rebased"), {QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 2, run.describe()); // the user's input lacks something
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.isEmpty(), run.describe());
    const QStringList lines = run.errorLines();
    RESTACK_VERIFY_OR_DUMP(lines.size() == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().startsWith(QLatin1String("restack: error:")), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(QLatin1String("pass --old-base")), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(BaseNameAnnotation), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(QLatin1String("lonely/base")), run.describe());

    QVERIFY(syncAccessLog(m_registry));
    checkNothingPushed(requestsSinceMark(m_registry), QStringLiteral("noannotations/app"));
    if (QTest::currentTestFailed())
        return;
    checkAbsent(ref(QStringLiteral("noannotations/app:rebased")));
}

// 7. The source's copy of the old base is compressed differently (same diff_ids): it still
// matches, and the result is the very image the original source gives.
void RebaseTest::recompressedOldBase()
{
    // Copy the app into a dir: layout, recompress its first (base) layer with gzip -1, and push it
    // with --preserve-digests (else skopeo may substitute the registry's other compression of it).
    const std::unique_ptr<QTemporaryDir> work = makeTempDir(QStringLiteral("recompress"));
    QVERIFY(work->isValid());
    const QString dir = work->filePath(QStringLiteral("app"));
    const auto copied
        = runTool(QStringLiteral("skopeo"),
                  {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--quiet"),
                   QStringLiteral("--src-tls-verify=false"),
                   QStringLiteral("docker://") + ref(QStringLiteral("demo/app:1.0")), QStringLiteral("dir:") + dir});
    QVERIFY2(copied.ok(), qPrintable(copied.ok() ? QString() : copied.error().toString()));

    const Restack::Result<QByteArray> manifestBytes = readFile(dir + QStringLiteral("/manifest.json"));
    QVERIFY(manifestBytes.ok());
    QJsonObject manifest = QJsonDocument::fromJson(*manifestBytes).object();
    QJsonArray layers = manifest.value(QLatin1String("layers")).toArray();
    QJsonObject layer0 = layers.at(0).toObject();
    const QString original = layer0.value(QLatin1String("digest")).toString();
    QCOMPARE(original, m_base1.layerDigests.at(0));
    const auto blobPath = [&dir](const QString &digest) -> QString {
        return dir + QLatin1Char('/') + digest.section(QLatin1Char(':'), 1);
    };
    const auto tar = runTool(QStringLiteral("gzip"), {QStringLiteral("-dc"), blobPath(original)});
    QVERIFY(tar.ok());
    const QString tarPath = work->filePath(QStringLiteral("layer0.tar"));
    QVERIFY(writeFile(tarPath, tar->standardOutput).ok());
    const auto gzipped
        = runTool(QStringLiteral("gzip"), {QStringLiteral("-1"), QStringLiteral("-n"), QStringLiteral("-c"), tarPath});
    QVERIFY(gzipped.ok());
    const QByteArray blob = gzipped->standardOutput;
    const QString recompressed = sha256Digest(blob);
    QVERIFY2(recompressed != original, "gzip -1 produced the same bytes as umoci's gzip");
    QVERIFY(writeFile(blobPath(recompressed), blob).ok());
    layer0.insert(QStringLiteral("digest"), recompressed);
    layer0.insert(QStringLiteral("size"), blob.size());
    layers.replace(0, layer0);
    manifest.insert(QStringLiteral("layers"), layers);
    QVERIFY(
        writeFile(dir + QStringLiteral("/manifest.json"), QJsonDocument(manifest).toJson(QJsonDocument::Compact)).ok());

    const QString source = ref(QStringLiteral("recompressed/app:1.0"));
    const auto pushed = runTool(QStringLiteral("skopeo"),
                                {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--quiet"),
                                 QStringLiteral("--preserve-digests"), QStringLiteral("--dest-tls-verify=false"),
                                 QStringLiteral("dir:") + dir, QStringLiteral("docker://") + source});
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    const Restack::Result<VerifiedImage> sourceImage = m_verifier.verify(source);
    QVERIFY2(sourceImage.ok(), qPrintable(sourceImage.ok() ? QString() : sourceImage.error().toString()));
    QVERIFY2(sourceImage->ok(), qPrintable(sourceImage->errors.join(QLatin1Char('\n'))));
    QCOMPARE(sourceImage->layerDigests.at(0), recompressed);
    QCOMPARE(sourceImage->diffIds, m_app.diffIds);

    // What the original source gives, predicted by a dry run.
    const QString target = ref(QStringLiteral("recompressed/app:rebased"));
    const CliRun plain
        = rebase(QStringLiteral("demo/app:1.0"), QStringLiteral("demo/base:2.0"), QStringLiteral("demo/base:1.0"),
                 QStringLiteral("recompressed/app:rebased"), {QStringLiteral("--dry-run")});
    RESTACK_VERIFY_OR_DUMP(plain.exited && plain.exitCode == 0, plain.describe());
    const QString plainDigest = reportedDigest(plain.standardOutput, QStringLiteral("Would push"), target);
    QVERIFY(!plainDigest.isEmpty());

    m_registry.markAccessLog();
    const CliRun run = rebase(QStringLiteral("recompressed/app:1.0"), QStringLiteral("demo/base:2.0"),
                              QStringLiteral("demo/base:1.0"), QStringLiteral("recompressed/app:rebased"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QString note
        = QStringLiteral("Note: layer 0 matches the old base by diff_id (%1) but is compressed differently "
                         "(%2 in the source, %3 in the old base)")
              .arg(m_base1.diffIds.at(0).left(19), recompressed.left(19), original.left(19));
    RESTACK_VERIFY_OR_DUMP(run.outputLines().contains(note),
                           QStringLiteral("missing \"%1\" in\n%2").arg(note, run.describe()));
    const QString digest = reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target);
    QCOMPARE(digest, plainDigest);

    QVERIFY(syncAccessLog(m_registry));
    checkNoLayerDownloads(requestsSinceMark(m_registry), allConfigDigests());
    if (QTest::currentTestFailed())
        return;
    checkResult(expectRebase(m_base1, m_base2, target, QStringLiteral("demo/base:2.0"), false), digest);
}

QTEST_GUILESS_MAIN(RebaseTest)
#include "tst_rebase.moc"
