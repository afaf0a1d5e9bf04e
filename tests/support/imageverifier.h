// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

#include "common/result.h"

class QTemporaryDir;

namespace Restack::Test
{

/**
 * An image as a registry serves it, fetched and checked by ImageVerifier. Digests are
 * "sha256:<hex>" strings (compare with Restack::Image::Digest::toString()).
 */
struct VerifiedImage
{
    QString reference;          ///< as given to verify(): "HOST/REPO:TAG" or "HOST/REPO@sha256:..."
    QString repository;         ///< "HOST/REPO"
    QByteArray manifest;        ///< the manifest exactly as served (skopeo inspect --raw)
    QString manifestDigest;     ///< sha256 of manifest: the digest the registry knows it by
    QString manifestMediaType;  ///< the manifest's mediaType field (empty when absent, as OCI allows)
    QJsonObject manifestJson;
    bool isIndex = false;       ///< an image index / manifest list: only manifests is filled in
    QJsonArray manifests;       ///< the index's child descriptors

    QByteArray config;          ///< raw config blob
    QString configDigest;       ///< from the manifest's config descriptor
    QString configMediaType;    ///< from the manifest's config descriptor
    QJsonObject configJson;     ///< config parsed
    QStringList layerDigests;   ///< layer blob digests from the manifest, base first
    QList<qint64> layerSizes;   ///< layer blob sizes from the manifest, bytes
    QStringList layerMediaTypes;
    QStringList uncompressedDigests; ///< sha256 of each layer's uncompressed tar, computed here
    QStringList diffIds;        ///< the config's rootfs.diff_ids
    QJsonArray history;         ///< the config's history

    /**
     * Everything found wrong, one sentence each: blob digest or size not matching its descriptor,
     * uncompressed layer not matching its diff_id, diff_ids and layers of different counts, history
     * with a different number of non-empty entries than there are layers, config or layer media
     * types from the other family than the manifest's. Empty for a consistent image.
     */
    QStringList errors;
    /** True when no inconsistency was found. */
    bool ok() const { return errors.isEmpty(); }

    /** Where the blobs were copied (skopeo `dir:` layout: manifest.json and one file per blob hex). */
    QString blobDir;
};

/** The root filesystem of an image unpacked by ImageVerifier::unpack(). Paths are absolute image paths. */
class Rootfs
{
public:
    Rootfs() = default;
    /** A view of the unpacked root filesystem in directory @p dir. */
    explicit Rootfs(QString dir);

    /** The directory holding the unpacked root filesystem. */
    QString path() const { return m_dir; }
    /** True when @p imagePath ("/etc/os-release") exists as a file, directory or symlink. */
    bool fileExists(const QString &imagePath) const;
    /** The contents of the file at @p imagePath; empty when it does not exist. */
    QByteArray fileContents(const QString &imagePath) const;
    /** True when @p imagePath is a regular file with the owner's execute bit. */
    bool isExecutable(const QString &imagePath) const;
    /** Every regular file and symlink, as sorted absolute image paths. */
    QStringList files() const;

private:
    QString m_dir;
};

/**
 * Checks images in a registry with skopeo and umoci only, independently of Restack's own
 * registry client and parsers:
 *  - verify() reads the manifest exactly as served (`skopeo inspect --raw`), copies the image by
 *    digest with `skopeo copy --preserve-digests` into a `dir:` layout (blobs byte for byte), and
 *    checks every blob against its descriptor and every layer's uncompressed content (`gzip -dc`)
 *    against the config's diff_ids;
 *  - unpack() converts that copy into an OCI layout (`skopeo copy dir: oci:`) and unpacks it with
 *    `umoci unpack --rootless`, so that files can be checked.
 * TLS verification is off: plain HTTP on loopback works. Everything lives in a temporary
 * directory removed by the destructor.
 */
class ImageVerifier final
{
public:
    /** Creates the verifier's temporary directory. */
    ImageVerifier();
    /** Removes every copy and unpacked root filesystem made by this verifier. */
    ~ImageVerifier();
    Q_DISABLE_COPY_MOVE(ImageVerifier)

    /** Credentials for registries that require authentication (skopeo --creds); empty: none. */
    void setCredentials(const QString &username, const QString &password);

    /**
     * Fetches and checks the image at @p reference ("HOST/REPO:TAG" or "HOST/REPO@sha256:...",
     * without a scheme). Inconsistencies go to VerifiedImage::errors; an Error is returned only
     * when fetching fails (unknown manifest, registry unreachable, ...), with skopeo's stderr.
     * An index is returned with isIndex set and its children in manifests, without blob checks.
     */
    Result<VerifiedImage> verify(const QString &reference);

    /**
     * Unpacks a verified image (not an index) and returns its root filesystem, which lives as
     * long as this verifier. Errors: conversion or umoci failure.
     */
    Result<Rootfs> unpack(const VerifiedImage &image);

    /** verify() then unpack(); an image with verification errors is an Error listing them. */
    Result<Rootfs> verifyAndUnpack(const QString &reference);

    /** The manifest bytes exactly as the registry serves them (`skopeo inspect --raw`). */
    Result<QByteArray> rawManifest(const QString &reference);

    /** The config blob bytes exactly as stored (`skopeo inspect --config --raw`). */
    Result<QByteArray> rawConfig(const QString &reference);

private:
    QStringList credentialArgs(const QString &option) const;
    void checkImage(VerifiedImage &image);

    std::unique_ptr<QTemporaryDir> m_dir;
    int m_counter = 0;
    QString m_credentials;
};

} // namespace Restack::Test
