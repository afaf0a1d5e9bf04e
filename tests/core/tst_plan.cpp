// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Rebase::planRebase on hand-built images (manifest and config JSON written here, parsed with core's own
// parsers; layer blobs never exist, their digests are well-formed sha256 values of made-up content): layer and
// history splicing, media type conversion between the Docker and OCI families, prefix and platform checks,
// base annotations, preservation of every other field, and the consistency of the planned bytes.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

#include "common/error.h"
#include "image/digest.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/mediatypes.h"
#include "image/reference.h"
#include "rebase/plan.h"

using Restack::Error;
using Restack::Image::Digest;
using Restack::Image::ImageConfig;
using Restack::Image::Manifest;
using Restack::Image::Reference;
using Restack::Rebase::ImageData;
using Restack::Rebase::Origin;
using Restack::Rebase::Plan;
using Restack::Rebase::planRebase;
namespace MediaType = Restack::Image::MediaType;
using Family = Restack::Image::MediaType::Family;

namespace
{

/** The digest of a made-up compressed blob. */
QString blobDigest(const QString &seed)
{
    return Digest::of(QByteArrayLiteral("blob:") + seed.toUtf8()).toString();
}

/** The digest of a made-up uncompressed layer (diff_id). */
QString diffDigest(const QString &seed)
{
    return Digest::of(QByteArrayLiteral("diff:") + seed.toUtf8()).toString();
}

QJsonObject object(const char *json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(json), &error);
    Q_ASSERT_X(error.error == QJsonParseError::NoError, "object", json);
    return document.object();
}

/** One history entry; @p empty for a step that made no layer (ENV, CMD, ...). */
QJsonObject step(const QString &createdBy, bool empty = false)
{
    QJsonObject entry{{QStringLiteral("created"), QStringLiteral("2024-01-01T00:00:00Z")},
                      {QStringLiteral("created_by"), createdBy}};
    if (empty)
        entry.insert(QStringLiteral("empty_layer"), true);
    return entry;
}

QJsonArray operator+(QJsonArray a, const QJsonArray &b)
{
    for (const QJsonValue &v : b)
        a.append(v);
    return a;
}

} // namespace

/** One layer of a made-up image. */
struct LayerSpec
{
    QString seed;        ///< names the blob (its digest is blobDigest(seed))
    qint64 size = 0;     ///< compressed bytes
    QString mediaType;   ///< empty: the gzip layer type of the image's family
    QString diffSeed;    ///< names the diff_id; empty: the same as seed
    QJsonObject extra;   ///< further descriptor fields (urls, annotations, unknown ones)
};

/** A made-up single-platform image: what build() turns into manifest and config bytes. */
struct ImageSpec
{
    QString reference;
    Family family = Family::Oci;
    QList<LayerSpec> layers;
    QJsonArray history;                 ///< empty: the config has no "history"
    QJsonObject config;                 ///< top-level config fields besides rootfs and history
    QJsonObject manifestExtra;          ///< further top-level manifest fields
    QJsonObject configDescriptorExtra;  ///< further fields of the manifest's config descriptor
    bool omitMediaType = false;         ///< leave the manifest's mediaType field out (OCI allows it)
    int missingDiffIds = 0;             ///< diff_ids left out at the end, for inconsistent images
};
Q_DECLARE_METATYPE(ImageSpec)

namespace
{

/** Builds the image's config and manifest bytes and parses them with core's parsers; returns an error text. */
QString build(const ImageSpec &spec, ImageData *image)
{
    QJsonArray diffIds;
    for (qsizetype i = 0; i < spec.layers.size() - spec.missingDiffIds; ++i) {
        const LayerSpec &l = spec.layers.at(i);
        diffIds.append(diffDigest(l.diffSeed.isEmpty() ? l.seed : l.diffSeed));
    }
    QJsonObject config = spec.config;
    config.insert(QStringLiteral("rootfs"),
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")}, {QStringLiteral("diff_ids"), diffIds}});
    if (!spec.history.isEmpty())
        config.insert(QStringLiteral("history"), spec.history);
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Indented);

    QJsonArray layers;
    for (const LayerSpec &l : spec.layers) {
        QJsonObject d = l.extra;
        d.insert(QStringLiteral("mediaType"), !l.mediaType.isEmpty() ? l.mediaType
                                              : spec.family == Family::Docker ? MediaType::DockerLayer
                                                                              : MediaType::OciLayerGzip);
        d.insert(QStringLiteral("digest"), blobDigest(l.seed));
        d.insert(QStringLiteral("size"), l.size);
        layers.append(d);
    }
    QJsonObject configDescriptor = spec.configDescriptorExtra;
    configDescriptor.insert(QStringLiteral("mediaType"), MediaType::configType(spec.family));
    configDescriptor.insert(QStringLiteral("digest"), Digest::of(configBytes).toString());
    configDescriptor.insert(QStringLiteral("size"), configBytes.size());

    QJsonObject manifest = spec.manifestExtra;
    manifest.insert(QStringLiteral("schemaVersion"), 2);
    if (!spec.omitMediaType)
        manifest.insert(QStringLiteral("mediaType"), MediaType::manifestType(spec.family));
    manifest.insert(QStringLiteral("config"), configDescriptor);
    manifest.insert(QStringLiteral("layers"), layers);
    const QByteArray manifestBytes = QJsonDocument(manifest).toJson(QJsonDocument::Indented);

    const auto reference = Reference::parse(spec.reference);
    if (!reference)
        return reference.error().message;
    const auto parsedManifest = Manifest::parse(manifestBytes, MediaType::manifestType(spec.family));
    if (!parsedManifest)
        return parsedManifest.error().message;
    const auto parsedConfig = ImageConfig::parse(configBytes);
    if (!parsedConfig)
        return parsedConfig.error().message;
    image->reference = reference.value();
    image->manifest = parsedManifest.value();
    image->config = parsedConfig.value();
    return {};
}

const QString SourceRef = QStringLiteral("localhost:5000/team/app:1.0");
const QString OldBaseRef = QStringLiteral("localhost:5000/base/old:1");
const QString NewBaseRef = QStringLiteral("localhost:5000/base/new:2");

QJsonObject amd64()
{
    return QJsonObject{{QStringLiteral("os"), QStringLiteral("linux")},
                       {QStringLiteral("architecture"), QStringLiteral("amd64")}};
}

QList<LayerSpec> oldBaseLayers()
{
    return {{QStringLiteral("ob1"), 1000, {}, {}, {}},
            {QStringLiteral("ob2"), 2000, {}, {}, {}},
            {QStringLiteral("ob3"), 3000, {}, {}, {}}};
}

QJsonArray oldBaseHistory()
{
    return {step(QStringLiteral("ADD ob1")), step(QStringLiteral("ENV PATH=/old"), true), step(QStringLiteral("RUN ob2")),
            step(QStringLiteral("RUN ob3")), step(QStringLiteral("CMD [\"sh\"]"), true)};
}

QJsonArray appHistory()
{
    return {step(QStringLiteral("COPY app /app")), step(QStringLiteral("ENV APP_MODE=prod"), true),
            step(QStringLiteral("RUN make")), step(QStringLiteral("CMD [\"/app\"]"), true)};
}

/** The old base: three layers, with ENV and CMD steps that made none. */
ImageSpec oldBase(Family family = Family::Oci)
{
    ImageSpec spec;
    spec.reference = OldBaseRef;
    spec.family = family;
    spec.layers = oldBaseLayers();
    spec.history = oldBaseHistory();
    spec.config = amd64();
    spec.config.insert(QStringLiteral("created"), QStringLiteral("2023-01-01T00:00:00Z"));
    return spec;
}

/** The source: the old base and two app layers, with labels, env, author, platform details and unknown fields. */
ImageSpec source(Family family = Family::Oci)
{
    ImageSpec spec;
    spec.reference = SourceRef;
    spec.family = family;
    spec.layers = oldBaseLayers();
    spec.layers << LayerSpec{QStringLiteral("app1"), 100, {}, {}, {}} << LayerSpec{QStringLiteral("app2"), 200, {}, {}, {}};
    spec.history = oldBaseHistory() + appHistory();
    spec.config = object(R"({
        "os": "linux", "architecture": "amd64", "os.version": "1.0", "os.features": ["f1"],
        "created": "2024-05-05T00:00:00Z", "author": "dev@example.com",
        "config": {"Env": ["PATH=/old", "APP_MODE=prod"], "Cmd": ["/app"], "WorkingDir": "/srv",
                   "Labels": {"org.example.team": "core", "org.opencontainers.image.version": "1.0"}},
        "x-unknown": {"nested": [1, "two", null]}
    })");
    return spec;
}

/** The new base: one layer and its own ENV step, a newer os.version and no os.features. */
ImageSpec newBase(Family family = Family::Oci)
{
    ImageSpec spec;
    spec.reference = NewBaseRef;
    spec.family = family;
    spec.layers = {{QStringLiteral("nb1"), 5000, {}, {}, {}}};
    spec.history = {step(QStringLiteral("ADD nb1")), step(QStringLiteral("ENV PATH=/new"), true)};
    spec.config = amd64();
    spec.config.insert(QStringLiteral("os.version"), QStringLiteral("2.0"));
    spec.config.insert(QStringLiteral("created"), QStringLiteral("2025-02-02T00:00:00Z"));
    return spec;
}

ImageSpec withPlatform(ImageSpec spec, const char *platformJson)
{
    const QJsonObject platform = object(platformJson);
    for (const char *key : {"os", "architecture", "variant", "os.version", "os.features"})
        spec.config.remove(QLatin1String(key));
    for (auto it = platform.begin(); it != platform.end(); ++it)
        spec.config.insert(it.key(), it.value());
    return spec;
}

/** History as "created_by" texts, " (empty)" appended for entries that made no layer. */
QStringList describeHistory(const QList<Restack::Image::HistoryEntry> &history)
{
    QStringList list;
    for (const auto &entry : history)
        list << entry.createdBy + (entry.emptyLayer ? QStringLiteral(" (empty)") : QString());
    return list;
}

QStringList appHistoryText()
{
    return {QStringLiteral("COPY app /app"), QStringLiteral("ENV APP_MODE=prod (empty)"), QStringLiteral("RUN make"),
            QStringLiteral("CMD [\"/app\"] (empty)")};
}

QStringList newBaseHistoryText()
{
    return {QStringLiteral("ADD nb1"), QStringLiteral("ENV PATH=/new (empty)")};
}

struct Planned
{
    ImageData source;
    ImageData oldBase;
    ImageData newBase;
};

QString buildAll(const ImageSpec &s, const ImageSpec &o, const ImageSpec &n, Planned *planned)
{
    for (auto [spec, image] : {std::pair{&s, &planned->source}, std::pair{&o, &planned->oldBase},
                               std::pair{&n, &planned->newBase}}) {
        const QString error = build(*spec, image);
        if (!error.isEmpty())
            return spec->reference + QStringLiteral(": ") + error;
    }
    return {};
}

} // namespace

class PlanTest : public QObject
{
    Q_OBJECT

private slots:
    void plan_data();
    void plan();
    void stacksAndSizes();
    void configFieldsKept();
    void platformFields_data();
    void platformFields();
    void baseAnnotations_data();
    void baseAnnotations();
    void dockerResultHasNoAnnotations();
    void manifestFieldsKept();
    void manifestWithoutMediaTypeField();
    void foreignLayerUrlsKept();
    void deterministic();
};

void PlanTest::plan_data()
{
    QTest::addColumn<ImageSpec>("source");
    QTest::addColumn<ImageSpec>("oldBase");
    QTest::addColumn<ImageSpec>("newBase");
    QTest::addColumn<int>("kind");              // Error::Kind::Internal: the plan succeeds
    QTest::addColumn<QStringList>("messages");  // error: parts of its message; success: one part of each note
    QTest::addColumn<QStringList>("layers");    // seeds of the result's layer blobs
    QTest::addColumn<QStringList>("layerTypes");
    QTest::addColumn<QStringList>("diffIds");   // seeds of the result's diff_ids
    QTest::addColumn<QStringList>("history");   // the result's history, as describeHistory() writes it

    const int ok = int(Error::Kind::Internal);
    const QString gzip = MediaType::OciLayerGzip;
    const QString dockerGzip = MediaType::DockerLayer;
    const QStringList result1{QStringLiteral("nb1"), QStringLiteral("app1"), QStringLiteral("app2")};
    const QString dockerNote = QStringLiteral("Docker schema 2 manifests cannot carry the base annotations");

    // (a) the main case
    QTest::newRow("3-layer old base swapped for a 1-layer new base")
        << source() << oldBase() << newBase() << ok << QStringList{} << result1 << QStringList(3, gzip) << result1
        << newBaseHistoryText() + appHistoryText();

    // (b)
    {
        ImageSpec nb = newBase();
        nb.layers = {{QStringLiteral("nb1"), 5000, {}, {}, {}},
                     {QStringLiteral("nb2"), 6000, {}, {}, {}},
                     {QStringLiteral("nb3"), 7000, {}, {}, {}}};
        nb.history = {step(QStringLiteral("ADD nb1")), step(QStringLiteral("RUN nb2")),
                      step(QStringLiteral("ENV X=1"), true), step(QStringLiteral("RUN nb3"))};
        const QStringList layers{QStringLiteral("nb1"), QStringLiteral("nb2"), QStringLiteral("nb3"), QStringLiteral("app1"),
                                 QStringLiteral("app2")};
        QTest::newRow("multi-layer new base")
            << source() << oldBase() << nb << ok << QStringList{} << layers << QStringList(5, gzip) << layers
            << QStringList{QStringLiteral("ADD nb1"), QStringLiteral("RUN nb2"), QStringLiteral("ENV X=1 (empty)"),
                           QStringLiteral("RUN nb3")}
                   + appHistoryText();
    }

    // (c) media type conversion
    QTest::newRow("OCI source, Docker new base: layers become OCI")
        << source() << oldBase() << newBase(Family::Docker) << ok
        << QStringList{QStringLiteral("converted to OCI equivalents")} << result1 << QStringList(3, gzip) << result1
        << newBaseHistoryText() + appHistoryText();
    QTest::newRow("Docker source, OCI new base: layers become Docker")
        << source(Family::Docker) << oldBase(Family::Docker) << newBase() << ok
        << QStringList{QStringLiteral("converted to Docker schema 2 equivalents"), dockerNote} << result1
        << QStringList(3, dockerGzip) << result1 << newBaseHistoryText() + appHistoryText();
    QTest::newRow("Docker source, Docker new base: nothing converted")
        << source(Family::Docker) << oldBase(Family::Docker) << newBase(Family::Docker) << ok << QStringList{dockerNote}
        << result1 << QStringList(3, dockerGzip) << result1 << newBaseHistoryText() + appHistoryText();
    QTest::newRow("old base of the other family does not matter")
        << source() << oldBase(Family::Docker) << newBase() << ok << QStringList{} << result1 << QStringList(3, gzip)
        << result1 << newBaseHistoryText() + appHistoryText();
    {
        ImageSpec nb = newBase(Family::Docker);
        nb.layers[0].mediaType = MediaType::DockerForeignLayer;
        nb.layers[0].extra = object(R"({"urls": ["https://mirror.example.com/nb1.tar.gz"]})");
        QTest::newRow("Docker foreign layer into OCI: non-distributable")
            << source() << oldBase() << nb << ok << QStringList{QStringLiteral("converted to OCI equivalents")} << result1
            << QStringList{MediaType::OciNondistributableLayerGzip, gzip, gzip} << result1
            << newBaseHistoryText() + appHistoryText();
    }
    {
        ImageSpec nb = newBase();
        nb.layers[0].mediaType = MediaType::OciNondistributableLayerGzip;
        nb.layers[0].extra = object(R"({"urls": ["https://mirror.example.com/nb1.tar.gz"]})");
        QTest::newRow("OCI non-distributable layer into Docker: foreign")
            << source(Family::Docker) << oldBase(Family::Docker) << nb << ok
            << QStringList{QStringLiteral("converted to Docker schema 2 equivalents"), dockerNote} << result1
            << QStringList{MediaType::DockerForeignLayer, dockerGzip, dockerGzip} << result1
            << newBaseHistoryText() + appHistoryText();
    }
    {
        ImageSpec nb = newBase(Family::Docker);
        nb.layers[0].mediaType = MediaType::DockerLayerUncompressed;
        QTest::newRow("uncompressed Docker layer into OCI")
            << source() << oldBase() << nb << ok << QStringList{QStringLiteral("converted to OCI equivalents")} << result1
            << QStringList{MediaType::OciLayer, gzip, gzip} << result1 << newBaseHistoryText() + appHistoryText();
    }
    {
        ImageSpec nb = newBase();
        nb.layers[0].mediaType = MediaType::OciLayer;
        QTest::newRow("uncompressed OCI layer into Docker")
            << source(Family::Docker) << oldBase(Family::Docker) << nb << ok
            << QStringList{QStringLiteral("converted to Docker schema 2 equivalents"), dockerNote} << result1
            << QStringList{MediaType::DockerLayerUncompressed, dockerGzip, dockerGzip} << result1
            << newBaseHistoryText() + appHistoryText();
    }
    {
        ImageSpec nb = newBase();
        nb.layers[0].mediaType = MediaType::OciLayerZstd;
        QTest::newRow("zstd into OCI is kept")
            << source() << oldBase() << nb << ok << QStringList{} << result1
            << QStringList{MediaType::OciLayerZstd, gzip, gzip} << result1 << newBaseHistoryText() + appHistoryText();
        QTest::newRow("zstd into Docker is unsupported")
            << source(Family::Docker) << oldBase(Family::Docker) << nb << int(Error::Kind::Unsupported)
            << QStringList{QStringLiteral("layer 0 of the new base localhost:5000/base/new:2 has media type "
                                          "application/vnd.oci.image.layer.v1.tar+zstd, which a Docker schema 2 "
                                          "manifest cannot express")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }
    {
        ImageSpec nb = newBase();
        nb.layers[0].mediaType = MediaType::OciNondistributableLayer;
        QTest::newRow("uncompressed non-distributable into Docker is unsupported")
            << source(Family::Docker) << oldBase(Family::Docker) << nb << int(Error::Kind::Unsupported)
            << QStringList{QStringLiteral("application/vnd.oci.image.layer.nondistributable.v1.tar,")} << QStringList{}
            << QStringList{} << QStringList{} << QStringList{};
    }

    // (d) the old base must be a prefix of the source
    {
        ImageSpec src = source();
        src.layers[1] = {QStringLiteral("ob2x"), 2000, {}, {}, {}};
        QTest::newRow("old base layer 1 differs")
            << src << oldBase() << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral("the old base localhost:5000/base/old:1 is not a prefix of the source "
                                          "localhost:5000/team/app:1.0: layer 1 differs"),
                           blobDigest(QStringLiteral("ob2x")), blobDigest(QStringLiteral("ob2")),
                           diffDigest(QStringLiteral("ob2x")), diffDigest(QStringLiteral("ob2"))}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }
    {
        ImageSpec src = source();
        src.layers[0] = {QStringLiteral("other"), 1000, {}, {}, {}};
        QTest::newRow("old base layer 0 differs")
            << src << oldBase() << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral(": layer 0 differs"), blobDigest(QStringLiteral("other"))} << QStringList{}
            << QStringList{} << QStringList{} << QStringList{};
    }
    {
        ImageSpec src = source();
        src.history[1] = step(QStringLiteral("ENV PATH=/other"), true);
        QTest::newRow("history entry 1 differs")
            << src << oldBase() << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral("history entry 1 differs"), QStringLiteral("ENV PATH=/other"),
                           QStringLiteral("ENV PATH=/old")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }
    {
        ImageSpec src = source();
        src.history[4] = step(QStringLiteral("CMD [\"sh\"]"), false);
        src.history.removeAt(5); // keep one non-empty entry per layer
        QTest::newRow("history entry 4 differs in empty_layer only")
            << src << oldBase() << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral("history entry 4 differs")} << QStringList{} << QStringList{} << QStringList{}
            << QStringList{};
    }
    {
        ImageSpec src = source();
        src.layers = oldBaseLayers().mid(0, 2);
        src.history = {step(QStringLiteral("ADD ob1")), step(QStringLiteral("ENV PATH=/old"), true),
                       step(QStringLiteral("RUN ob2"))};
        QTest::newRow("old base longer than the source")
            << src << oldBase() << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral("the old base localhost:5000/base/old:1 has 3 layers but the source "
                                          "localhost:5000/team/app:1.0 has only 2")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }
    {
        ImageSpec src = source();
        src.layers = oldBaseLayers();
        src.history = oldBaseHistory();
        ImageSpec ob = oldBase();
        ob.history.append(step(QStringLiteral("LABEL x=y"), true));
        QTest::newRow("old base history longer than the source's")
            << src << ob << newBase() << int(Error::Kind::NotPrefix)
            << QStringList{QStringLiteral("has 6 history entries but the source localhost:5000/team/app:1.0 has only 5")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }

    // (e) a recompressed old base layer: same diff_id, different blob
    {
        ImageSpec src = source();
        src.layers[1] = {QStringLiteral("ob2-recompressed"), 2100, {}, QStringLiteral("ob2"), {}};
        QTest::newRow("recompressed prefix layer accepted")
            << src << oldBase() << newBase() << ok
            << QStringList{QStringLiteral("layer 1 matches the old base by diff_id")} << result1 << QStringList(3, gzip)
            << result1 << newBaseHistoryText() + appHistoryText();
    }

    // (f) platforms
    QTest::newRow("arm64 new base for an amd64 source")
        << source() << oldBase() << withPlatform(newBase(), R"({"os": "linux", "architecture": "arm64"})")
        << int(Error::Kind::PlatformMismatch)
        << QStringList{QStringLiteral("the new base localhost:5000/base/new:2 is linux/arm64 but the source "
                                      "localhost:5000/team/app:1.0 is linux/amd64")}
        << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("arm64 old base for an amd64 source")
        << source() << withPlatform(oldBase(), R"({"os": "linux", "architecture": "arm64"})") << newBase()
        << int(Error::Kind::PlatformMismatch)
        << QStringList{QStringLiteral("the old base localhost:5000/base/old:1 is linux/arm64")} << QStringList{}
        << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("windows new base for a linux source")
        << source() << oldBase() << withPlatform(newBase(), R"({"os": "windows", "architecture": "amd64"})")
        << int(Error::Kind::PlatformMismatch) << QStringList{QStringLiteral("is windows/amd64 but the source")}
        << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    {
        const char *v7 = R"({"os": "linux", "architecture": "arm", "variant": "v7"})";
        QTest::newRow("arm/v6 new base for an arm/v7 source")
            << withPlatform(source(), v7) << withPlatform(oldBase(), v7)
            << withPlatform(newBase(), R"({"os": "linux", "architecture": "arm", "variant": "v6"})")
            << int(Error::Kind::PlatformMismatch)
            << QStringList{QStringLiteral("is linux/arm/v6 but the source localhost:5000/team/app:1.0 is linux/arm/v7")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    }
    {
        const char *v8 = R"({"os": "linux", "architecture": "arm64", "variant": "v8"})";
        QTest::newRow("arm64 without variant matches arm64/v8")
            << withPlatform(source(), v8) << withPlatform(oldBase(), v8)
            << withPlatform(newBase(), R"({"os": "linux", "architecture": "arm64"})") << ok << QStringList{} << result1
            << QStringList(3, gzip) << result1 << newBaseHistoryText() + appHistoryText();
    }

    // (j) missing history is synthesized so that the non-empty entries still number the layers
    {
        ImageSpec src = source();
        src.history = {};
        ImageSpec ob = oldBase();
        ob.history = {};
        QTest::newRow("source without history")
            << src << ob << newBase() << ok << QStringList{} << result1 << QStringList(3, gzip) << result1
            << newBaseHistoryText()
                   + QStringList{QStringLiteral("layer 3 of localhost:5000/team/app:1.0"),
                                 QStringLiteral("layer 4 of localhost:5000/team/app:1.0")};
        QTest::newRow("source without history, old base with")
            << src << oldBase() << newBase() << ok << QStringList{} << result1 << QStringList(3, gzip) << result1
            << newBaseHistoryText()
                   + QStringList{QStringLiteral("layer 3 of localhost:5000/team/app:1.0"),
                                 QStringLiteral("layer 4 of localhost:5000/team/app:1.0")};
    }
    {
        ImageSpec nb = newBase();
        nb.history = {};
        QTest::newRow("new base without history")
            << source() << oldBase() << nb << ok << QStringList{} << result1 << QStringList(3, gzip) << result1
            << QStringList{QStringLiteral("layer 0 of localhost:5000/base/new:2")} + appHistoryText();
    }
    {
        ImageSpec ob = oldBase();
        ob.history = {};
        // Without the old base's history its part of the source's history ends with its last layer's entry, so
        // the old base's trailing CMD is counted as the app's.
        QTest::newRow("old base without history")
            << source() << ob << newBase() << ok << QStringList{} << result1 << QStringList(3, gzip) << result1
            << newBaseHistoryText() + QStringList{QStringLiteral("CMD [\"sh\"] (empty)")} + appHistoryText();
    }
    {
        ImageSpec src = source();
        src.history = {};
        ImageSpec ob = oldBase();
        ob.history = {};
        ImageSpec nb = newBase();
        nb.history = {};
        QTest::newRow("no history anywhere")
            << src << ob << nb << ok << QStringList{} << result1 << QStringList(3, gzip) << result1 << QStringList{};
    }
    {
        ImageSpec nb = newBase();
        nb.history = {step(QStringLiteral("ADD nb1")), step(QStringLiteral("RUN extra"))};
        QTest::newRow("new base history not matching its layers is replaced")
            << source() << oldBase() << nb << ok
            << QStringList{QStringLiteral("the new base's history does not match its layers")} << result1
            << QStringList(3, gzip) << result1
            << QStringList{QStringLiteral("layer 0 of localhost:5000/base/new:2")} + appHistoryText();
    }
    {
        ImageSpec src = source();
        src.history.append(step(QStringLiteral("RUN phantom")));
        QTest::newRow("source history not matching its layers is replaced")
            << src << oldBase() << newBase() << ok
            << QStringList{QStringLiteral("the source's history does not match its own layers")} << result1
            << QStringList(3, gzip) << result1
            << newBaseHistoryText()
                   + QStringList{QStringLiteral("layer 3 of localhost:5000/team/app:1.0"),
                                 QStringLiteral("layer 4 of localhost:5000/team/app:1.0")};
    }
    {
        ImageSpec src = source();
        src.layers = oldBaseLayers();
        src.history = oldBaseHistory() + QJsonArray{step(QStringLiteral("LABEL only=metadata"), true)};
        QTest::newRow("source without layers of its own")
            << src << oldBase() << newBase() << ok << QStringList{QStringLiteral("the source has no layers of its own")}
            << QStringList{QStringLiteral("nb1")} << QStringList{gzip} << QStringList{QStringLiteral("nb1")}
            << newBaseHistoryText() + QStringList{QStringLiteral("LABEL only=metadata (empty)")};
    }

    // (k) inconsistent images
    {
        ImageSpec src = source();
        src.missingDiffIds = 1;
        QTest::newRow("source with fewer diff_ids than layers")
            << src << oldBase() << newBase() << int(Error::Kind::InvalidContent)
            << QStringList{QStringLiteral("the source localhost:5000/team/app:1.0 is inconsistent: its manifest has 5 "
                                          "layers but its config lists 4 diff_ids")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
        ImageSpec ob = oldBase();
        ob.missingDiffIds = 3;
        QTest::newRow("old base without diff_ids")
            << source() << ob << newBase() << int(Error::Kind::InvalidContent)
            << QStringList{QStringLiteral("the old base localhost:5000/base/old:1 is inconsistent: its manifest has 3 "
                                          "layers but its config lists 0 diff_ids")}
            << QStringList{} << QStringList{} << QStringList{} << QStringList{};
        ImageSpec nb = newBase();
        nb.missingDiffIds = 1;
        QTest::newRow("new base with fewer diff_ids than layers")
            << source() << oldBase() << nb << int(Error::Kind::InvalidContent)
            << QStringList{QStringLiteral("the new base localhost:5000/base/new:2 is inconsistent")} << QStringList{}
            << QStringList{} << QStringList{} << QStringList{};
    }
}

void PlanTest::plan()
{
    QFETCH(ImageSpec, source);
    QFETCH(ImageSpec, oldBase);
    QFETCH(ImageSpec, newBase);
    QFETCH(int, kind);
    QFETCH(QStringList, messages);
    QFETCH(QStringList, layers);
    QFETCH(QStringList, layerTypes);
    QFETCH(QStringList, diffIds);
    QFETCH(QStringList, history);

    Planned in;
    const QString buildError = buildAll(source, oldBase, newBase, &in);
    QVERIFY2(buildError.isEmpty(), qPrintable(buildError));

    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    if (kind != int(Error::Kind::Internal)) {
        QVERIFY2(!result.ok(), "planned although it should fail");
        QCOMPARE(Error::kindName(result.error().kind), Error::kindName(Error::Kind(kind)));
        for (const QString &part : messages)
            QVERIFY2(result.error().message.contains(part),
                     qPrintable(QStringLiteral("\"%1\" not in: %2").arg(part, result.error().message)));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const Plan &plan = result.value();

    // Notes: exactly the expected ones.
    QCOMPARE(plan.notes.size(), messages.size());
    for (const QString &part : messages)
        QVERIFY2(plan.notes.join(QLatin1Char('\n')).contains(part),
                 qPrintable(QStringLiteral("\"%1\" not in notes: %2").arg(part, plan.notes.join(QStringLiteral(" | ")))));

    // The planned bytes parse, and their digests are what the plan says.
    QCOMPARE(plan.manifestDigest, Digest::of(plan.manifest));
    QCOMPARE(plan.configDescriptor.digest, Digest::of(plan.config));
    QCOMPARE(plan.configDescriptor.size, plan.config.size());
    QCOMPARE(plan.manifestMediaType, in.source.manifest.mediaType());
    const auto manifest = Manifest::parse(plan.manifest, plan.manifestMediaType);
    QVERIFY2(manifest.ok(), qPrintable(manifest.ok() ? QString() : manifest.error().message));
    const auto config = ImageConfig::parse(plan.config);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(manifest->mediaType(), in.source.manifest.mediaType());
    QCOMPARE(manifest->family(), in.source.manifest.family());
    QCOMPARE(manifest->config().digest, Digest::of(plan.config));
    QCOMPARE(manifest->config().size, plan.config.size());
    QCOMPARE(manifest->config().mediaType, in.source.manifest.config().mediaType);

    // Layers and diff_ids.
    QStringList actualLayers;
    QStringList actualTypes;
    for (const auto &layer : manifest->layers()) {
        actualLayers << layer.digest.toString();
        actualTypes << layer.mediaType;
    }
    QStringList expectedLayers;
    for (const QString &seed : layers)
        expectedLayers << blobDigest(seed);
    QCOMPARE(actualLayers, expectedLayers);
    QCOMPARE(actualTypes, layerTypes);
    QStringList actualDiffIds;
    for (const Digest &d : config->diffIds())
        actualDiffIds << d.toString();
    QStringList expectedDiffIds;
    for (const QString &seed : diffIds)
        expectedDiffIds << diffDigest(seed);
    QCOMPARE(actualDiffIds, expectedDiffIds);

    // History, and one non-empty entry per layer whenever there is a history.
    QCOMPARE(describeHistory(config->history()), history);
    QCOMPARE(config->json().contains(QStringLiteral("history")), !history.isEmpty());
    if (!history.isEmpty())
        QCOMPARE(config->nonEmptyHistoryCount(), manifest->layers().size());

    // The new stack is the manifest's layers; the old stack is the source's.
    QCOMPARE(plan.newStack.size(), manifest->layers().size());
    for (qsizetype i = 0; i < plan.newStack.size(); ++i) {
        QCOMPARE(plan.newStack.at(i).index, int(i));
        QCOMPARE(plan.newStack.at(i).descriptor.digest, manifest->layers().at(i).digest);
        QCOMPARE(plan.newStack.at(i).descriptor.mediaType, manifest->layers().at(i).mediaType);
        QCOMPARE(plan.newStack.at(i).diffId, config->diffIds().at(i));
        QCOMPARE(plan.newStack.at(i).origin, i < in.newBase.manifest.layers().size() ? Origin::NewBase : Origin::App);
    }
    QCOMPARE(plan.oldStack.size(), in.source.manifest.layers().size());
    for (qsizetype i = 0; i < plan.oldStack.size(); ++i) {
        QCOMPARE(plan.oldStack.at(i).index, int(i));
        QCOMPARE(plan.oldStack.at(i).descriptor.digest, in.source.manifest.layers().at(i).digest);
        QCOMPARE(plan.oldStack.at(i).origin, i < in.oldBase.manifest.layers().size() ? Origin::OldBase : Origin::App);
    }
    QCOMPARE(plan.appLayerCount(), int(in.source.manifest.layers().size() - in.oldBase.manifest.layers().size()));
    qint64 sourceBaseBytes = 0;
    for (qsizetype i = 0; i < in.oldBase.manifest.layers().size(); ++i)
        sourceBaseBytes += in.source.manifest.layers().at(i).size;
    QCOMPARE(plan.bytesRemoved(), sourceBaseBytes);
    QCOMPARE(plan.bytesAdded(), in.newBase.manifest.layersSize());
}

void PlanTest::stacksAndSizes()
{
    Planned in;
    QVERIFY(buildAll(source(), oldBase(), newBase(), &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const Plan &plan = result.value();

    auto describe = [](const QList<Restack::Rebase::StackLayer> &stack) {
        QStringList list;
        for (const auto &l : stack)
            list << QStringLiteral("%1 %2 %3 %4 \"%5\"")
                        .arg(l.index)
                        .arg(Restack::Rebase::originName(l.origin), l.descriptor.digest.toString())
                        .arg(l.descriptor.size)
                        .arg(l.createdBy);
        return list;
    };
    const auto line = [](int index, const char *origin, const char *seed, qint64 size, const char *createdBy) {
        return QStringLiteral("%1 %2 %3 %4 \"%5\"")
            .arg(index)
            .arg(QLatin1String(origin), blobDigest(QLatin1String(seed)))
            .arg(size)
            .arg(QLatin1String(createdBy));
    };
    QCOMPARE(describe(plan.oldStack), (QStringList{line(0, "old base", "ob1", 1000, "ADD ob1"),
                                                   line(1, "old base", "ob2", 2000, "RUN ob2"),
                                                   line(2, "old base", "ob3", 3000, "RUN ob3"),
                                                   line(3, "app", "app1", 100, "COPY app /app"),
                                                   line(4, "app", "app2", 200, "RUN make")}));
    QCOMPARE(describe(plan.newStack), (QStringList{line(0, "new base", "nb1", 5000, "ADD nb1"),
                                                   line(1, "app", "app1", 100, "COPY app /app"),
                                                   line(2, "app", "app2", 200, "RUN make")}));
    QCOMPARE(plan.oldStack.at(4).diffId.toString(), diffDigest(QStringLiteral("app2")));
    QCOMPARE(plan.newStack.at(0).diffId.toString(), diffDigest(QStringLiteral("nb1")));
    QCOMPARE(plan.bytesRemoved(), 6000);
    QCOMPARE(plan.bytesAdded(), 5000);
    QCOMPARE(plan.appLayerCount(), 2);
    QCOMPARE(plan.source.reference.toString(), SourceRef);
    QCOMPARE(plan.oldBase.reference.toString(), OldBaseRef);
    QCOMPARE(plan.newBase.reference.toString(), NewBaseRef);
    QVERIFY(plan.notes.isEmpty());
}

void PlanTest::configFieldsKept()
{
    Planned in;
    QVERIFY(buildAll(source(), oldBase(), newBase(), &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const auto config = ImageConfig::parse(result->config);
    QVERIFY(config.ok());
    const QJsonObject &out = config->json();
    const QJsonObject &src = in.source.config.json();

    // Platform fields come from the new base; os.features is removed since the new base has none.
    QCOMPARE(out.value(QStringLiteral("os")).toString(), QStringLiteral("linux"));
    QCOMPARE(out.value(QStringLiteral("architecture")).toString(), QStringLiteral("amd64"));
    QCOMPARE(out.value(QStringLiteral("os.version")).toString(), QStringLiteral("2.0"));
    QVERIFY(!out.contains(QStringLiteral("os.features")));
    QVERIFY(!out.contains(QStringLiteral("variant")));

    // Everything else is the source's, value for value: created, author, config (env, cmd, labels), unknown.
    QCOMPARE(config->created(), QStringLiteral("2024-05-05T00:00:00Z"));
    QCOMPARE(config->author(), QStringLiteral("dev@example.com"));
    QCOMPARE(config->env(), (QStringList{QStringLiteral("PATH=/old"), QStringLiteral("APP_MODE=prod")}));
    QCOMPARE(config->cmd(), QStringList{QStringLiteral("/app")});
    QCOMPARE(config->labels().value(QStringLiteral("org.example.team")).toString(), QStringLiteral("core"));
    QCOMPARE(out.value(QStringLiteral("x-unknown")), src.value(QStringLiteral("x-unknown")));
    const QSet<QString> changed{QStringLiteral("rootfs"),     QStringLiteral("history"),     QStringLiteral("os"),
                                QStringLiteral("architecture"), QStringLiteral("variant"),   QStringLiteral("os.version"),
                                QStringLiteral("os.features")};
    for (auto it = src.begin(); it != src.end(); ++it) {
        if (!changed.contains(it.key()))
            QVERIFY2(out.value(it.key()) == it.value(), qPrintable(it.key()));
    }
    for (auto it = out.begin(); it != out.end(); ++it)
        QVERIFY2(src.contains(it.key()) || changed.contains(it.key()), qPrintable(it.key()));
    QCOMPARE(out.value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("layers"));
    // History entries are carried over whole (created timestamps included), not rebuilt.
    QCOMPARE(out.value(QStringLiteral("history")).toArray().at(2), QJsonValue(step(QStringLiteral("COPY app /app"))));
}

void PlanTest::platformFields_data()
{
    QTest::addColumn<QJsonObject>("sourcePlatform");
    QTest::addColumn<QJsonObject>("newBasePlatform");
    QTest::addColumn<QJsonObject>("expected");

    QTest::newRow("os.version replaced, os.features removed")
        << object(R"({"os": "linux", "architecture": "amd64", "os.version": "1.0", "os.features": ["f1"]})")
        << object(R"({"os": "linux", "architecture": "amd64", "os.version": "2.0"})")
        << object(R"({"os": "linux", "architecture": "amd64", "os.version": "2.0"})");
    QTest::newRow("os.version removed")
        << object(R"({"os": "linux", "architecture": "amd64", "os.version": "1.0"})")
        << object(R"({"os": "linux", "architecture": "amd64"})") << object(R"({"os": "linux", "architecture": "amd64"})");
    QTest::newRow("arm64 variant v8 removed")
        << object(R"({"os": "linux", "architecture": "arm64", "variant": "v8"})")
        << object(R"({"os": "linux", "architecture": "arm64"})") << object(R"({"os": "linux", "architecture": "arm64"})");
    QTest::newRow("arm64 variant v8 adopted")
        << object(R"({"os": "linux", "architecture": "arm64"})")
        << object(R"({"os": "linux", "architecture": "arm64", "variant": "v8"})")
        << object(R"({"os": "linux", "architecture": "arm64", "variant": "v8"})");
    QTest::newRow("windows os.version and os.features adopted")
        << object(R"({"os": "windows", "architecture": "amd64", "os.version": "10.0.17763.1"})")
        << object(R"({"os": "windows", "architecture": "amd64", "os.version": "10.0.17763.5000", "os.features": ["win32k"]})")
        << object(R"({"os": "windows", "architecture": "amd64", "os.version": "10.0.17763.5000", "os.features": ["win32k"]})");
    QTest::newRow("empty os.features array is removed, variant kept")
        << object(R"({"os": "linux", "architecture": "amd64", "os.features": ["f1"], "variant": "v2"})")
        << object(R"({"os": "linux", "architecture": "amd64", "os.features": [], "variant": "v2"})")
        << object(R"({"os": "linux", "architecture": "amd64", "variant": "v2"})");
}

void PlanTest::platformFields()
{
    QFETCH(QJsonObject, sourcePlatform);
    QFETCH(QJsonObject, newBasePlatform);
    QFETCH(QJsonObject, expected);

    const QByteArray src = QJsonDocument(sourcePlatform).toJson();
    const QByteArray nb = QJsonDocument(newBasePlatform).toJson();
    Planned in;
    QVERIFY(buildAll(withPlatform(source(), src.constData()), withPlatform(oldBase(), src.constData()),
                     withPlatform(newBase(), nb.constData()), &in)
                .isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const QJsonObject out = QJsonDocument::fromJson(result->config).object();
    for (const char *key : {"os", "architecture", "variant", "os.version", "os.features"})
        QVERIFY2(out.value(QLatin1String(key)) == expected.value(QLatin1String(key)), key);
}

void PlanTest::baseAnnotations_data()
{
    QTest::addColumn<QString>("newBaseReference");
    QTest::addColumn<QString>("baseName");

    const QString digest = blobDigest(QStringLiteral("some index"));
    QTest::newRow("tag") << NewBaseRef << NewBaseRef;
    QTest::newRow("tag and digest: tag kept, digest dropped") << NewBaseRef + QLatin1Char('@') + digest << NewBaseRef;
    QTest::newRow("digest only") << QStringLiteral("localhost:5000/base/new@") + digest
                                 << QStringLiteral("localhost:5000/base/new");
    QTest::newRow("neither") << QStringLiteral("localhost:5000/base/new") << QStringLiteral("localhost:5000/base/new");
    QTest::newRow("Docker Hub, normalised") << QStringLiteral("alpine:3.19")
                                            << QStringLiteral("docker.io/library/alpine:3.19");
}

void PlanTest::baseAnnotations()
{
    QFETCH(QString, newBaseReference);
    QFETCH(QString, baseName);

    ImageSpec src = source();
    src.manifestExtra = object(R"({"annotations": {"org.opencontainers.image.source": "https://git.example.com/app",
        "org.opencontainers.image.base.name": "stale", "org.opencontainers.image.base.digest": "stale"}})");
    ImageSpec nb = newBase();
    nb.reference = newBaseReference;
    Planned in;
    QVERIFY(buildAll(src, oldBase(), nb, &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));

    const auto manifest = Manifest::parse(result->manifest, result->manifestMediaType);
    QVERIFY(manifest.ok());
    const QJsonObject annotations = manifest->annotations();
    QCOMPARE(annotations.value(Restack::Rebase::BaseNameAnnotation).toString(), baseName);
    // The image manifest's digest, never the digest the user named (which may be an index's).
    QCOMPARE(annotations.value(Restack::Rebase::BaseDigestAnnotation).toString(),
             in.newBase.manifest.digest().toString());
    QCOMPARE(annotations.value(QStringLiteral("org.opencontainers.image.source")).toString(),
             QStringLiteral("https://git.example.com/app"));
    QCOMPARE(annotations.size(), 3);
    QVERIFY(result->notes.isEmpty());
}

void PlanTest::dockerResultHasNoAnnotations()
{
    Planned in;
    QVERIFY(buildAll(source(Family::Docker), oldBase(Family::Docker), newBase(Family::Docker), &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));

    const QJsonObject manifest = QJsonDocument::fromJson(result->manifest).object();
    QVERIFY(!manifest.contains(QStringLiteral("annotations")));
    QCOMPARE(manifest.value(QStringLiteral("mediaType")).toString(), MediaType::DockerManifest);
    QCOMPARE(manifest.value(QStringLiteral("config")).toObject().value(QStringLiteral("mediaType")).toString(),
             MediaType::DockerConfig);
    QCOMPARE(result->manifestMediaType, MediaType::DockerManifest);
    QCOMPARE(result->notes.size(), 1);
    QVERIFY2(result->notes.at(0).contains(QStringLiteral("--old-base ") + NewBaseRef + QLatin1Char('@')
                                          + in.newBase.manifest.digest().toString()),
             qPrintable(result->notes.at(0)));
}

void PlanTest::manifestFieldsKept()
{
    ImageSpec src = source();
    src.manifestExtra = object(R"({"x-custom": {"k": [1, "two", {"three": 3}]},
        "annotations": {"org.opencontainers.image.source": "https://git.example.com/app"},
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 12,
                    "digest": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}})");
    src.configDescriptorExtra = object(R"({"annotations": {"org.example.config": "x"}, "x-config-extra": 7})");
    src.layers[3].extra = object(R"({"annotations": {"org.example.layer": "app1"},
        "urls": ["https://example.com/app1.tar.gz"], "x-layer-extra": [true]})");
    ImageSpec nb = newBase();
    nb.layers[0].extra = object(R"({"annotations": {"org.example.base": "nb1"}, "x-nb": 5})");

    Planned in;
    QVERIFY(buildAll(src, oldBase(), nb, &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const QJsonObject out = QJsonDocument::fromJson(result->manifest).object();
    const QJsonObject &in_ = in.source.manifest.json();

    // The same top-level fields, and every one but config, layers and annotations unchanged.
    QCOMPARE(out.keys(), in_.keys());
    for (const QString &key : in_.keys()) {
        if (key != QLatin1String("config") && key != QLatin1String("layers") && key != QLatin1String("annotations"))
            QVERIFY2(out.value(key) == in_.value(key), qPrintable(key));
    }
    QCOMPARE(out.value(QStringLiteral("schemaVersion")).toInt(), 2);

    // App layer descriptors verbatim; new base layer descriptors with their own extra fields.
    const QJsonArray layers = out.value(QStringLiteral("layers")).toArray();
    QCOMPARE(layers.size(), 3);
    QCOMPARE(layers.at(1).toObject(), in.source.manifest.layers().at(3).json);
    QCOMPARE(layers.at(2).toObject(), in.source.manifest.layers().at(4).json);
    QCOMPARE(layers.at(0).toObject(), in.newBase.manifest.layers().at(0).json);

    // The config descriptor keeps its extra fields; only digest and size change.
    QJsonObject config = out.value(QStringLiteral("config")).toObject();
    QJsonObject sourceConfig = in_.value(QStringLiteral("config")).toObject();
    QCOMPARE(config.value(QStringLiteral("digest")).toString(), Digest::of(result->config).toString());
    QCOMPARE(config.value(QStringLiteral("size")).toInteger(), result->config.size());
    for (QJsonObject *o : {&config, &sourceConfig}) {
        o->remove(QStringLiteral("digest"));
        o->remove(QStringLiteral("size"));
    }
    QCOMPARE(config, sourceConfig);
}

void PlanTest::manifestWithoutMediaTypeField()
{
    ImageSpec src = source();
    src.omitMediaType = true;
    Planned in;
    QVERIFY(buildAll(src, oldBase(), newBase(), &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->manifestMediaType, MediaType::OciManifest);
    const QJsonObject out = QJsonDocument::fromJson(result->manifest).object();
    QVERIFY(!out.contains(QStringLiteral("mediaType")));
    QVERIFY(out.contains(QStringLiteral("annotations")));
}

void PlanTest::foreignLayerUrlsKept()
{
    ImageSpec nb = newBase(Family::Docker);
    nb.layers[0].mediaType = MediaType::DockerForeignLayer;
    nb.layers[0].extra = object(R"({"urls": ["https://mirror.example.com/nb1.tar.gz", "https://b.example.com/nb1"]})");
    Planned in;
    QVERIFY(buildAll(source(), oldBase(), nb, &in).isEmpty());
    const auto result = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const auto manifest = Manifest::parse(result->manifest, result->manifestMediaType);
    QVERIFY(manifest.ok());
    const auto &layer = manifest->layers().at(0);
    QCOMPARE(layer.mediaType, MediaType::OciNondistributableLayerGzip);
    QVERIFY(layer.isForeign());
    QCOMPARE(layer.urls, (QStringList{QStringLiteral("https://mirror.example.com/nb1.tar.gz"),
                                      QStringLiteral("https://b.example.com/nb1")}));
    QCOMPARE(layer.digest.toString(), blobDigest(QStringLiteral("nb1")));
    QCOMPARE(layer.size, 5000);
    QVERIFY(result->newStack.at(0).descriptor.isForeign());
}

void PlanTest::deterministic()
{
    Planned in;
    QVERIFY(buildAll(source(), oldBase(), newBase(), &in).isEmpty());
    const auto first = planRebase(in.source, in.oldBase, in.newBase);
    const auto second = planRebase(in.source, in.oldBase, in.newBase);
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->manifest, second->manifest);
    QCOMPARE(first->config, second->config);
    QCOMPARE(first->manifestDigest, second->manifestDigest);
    // The result differs from the source, and the inputs were not modified.
    QVERIFY(first->manifestDigest != in.source.manifest.digest());
    QCOMPARE(first->source.manifest.raw(), in.source.manifest.raw());
}

QTEST_GUILESS_MAIN(PlanTest)
#include "tst_plan.moc"
