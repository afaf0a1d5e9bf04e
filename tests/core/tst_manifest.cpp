// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Manifest and image config parsing: Docker schema 2 and OCI manifests and indexes (manifest.md,
// image-index.md, descriptor.md, config.md), media type resolution (field, Content-Type, inference), the
// 4 MiB limit, invalid shapes and descriptors, and that the exact bytes and unknown fields are kept.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "common/error.h"
#include "image/digest.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/mediatypes.h"

using Restack::Error;
using Restack::Image::Digest;
using Restack::Image::ImageConfig;
using Restack::Image::Manifest;
namespace MediaType = Restack::Image::MediaType;

namespace
{

QByteArray fakeDigest(const char *seed)
{
    return Digest::of(QByteArray(seed)).toString().toLatin1();
}

// Replaces the placeholders %CONFIG, %L1, %L2, %M1, %M2 by well-formed digests.
QByteArray fill(QByteArray text)
{
    text.replace("%CONFIG", fakeDigest("config"));
    text.replace("%L1", fakeDigest("layer1"));
    text.replace("%L2", fakeDigest("layer2"));
    text.replace("%M1", fakeDigest("manifest1"));
    text.replace("%M2", fakeDigest("manifest2"));
    return text;
}

const QByteArray DockerManifest = fill(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": "%CONFIG"},
  "layers": [
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 3370706, "digest": "%L1"},
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1024, "digest": "%L2"}
  ]
})");

const QByteArray OciManifest = fill(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7023, "digest": "%CONFIG"},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 32654, "digest": "%L1"},
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 16724, "digest": "%L2"}
  ],
  "annotations": {"com.example.key1": "value1"}
})");

const QByteArray OciManifestBare = fill(R"({
  "schemaVersion": 2,
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7023, "digest": "%CONFIG"},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 32654, "digest": "%L1"}
  ]
})");

const QByteArray OciIndex = fill(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7143, "digest": "%M1",
     "platform": {"architecture": "ppc64le", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7682, "digest": "%M2",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
  ]
})");

const QByteArray OciIndexBare = fill(R"({
  "schemaVersion": 2,
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7143, "digest": "%M1"}
  ]
})");

const QByteArray DockerList = fill(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143, "digest": "%M1",
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7682, "digest": "%M2",
     "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}}
  ]
})");

const QByteArray Schema1 = R"({
  "schemaVersion": 1,
  "name": "hello-world",
  "tag": "latest",
  "architecture": "amd64",
  "fsLayers": [{"blobSum": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"}],
  "history": [{"v1Compatibility": "{}"}]
})";

// An OCI manifest with one layer whose descriptor is @p layer (JSON object text, %L1 etc. filled in).
QByteArray withLayer(const QByteArray &layer)
{
    return fill(R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 7023, "digest": "%CONFIG"},
  "layers": [)" + layer + "]}");
}

QByteArray padTo(QByteArray json, qsizetype size)
{
    json.append(QByteArray(size - json.size(), ' '));
    return json;
}

void addOk(const char *scenario, const QByteArray &raw, const QString &contentType, const QString &mediaType,
           bool isIndex, const QString &family, int count, qint64 layersSize)
{
    QTest::newRow(scenario) << raw << contentType << true << int(Error::Kind::Internal) << QString() << mediaType
                            << isIndex << family << count << layersSize;
}

void addError(const char *scenario, const QByteArray &raw, const QString &contentType, Error::Kind kind,
              const QString &error)
{
    QTest::newRow(scenario) << raw << contentType << false << int(kind) << error << QString() << false << QString() << 0
                            << qint64(0);
}

const QByteArray ValidConfig = fill(R"({
  "created": "2024-01-02T03:04:05Z",
  "author": "someone@example.com",
  "architecture": "arm64",
  "variant": "v8",
  "os": "linux",
  "os.version": "6.1",
  "os.features": ["a", "b"],
  "config": {
    "User": "app",
    "Env": ["PATH=/usr/bin", "A=1"],
    "Entrypoint": ["/bin/app"],
    "Cmd": ["--serve", "--port=80"],
    "WorkingDir": "/srv",
    "Labels": {"org.example.team": "core"}
  },
  "rootfs": {"type": "layers", "diff_ids": ["%L1", "%L2"]},
  "history": [
    {"created": "2024-01-01T00:00:00Z", "created_by": "ADD rootfs.tar /", "comment": "base"},
    {"created": "2024-01-01T00:00:01Z", "created_by": "ENV A=1", "empty_layer": true},
    {"created": "2024-01-01T00:00:02Z", "created_by": "COPY app /bin/app", "author": "ci", "empty_layer": false}
  ],
  "x-unknown": {"nested": [1, 2, 3]}
})");

// A config with @p rootfs and @p history as given (JSON text).
QByteArray configWith(const QByteArray &rootfs, const QByteArray &history = {})
{
    QByteArray text = R"({"architecture": "amd64", "os": "linux", "rootfs": )" + rootfs;
    if (!history.isEmpty())
        text += R"(, "history": )" + history;
    return fill(text + "}");
}

} // namespace

class ManifestTest : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void rawBytesKept();
    void descriptorsRead();
    void indexChildren();
    void configParse_data();
    void configParse();
    void configAccessorsAndUnknownFields();
    void layersSizeSaturates();
};

void ManifestTest::parse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<bool>("isIndex");
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("count"); // layers, or manifests of an index
    QTest::addColumn<qint64>("layersSize");

    const QString docker = QStringLiteral("docker");
    const QString oci = QStringLiteral("oci");
    const QString none;
    using K = Error::Kind;

    // --- valid ------------------------------------------------------------------------------------
    addOk("docker schema 2", DockerManifest, none, MediaType::DockerManifest, false, docker, 2, 3370706 + 1024);
    addOk("docker schema 2, Content-Type agrees", DockerManifest, MediaType::DockerManifest, MediaType::DockerManifest,
          false, docker, 2, 3371730);
    addOk("OCI manifest with mediaType", OciManifest, none, MediaType::OciManifest, false, oci, 2, 32654 + 16724);
    addOk("mediaType field wins over Content-Type", OciManifest, MediaType::DockerManifest, MediaType::OciManifest, false,
          oci, 2, 49378);
    addOk("OCI manifest without mediaType: Content-Type used", OciManifestBare, MediaType::OciManifest,
          MediaType::OciManifest, false, oci, 1, 32654);
    addOk("no mediaType: Content-Type with parameters", OciManifestBare,
          MediaType::OciManifest + QStringLiteral("; charset=utf-8"), MediaType::OciManifest, false, oci, 1, 32654);
    addOk("no mediaType: Docker Content-Type", OciManifestBare, MediaType::DockerManifest, MediaType::DockerManifest,
          false, docker, 1, 32654);
    addOk("no mediaType, no Content-Type: inferred manifest", OciManifestBare, none, MediaType::OciManifest, false, oci,
          1, 32654);
    addOk("no mediaType, generic Content-Type: inferred manifest", OciManifestBare, QStringLiteral("application/json"),
          MediaType::OciManifest, false, oci, 1, 32654);
    addOk("OCI index", OciIndex, none, MediaType::OciIndex, true, oci, 2, 0);
    addOk("OCI index without mediaType: inferred", OciIndexBare, none, MediaType::OciIndex, true, oci, 1, 0);
    addOk("OCI index without mediaType: Content-Type used", OciIndexBare, MediaType::OciIndex, MediaType::OciIndex, true,
          oci, 1, 0);
    addOk("Docker manifest list", DockerList, none, MediaType::DockerManifestList, true, docker, 2, 0);
    addOk("no layers at all", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[]})"),
          none, MediaType::OciManifest, false, oci, 0, 0);
    addOk("sha512 layer digest",
          withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"sha512:)"
                    + Digest::of("x", Digest::Algorithm::Sha512).hex().toLatin1() + "\"}"),
          none, MediaType::OciManifest, false, oci, 1, 5);
    addOk("size zero", withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":0,"digest":"%L1"})"),
          none, MediaType::OciManifest, false, oci, 1, 0);
    addOk("size written as 5.0", withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5.0,"digest":"%L1"})"),
          none, MediaType::OciManifest, false, oci, 1, 5);
    addOk("size above 4 GiB", withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":8589934592,"digest":"%L1"})"),
          none, MediaType::OciManifest, false, oci, 1, Q_INT64_C(8589934592));
    addOk("artifactType, subject and unknown fields", fill(R"({"schemaVersion":2,
          "mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example",
          "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},
          "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":1,"digest":"%L1","x":1}],
          "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":3,"digest":"%M1"},
          "x-custom":{"a":[1,2]}})"), none, MediaType::OciManifest, false, oci, 1, 1);
    addOk("exactly 4 MiB", padTo(OciManifest, Manifest::MaxBytes), none, MediaType::OciManifest, false, oci, 2, 49378);

    // --- unsupported ------------------------------------------------------------------------------------
    addError("schema 1", Schema1, none, K::Unsupported, QStringLiteral("schema 1"));
    addError("schema 1 by Content-Type", Schema1, MediaType::DockerSchema1Signed, K::Unsupported,
             QStringLiteral("schema 1"));
    addError("schema 1 by mediaType field",
             R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+json"})", none,
             K::Unsupported, QStringLiteral("schema 1"));
    addError("unknown mediaType", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.example.manifest+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[]})"),
             none, K::Unsupported, QStringLiteral("unsupported manifest media type \"application/vnd.example.manifest+json\""));
    addError("layer digest of an unknown algorithm",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"md5:d41d8cd98f00b204e9800998ecf8427e"})"),
             none, K::Unsupported, QStringLiteral("layers[0]"));
    addError("config digest of an unknown algorithm",
             R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"blake3:00ff"},"layers":[]})",
             none, K::Unsupported, QStringLiteral("unsupported digest algorithm \"blake3\""));

    // --- too large ------------------------------------------------------------------------------------------
    addError("4 MiB and one byte", padTo(OciManifest, Manifest::MaxBytes + 1), none, K::TooLarge,
             QStringLiteral("4194305 bytes"));

    // --- invalid content ---------------------------------------------------------------------------------------
    addError("schemaVersion 3", R"({"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json"})", none,
             K::InvalidContent, QStringLiteral("schemaVersion must be 2"));
    addError("schemaVersion missing", fill(R"({"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[]})"),
             none, K::InvalidContent, QStringLiteral("schemaVersion must be 2"));
    addError("schemaVersion as a string", R"({"schemaVersion":"2"})", none, K::InvalidContent,
             QStringLiteral("schemaVersion must be 2"));
    addError("schemaVersion 2.5", R"({"schemaVersion":2.5})", none, K::InvalidContent,
             QStringLiteral("schemaVersion must be 2"));
    addError("invalid JSON", "{\"schemaVersion\": 2,", none, K::InvalidContent, QStringLiteral("not valid JSON"));
    addError("empty body", QByteArray(), none, K::InvalidContent, QStringLiteral("not valid JSON"));
    addError("not an object", "[{\"schemaVersion\": 2}]", none, K::InvalidContent, QStringLiteral("not a JSON object"));
    addError("mediaType not a string", fill(R"({"schemaVersion":2,"mediaType":7,
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[]})"),
             none, K::InvalidContent, QStringLiteral("mediaType is not a string"));
    addError("layers not an array", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},
             "layers":{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":1,"digest":"%L1"}})"),
             none, K::InvalidContent, QStringLiteral("\"layers\" is missing or not an array"));
    addError("layers missing", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"}})"),
             none, K::InvalidContent, QStringLiteral("\"layers\" is missing or not an array"));
    addError("config missing", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "layers":[]})"), none, K::InvalidContent, QStringLiteral("invalid manifest: config: descriptor is not a JSON object"));
    addError("manifests not an array", R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
             "manifests":{}})", none, K::InvalidContent, QStringLiteral("\"manifests\" is missing or not an array"));
    addError("descriptor not an object", withLayer(R"("sha256:abc")"), none, K::InvalidContent,
             QStringLiteral("layers[0]: descriptor is not a JSON object"));
    addError("descriptor with negative size",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":-1,"digest":"%L1"})"), none,
             K::InvalidContent, QStringLiteral("layers[0]: descriptor size -1 is not a non-negative integer"));
    addError("descriptor with fractional size",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":1.5,"digest":"%L1"})"), none,
             K::InvalidContent, QStringLiteral("size 1.5 is not a non-negative integer"));
    addError("descriptor with size as a string",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":"5","digest":"%L1"})"), none,
             K::InvalidContent, QStringLiteral("no numeric size"));
    addError("descriptor without size", withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%L1"})"),
             none, K::InvalidContent, QStringLiteral("no numeric size"));
    addError("descriptor without digest", withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5})"),
             none, K::InvalidContent, QStringLiteral("layers[0]: descriptor has no digest string"));
    addError("descriptor with uppercase digest",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":")"
                       + fakeDigest("layer1").toUpper().replace("SHA256", "sha256") + "\"}"),
             none, K::InvalidContent, QStringLiteral("lowercase hexadecimal"));
    addError("descriptor with short digest",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"sha256:abc"})"),
             none, K::InvalidContent, QStringLiteral("needs 64 hex digits"));
    addError("descriptor digest with a trailing newline",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":")"
                       + fakeDigest("layer1") + "\\n\"}"),
             none, K::InvalidContent, QStringLiteral("layers[0]"));
    addError("descriptor without mediaType", withLayer(R"({"size":5,"digest":"%L1"})"), none, K::InvalidContent,
             QStringLiteral("layers[0]: descriptor has no mediaType string"));
    addError("descriptor urls not an array",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"%L1","urls":"https://x"})"),
             none, K::InvalidContent, QStringLiteral("urls is not an array"));
    addError("descriptor annotations not an object",
             withLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"%L1","annotations":[]})"),
             none, K::InvalidContent, QStringLiteral("annotations is not an object"));
    addError("manifest annotations not an object", fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[],
             "annotations":"x"})"), none, K::InvalidContent, QStringLiteral("annotations is not an object"));
    addError("image mediaType but a manifests array", fill(R"({"schemaVersion":2,
             "mediaType":"application/vnd.oci.image.manifest.v1+json",
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"%M1"}]})"),
             none, K::InvalidContent, QStringLiteral("is an image manifest but it has \"manifests\""));
    addError("index mediaType but config and layers", fill(R"({"schemaVersion":2,
             "mediaType":"application/vnd.oci.image.index.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"%CONFIG"},"layers":[]})"),
             none, K::InvalidContent, QStringLiteral("is an index but it has config/layers"));
    addError("Docker list mediaType but layers", fill(R"({"schemaVersion":2,
             "mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"%CONFIG"},
             "layers":[]})"), none, K::InvalidContent, QStringLiteral("is an index but"));
    addError("index Content-Type for an image manifest body", OciManifestBare, MediaType::OciIndex, K::InvalidContent,
             QStringLiteral("is an index but it has config/layers"));
    addError("no mediaType and both manifests and layers", fill(R"({"schemaVersion":2,"layers":[],
             "manifests":[]})"), none, K::InvalidContent, QStringLiteral("no mediaType"));
    addError("no mediaType and neither manifests nor layers", R"({"schemaVersion":2})", none, K::InvalidContent,
             QStringLiteral("no mediaType"));
}

void ManifestTest::parse()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, contentType);
    QFETCH(bool, ok);

    const auto m = Manifest::parse(raw, contentType);
    QVERIFY2(m.ok() == ok, qPrintable(m.ok() ? QStringLiteral("accepted as ") + m->mediaType() : m.error().message));
    if (!ok) {
        QFETCH(int, kind);
        QFETCH(QString, error);
        QCOMPARE(Error::kindName(m.error().kind), Error::kindName(Error::Kind(kind)));
        QVERIFY2(m.error().message.contains(error), qPrintable(m.error().message));
        return;
    }
    QFETCH(QString, mediaType);
    QFETCH(bool, isIndex);
    QFETCH(QString, family);
    QFETCH(int, count);
    QFETCH(qint64, layersSize);

    QCOMPARE(m->mediaType(), mediaType);
    QCOMPARE(m->isIndex(), isIndex);
    QCOMPARE(m->family() == MediaType::Family::Docker ? QStringLiteral("docker") : QStringLiteral("oci"), family);
    QCOMPARE(isIndex ? m->manifests().size() : m->layers().size(), count);
    QCOMPARE(isIndex ? m->layers().size() : m->manifests().size(), 0);
    QCOMPARE(m->layersSize(), layersSize);
    if (!isIndex)
        QCOMPARE(m->config().digest.toString(), QString::fromLatin1(fakeDigest("config")));
    // The exact bytes are kept and are what the digest is computed from.
    QCOMPARE(m->raw(), raw);
    QCOMPARE(m->digest().toString(), Digest::of(raw).toString());
    QCOMPARE(m->descriptor().size, raw.size());
}

void ManifestTest::rawBytesKept()
{
    // Unusual key order, indentation with tabs, CRLF line ends, escaped characters and a trailing newline: a
    // re-serialisation would change every one of them.
    const QByteArray raw = fill("{\r\n\t\"layers\" : [ {\"size\":1,\r\n\t\t\"digest\":\"%L1\",  "
                                "\"mediaType\":\"application\\/vnd.oci.image.layer.v1.tar+gzip\"} ],\r\n"
                                "\t\"config\":{\"digest\":\"%CONFIG\",\"size\" : 2 ,\"mediaType\":"
                                "\"application/vnd.oci.image.config.v1+json\"},\r\n"
                                "\t\"annotations\": {\"note\": \"caf\\u00e9 \\\"quoted\\\"\"},\r\n"
                                "\t\"schemaVersion\"  :  2\r\n}\n");
    const auto m = Manifest::parse(raw, MediaType::OciManifest);
    QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message));
    QCOMPARE(m->raw(), raw);
    QCOMPARE(m->digest(), Digest::of(raw));
    QCOMPARE(m->digest(Digest::Algorithm::Sha256), Digest::of(raw));
    QCOMPARE(m->digest(Digest::Algorithm::Sha512), Digest::of(raw, Digest::Algorithm::Sha512));
    QVERIFY(m->digest() != Digest::of(QJsonDocument(m->json()).toJson(QJsonDocument::Compact)));

    const auto d = m->descriptor();
    QCOMPARE(d.mediaType, MediaType::OciManifest);
    QCOMPARE(d.digest, Digest::of(raw));
    QCOMPARE(d.size, raw.size());

    QCOMPARE(m->layers().at(0).mediaType, MediaType::OciLayerGzip); // "\/" unescaped
    QCOMPARE(m->annotations().value(QStringLiteral("note")).toString(), QStringLiteral("caf\u00e9 \"quoted\""));
}

void ManifestTest::descriptorsRead()
{
    const QByteArray raw = fill(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
      "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":123,"digest":"%CONFIG",
                "annotations":{"c":"d"}},
      "layers":[
        {"mediaType":"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip","size":456,"digest":"%L1",
         "urls":["https://mirror.example.com/l1","https://other.example.com/l1"],
         "annotations":{"org.opencontainers.image.title":"l1.tar.gz"},"x-extra":true},
        {"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","size":789,"digest":"%L2"}
      ]})");
    const auto m = Manifest::parse(raw);
    QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message));

    QCOMPARE(m->config().mediaType, MediaType::OciConfig);
    QCOMPARE(m->config().size, 123);
    QCOMPARE(m->config().annotations.value(QStringLiteral("c")).toString(), QStringLiteral("d"));

    const auto &l1 = m->layers().at(0);
    QCOMPARE(l1.mediaType, MediaType::OciNondistributableLayerGzip);
    QCOMPARE(l1.digest.toString(), QString::fromLatin1(fakeDigest("layer1")));
    QCOMPARE(l1.size, 456);
    QCOMPARE(l1.urls, (QStringList{QStringLiteral("https://mirror.example.com/l1"),
                                   QStringLiteral("https://other.example.com/l1")}));
    QCOMPARE(l1.annotations.value(QStringLiteral("org.opencontainers.image.title")).toString(),
             QStringLiteral("l1.tar.gz"));
    QVERIFY(l1.isForeign());
    QCOMPARE(l1.json.value(QStringLiteral("x-extra")), QJsonValue(true));
    QVERIFY(!l1.platform.has_value());
    // toJson() keeps unknown fields.
    QCOMPARE(l1.toJson(), l1.json);

    const auto &l2 = m->layers().at(1);
    QCOMPARE(l2.mediaType, MediaType::OciLayerZstd);
    QVERIFY(!l2.isForeign());
    QVERIFY(l2.urls.isEmpty());
    QCOMPARE(m->layersSize(), 456 + 789);
}

void ManifestTest::indexChildren()
{
    const auto index = Manifest::parse(OciIndex);
    QVERIFY(index.ok());
    QCOMPARE(index->manifests().size(), 2);
    const auto &arm = index->manifests().at(1);
    QVERIFY(arm.platform.has_value());
    QCOMPARE(arm.platform->os, QStringLiteral("linux"));
    QCOMPARE(arm.platform->architecture, QStringLiteral("arm64"));
    QCOMPARE(arm.platform->variant, QStringLiteral("v8"));
    QCOMPARE(arm.digest.toString(), QString::fromLatin1(fakeDigest("manifest2")));
    QCOMPARE(arm.size, 7682);

    const auto list = Manifest::parse(DockerList);
    QVERIFY(list.ok());
    QCOMPARE(list->manifests().at(1).platform->toString(), QStringLiteral("linux/arm/v7"));
    QCOMPARE(list->manifests().at(0).mediaType, MediaType::DockerManifest);
}

void ManifestTest::configParse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("diffIds");
    QTest::addColumn<int>("history");
    QTest::addColumn<int>("nonEmpty");
    QTest::addColumn<QString>("platform");

    const int ok = int(Error::Kind::Internal);
    const int invalid = int(Error::Kind::InvalidContent);
    const QByteArray twoIds = R"({"type": "layers", "diff_ids": ["%L1", "%L2"]})";

    QTest::newRow("valid config") << ValidConfig << true << ok << QString() << 2 << 3 << 2
                                  << QStringLiteral("linux/arm64/v8 (6.1)");
    QTest::newRow("no history") << configWith(twoIds) << true << ok << QString() << 2 << 0 << 0
                                << QStringLiteral("linux/amd64");
    QTest::newRow("history null") << configWith(twoIds, "null") << true << ok << QString() << 2 << 0 << 0
                                  << QStringLiteral("linux/amd64");
    QTest::newRow("empty diff_ids") << configWith(R"({"type": "layers", "diff_ids": []})") << true << ok << QString() << 0
                                    << 0 << 0 << QStringLiteral("linux/amd64");
    QTest::newRow("sha512 diff_id")
        << configWith(R"({"type": "layers", "diff_ids": [")" + Digest::of("x", Digest::Algorithm::Sha512).toString().toLatin1()
                      + "\"]}")
        << true << ok << QString() << 1 << 0 << 0 << QStringLiteral("linux/amd64");
    QTest::newRow("empty_layer false and missing count")
        << configWith(twoIds, R"([{"created_by": "a"}, {"created_by": "b", "empty_layer": false}, {"empty_layer": true}])")
        << true << ok << QString() << 2 << 3 << 2 << QStringLiteral("linux/amd64");

    QTest::newRow("invalid JSON") << QByteArray("{\"rootfs\":") << false << invalid << QStringLiteral("not valid JSON")
                                  << 0 << 0 << 0 << QString();
    QTest::newRow("not an object") << QByteArray("[]") << false << invalid << QStringLiteral("not a JSON object") << 0
                                   << 0 << 0 << QString();
    QTest::newRow("missing rootfs") << QByteArray(R"({"architecture": "amd64", "os": "linux"})") << false << invalid
                                    << QStringLiteral("\"rootfs\" is missing") << 0 << 0 << 0 << QString();
    QTest::newRow("rootfs not an object") << configWith(R"(["layers"])") << false << invalid
                                          << QStringLiteral("\"rootfs\" is missing or not an object") << 0 << 0 << 0
                                          << QString();
    QTest::newRow("wrong rootfs.type") << configWith(R"({"type": "layer", "diff_ids": []})") << false << invalid
                                       << QStringLiteral("rootfs.type must be \"layers\"") << 0 << 0 << 0 << QString();
    QTest::newRow("missing rootfs.type") << configWith(R"({"diff_ids": []})") << false << invalid
                                         << QStringLiteral("rootfs.type must be \"layers\"") << 0 << 0 << 0 << QString();
    QTest::newRow("missing diff_ids") << configWith(R"({"type": "layers"})") << false << invalid
                                      << QStringLiteral("rootfs.diff_ids is missing or not an array") << 0 << 0 << 0
                                      << QString();
    QTest::newRow("diff_ids not an array") << configWith(R"({"type": "layers", "diff_ids": "%L1"})") << false << invalid
                                           << QStringLiteral("rootfs.diff_ids is missing or not an array") << 0 << 0 << 0
                                           << QString();
    QTest::newRow("diff_ids not strings") << configWith(R"({"type": "layers", "diff_ids": ["%L1", 42]})") << false
                                          << invalid << QStringLiteral("rootfs.diff_ids[1] is not a string") << 0 << 0
                                          << 0 << QString();
    QTest::newRow("diff_id malformed") << configWith(R"({"type": "layers", "diff_ids": ["sha256:abc"]})") << false
                                       << invalid << QStringLiteral("rootfs.diff_ids[0]") << 0 << 0 << 0 << QString();
    QTest::newRow("diff_id of an unknown algorithm")
        << configWith(R"({"type": "layers", "diff_ids": ["md5:d41d8cd98f00b204e9800998ecf8427e"]})") << false
        << int(Error::Kind::Unsupported) << QStringLiteral("rootfs.diff_ids[0]") << 0 << 0 << 0 << QString();
    QTest::newRow("history not an array") << configWith(twoIds, R"({"created_by": "a"})") << false << invalid
                                          << QStringLiteral("history is not an array") << 0 << 0 << 0 << QString();
    QTest::newRow("history entry not an object") << configWith(twoIds, R"([{"created_by": "a"}, "b"])") << false
                                                 << invalid << QStringLiteral("history[1] is not an object") << 0 << 0
                                                 << 0 << QString();
    QTest::newRow("empty_layer not a bool") << configWith(twoIds, R"([{"created_by": "a", "empty_layer": "true"}])")
                                            << false << invalid
                                            << QStringLiteral("history[0].empty_layer is not a boolean") << 0 << 0 << 0
                                            << QString();
    QTest::newRow("empty_layer as a number") << configWith(twoIds, R"([{"created_by": "a", "empty_layer": 1}])") << false
                                             << invalid << QStringLiteral("history[0].empty_layer is not a boolean") << 0
                                             << 0 << 0 << QString();
    QTest::newRow("container config not an object")
        << fill(R"({"os":"linux","architecture":"amd64","config":[],"rootfs":{"type":"layers","diff_ids":[]}})") << false
        << invalid << QStringLiteral("\"config\" is not an object") << 0 << 0 << 0 << QString();
}

void ManifestTest::configParse()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QFETCH(QString, error);
    QFETCH(int, diffIds);
    QFETCH(int, history);
    QFETCH(int, nonEmpty);
    QFETCH(QString, platform);

    const auto config = ImageConfig::parse(raw);
    QVERIFY2(config.ok() == ok, qPrintable(config.ok() ? QStringLiteral("accepted") : config.error().message));
    if (!ok) {
        QCOMPARE(Error::kindName(config.error().kind), Error::kindName(Error::Kind(kind)));
        QVERIFY2(config.error().message.contains(error), qPrintable(config.error().message));
        QVERIFY2(config.error().message.contains(QStringLiteral("invalid image config")),
                 qPrintable(config.error().message));
        return;
    }
    QCOMPARE(config->diffIds().size(), diffIds);
    QCOMPARE(config->history().size(), history);
    QCOMPARE(config->nonEmptyHistoryCount(), nonEmpty);
    QCOMPARE(config->platform().toString(true), platform);
    QCOMPARE(config->raw(), raw);
    QCOMPARE(config->digest(), Digest::of(raw));
}

void ManifestTest::configAccessorsAndUnknownFields()
{
    const auto config = ImageConfig::parse(ValidConfig);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));

    QCOMPARE(config->created(), QStringLiteral("2024-01-02T03:04:05Z"));
    QCOMPARE(config->author(), QStringLiteral("someone@example.com"));
    QCOMPARE(config->entrypoint(), QStringList{QStringLiteral("/bin/app")});
    QCOMPARE(config->cmd(), (QStringList{QStringLiteral("--serve"), QStringLiteral("--port=80")}));
    QCOMPARE(config->env(), (QStringList{QStringLiteral("PATH=/usr/bin"), QStringLiteral("A=1")}));
    QCOMPARE(config->labels().value(QStringLiteral("org.example.team")).toString(), QStringLiteral("core"));
    QCOMPARE(config->containerConfig().value(QStringLiteral("WorkingDir")).toString(), QStringLiteral("/srv"));

    const auto platform = config->platform();
    QCOMPARE(platform.os, QStringLiteral("linux"));
    QCOMPARE(platform.architecture, QStringLiteral("arm64"));
    QCOMPARE(platform.variant, QStringLiteral("v8"));
    QCOMPARE(platform.osVersion, QStringLiteral("6.1"));
    QCOMPARE(platform.osFeatures, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));

    QCOMPARE(config->diffIds().at(0).toString(), QString::fromLatin1(fakeDigest("layer1")));
    QCOMPARE(config->diffIds().at(1).toString(), QString::fromLatin1(fakeDigest("layer2")));

    const auto &h = config->history();
    QCOMPARE(h.at(0).createdBy, QStringLiteral("ADD rootfs.tar /"));
    QCOMPARE(h.at(0).comment, QStringLiteral("base"));
    QCOMPARE(h.at(0).emptyLayer, false);
    QCOMPARE(h.at(1).emptyLayer, true);
    QCOMPARE(h.at(2).author, QStringLiteral("ci"));
    QCOMPARE(h.at(2).created, QStringLiteral("2024-01-01T00:00:02Z"));
    QVERIFY(h.at(0).sameStep(h.at(0)));
    QVERIFY(!h.at(0).sameStep(h.at(2)));

    // Unknown fields survive in json().
    const QJsonObject unknown = config->json().value(QStringLiteral("x-unknown")).toObject();
    QCOMPARE(unknown.value(QStringLiteral("nested")).toArray(), (QJsonArray{1, 2, 3}));
    QCOMPARE(config->json().value(QStringLiteral("os.features")).toArray().size(), 2);
}

// Found by fuzzing (tests/fuzz/regressions/manifest/layers-size-overflow.json): 1025 layers of the
// largest accepted size overflowed qint64 when summed.
void ManifestTest::layersSizeSaturates()
{
    QByteArray layers;
    for (int i = 0; i < 1025; ++i) {
        if (i)
            layers += ',';
        layers += R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:)" + QByteArray(64, 'a')
            + R"(","size":9000000000000000})";
    }
    const QByteArray raw = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":)"
                           R"("application/vnd.oci.image.config.v1+json","digest":"sha256:)"
        + QByteArray(64, 'b') + R"(","size":2},"layers":[)" + layers + "]}";
    const auto manifest = Manifest::parse(raw);
    QVERIFY(manifest.ok());
    QCOMPARE(manifest->layers().size(), 1025);
    QCOMPARE(manifest->layersSize(), std::numeric_limits<qint64>::max());
    QCOMPARE(Restack::Image::addSizes(1, 2), 3);
}

QTEST_GUILESS_MAIN(ManifestTest)
#include "tst_manifest.moc"
