// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <variant>

#include "common/result.h"

class QTemporaryDir;

namespace Restack::Test
{

/** A build step that makes a filesystem layer, like COPY or RUN. */
struct LayerSpec
{
    /** Absolute paths in the image ("/etc/os-release") and their contents; parent directories are created. */
    QMap<QString, QByteArray> files;
    /** Paths among files that get mode 0755 instead of 0644. */
    QStringList executables;
    /** Paths from earlier layers that this layer deletes (recorded as whiteouts). */
    QStringList removals;
    /** The history entry's created_by, e.g. "COPY os-release /etc/". */
    QString createdBy;
};

/** A build step that only changes the config and records a history entry with empty_layer true (ENV, CMD, ...). */
struct EmptyStep
{
    /** The history entry's created_by, e.g. "ENV PATH=/usr/bin". */
    QString createdBy;
    /** "KEY=value" entries, merged into the config's Env by key. */
    QStringList env;
    /** Replaces Entrypoint when not empty. */
    QStringList entrypoint;
    /** Replaces Cmd when not empty. */
    QStringList cmd;
    /** Labels to add. */
    QMap<QString, QString> labels;
    /** Replaces WorkingDir when not empty. */
    QString workingDir;
};

/** One step of an ImageSpec. */
using BuildStep = std::variant<LayerSpec, EmptyStep>;

/** What ImageFactory::build() makes. */
struct ImageSpec
{
    /**
     * A tag built earlier by the same ImageFactory to start from, or empty to start from scratch.
     * The new image then has the base's exact layer blobs, diff_ids and history, followed by its own.
     */
    QString base;
    /** The steps, in order; each adds one history entry. */
    QList<BuildStep> steps;
    /** Labels set on the image without a history entry. */
    QMap<QString, QString> labels;
    QString os = QStringLiteral("linux");            ///< config "os"
    QString architecture = QStringLiteral("amd64");  ///< config "architecture"
    /** Config "variant", "os.version" and "os.features" (umoci cannot set them; patched in after the build). */
    QString variant;
    QString osVersion;
    QStringList osFeatures;
    /**
     * The time used for the config's and every history entry's "created" and for the files' mtimes.
     * The default fixed time makes builds reproducible: the same spec gives the same digests.
     * An invalid QDateTime uses the current time instead.
     */
    QDateTime created = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    /**
     * umoci writes OCI manifests without the optional "mediaType" field. When true (the default, as
     * docker buildx and most registries' clients do) the field is added after the build.
     */
    bool manifestMediaTypeField = true;

    /** Appends a layer step adding @p files; returns *this for chaining. */
    ImageSpec &addLayer(const QMap<QString, QByteArray> &files, const QString &createdBy);
    /** Appends any layer step. */
    ImageSpec &addLayer(const LayerSpec &layer);
    /** Appends an empty-layer step. */
    ImageSpec &addStep(const EmptyStep &step);
    /** Appends an ENV step setting @p env ("KEY=value"), with created_by "ENV ...". */
    ImageSpec &addEnv(const QStringList &env);
    /** Appends a CMD step, with created_by "CMD [...]". */
    ImageSpec &addCmd(const QStringList &cmd);
    /** Appends an ENTRYPOINT step, with created_by "ENTRYPOINT [...]". */
    ImageSpec &addEntrypoint(const QStringList &entrypoint);
};

/** An image in the factory's OCI layout, as read back from it. Digests are "sha256:<hex>" strings. */
struct BuiltImage
{
    QString tag;                  ///< the tag in the factory's layout
    QByteArray manifest;          ///< raw manifest bytes
    QString manifestDigest;       ///< sha256 of manifest
    QByteArray config;            ///< raw config bytes
    QString configDigest;         ///< sha256 of config
    QJsonObject configJson;       ///< config parsed
    QStringList layerDigests;     ///< compressed layer blob digests, base first
    QList<qint64> layerSizes;     ///< bytes, base first
    QStringList diffIds;          ///< rootfs.diff_ids, base first
    QJsonArray history;           ///< config history entries
};

/**
 * Builds real OCI images with umoci (always --rootless) in an OCI layout inside a temporary
 * directory, and pushes them with skopeo to a registry, typically a RegistryFixture:
 *
 *     ImageFactory factory;
 *     ImageSpec base;
 *     base.addLayer({{QStringLiteral("/etc/os-release"), "Demo OS 1.0\n"}}, QStringLiteral("COPY os-release /etc/"));
 *     base.addEnv({QStringLiteral("PATH=/usr/bin")});
 *     QVERIFY(factory.build(QStringLiteral("base"), base).ok());
 *     auto digest = factory.push(QStringLiteral("base"), registry.host() + QStringLiteral("/demo/base:1.0"));
 *
 * Each layer step unpacks the current image into a fresh bundle, writes the files and repacks
 * it (umoci repack), so that layers are proper tar archives. (umoci 0.4.7's `insert` writes layer
 * tars without the end-of-archive blocks, which GNU tar rejects; it is not used.)
 */
class ImageFactory final
{
public:
    /** The manifest format a push writes. */
    enum class Format {
        Oci,        ///< the layout's OCI manifest, byte for byte
        DockerV2S2, ///< converted by skopeo (--format v2s2): Docker media types, same config and layer blobs
    };

    /** Creates the factory's temporary directory; the layout in it is initialised by the first build(). */
    ImageFactory();
    /** Removes the layout and everything built in it. */
    ~ImageFactory();
    Q_DISABLE_COPY_MOVE(ImageFactory)

    /** The OCI image layout directory (created on first build). */
    QString layoutDir() const;

    /**
     * Builds @p spec into the layout under @p tag (replacing an existing tag) and returns it.
     * Tags are limited to [A-Za-z0-9._-] (umoci's "path:tag" syntax). Errors: invalid tag, unknown
     * base tag, a relative or empty path in a layer, or a failing umoci call (message with its stderr).
     */
    Result<BuiltImage> build(const QString &tag, const ImageSpec &spec);

    /** Reads the image tagged @p tag back from the layout. Errors: unknown tag, unreadable blobs. */
    Result<BuiltImage> image(const QString &tag) const;

    /**
     * Pushes the image tagged @p tag with `skopeo copy` to @p target ("HOST/REPOSITORY:TAG", no
     * scheme; TLS verification off, so plain HTTP on loopback works) and returns the manifest
     * digest skopeo reports ("sha256:<hex>"). Errors: skopeo failure, with its stderr.
     */
    Result<QString> push(const QString &tag, const QString &target, Format format = Format::Oci);

    /** build() then push(); returns the pushed manifest digest. */
    Result<QString> buildAndPush(const QString &tag, const ImageSpec &spec, const QString &target,
                                 Format format = Format::Oci);

    /** Credentials for push() (skopeo --dest-creds) when the registry requires authentication; empty: none. */
    void setCredentials(const QString &username, const QString &password);

private:
    Result<void> ensureLayout();
    Result<void> addLayer(const QString &tag, const LayerSpec &layer, const QDateTime &created);
    Result<void> addEmptyStep(const QString &tag, const EmptyStep &step, const QDateTime &created);
    /** Adds the manifest's mediaType field and/or the platform fields umoci cannot write to the config. */
    Result<void> finishImage(const QString &tag, const ImageSpec &spec);
    QString imageArg(const QString &tag) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_layoutReady = false;
    int m_bundleCounter = 0;
    QString m_credentials;
};

/** "sha256:<hex>" of the blob in OCI layout @p layoutDir, as a file path. */
QString ociBlobPath(const QString &layoutDir, const QString &digest);

/**
 * Resolves @p tag (annotation org.opencontainers.image.ref.name) in the index.json of OCI layout
 * @p layoutDir to its manifest descriptor. Errors: no index.json, unknown tag.
 */
Result<QJsonObject> ociTagDescriptor(const QString &layoutDir, const QString &tag);

} // namespace Restack::Test
