// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imageverifier.h"

#include <utility>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "tools.h"

namespace Restack::Test
{

namespace
{

const QString Skopeo = QStringLiteral("skopeo");
const QString Umoci = QStringLiteral("umoci");

const QString DockerManifestType = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
const QString DockerConfigType = QStringLiteral("application/vnd.docker.container.image.v1+json");
const QString OciConfigType = QStringLiteral("application/vnd.oci.image.config.v1+json");

/** "HOST/REPO" of "HOST/REPO:TAG" or "HOST/REPO@DIGEST". */
QString repositoryOf(const QString &reference)
{
    const qsizetype at = reference.indexOf(QLatin1Char('@'));
    if (at >= 0)
        return reference.left(at);
    const qsizetype colon = reference.lastIndexOf(QLatin1Char(':'));
    const qsizetype slash = reference.lastIndexOf(QLatin1Char('/'));
    return colon > slash ? reference.left(colon) : reference;
}

bool isDockerType(const QString &mediaType)
{
    return mediaType.startsWith(QLatin1String("application/vnd.docker."));
}

QString hexOf(const QString &digest)
{
    return digest.section(QLatin1Char(':'), 1);
}

} // namespace

Rootfs::Rootfs(QString dir)
    : m_dir(std::move(dir))
{
}

bool Rootfs::fileExists(const QString &imagePath) const
{
    const QFileInfo info(m_dir + QDir::cleanPath(QLatin1Char('/') + imagePath));
    return info.exists() || info.isSymLink();
}

QByteArray Rootfs::fileContents(const QString &imagePath) const
{
    QFile file(m_dir + QDir::cleanPath(QLatin1Char('/') + imagePath));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool Rootfs::isExecutable(const QString &imagePath) const
{
    const QFileInfo info(m_dir + QDir::cleanPath(QLatin1Char('/') + imagePath));
    return info.isFile() && info.permissions().testFlag(QFileDevice::ExeOwner);
}

QStringList Rootfs::files() const
{
    QStringList result;
    QDirIterator it(m_dir, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        result.append(it.filePath().mid(m_dir.size()));
    }
    result.sort();
    return result;
}

ImageVerifier::ImageVerifier()
    : m_dir(makeTempDir(QStringLiteral("verify")))
{
}

ImageVerifier::~ImageVerifier() = default;

void ImageVerifier::setCredentials(const QString &username, const QString &password)
{
    m_credentials = username.isEmpty() ? QString() : username + QLatin1Char(':') + password;
}

QStringList ImageVerifier::credentialArgs(const QString &option) const
{
    if (m_credentials.isEmpty())
        return {};
    return {option, m_credentials};
}

Result<QByteArray> ImageVerifier::rawManifest(const QString &reference)
{
    const Result<ToolOutput> out = runTool(Skopeo, QStringList{QStringLiteral("--insecure-policy"), QStringLiteral("inspect"),
                                                               QStringLiteral("--raw"), QStringLiteral("--tls-verify=false")}
                                                       + credentialArgs(QStringLiteral("--creds"))
                                                       + QStringList{QStringLiteral("docker://") + reference});
    if (!out)
        return out.error();
    return out->standardOutput;
}

Result<QByteArray> ImageVerifier::rawConfig(const QString &reference)
{
    const Result<ToolOutput> out = runTool(Skopeo, QStringList{QStringLiteral("--insecure-policy"), QStringLiteral("inspect"),
                                                               QStringLiteral("--config"), QStringLiteral("--raw"),
                                                               QStringLiteral("--tls-verify=false")}
                                                       + credentialArgs(QStringLiteral("--creds"))
                                                       + QStringList{QStringLiteral("docker://") + reference});
    if (!out)
        return out.error();
    return out->standardOutput;
}

Result<VerifiedImage> ImageVerifier::verify(const QString &reference)
{
    if (!m_dir->isValid())
        return supportError(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    VerifiedImage image;
    image.reference = reference;
    image.repository = repositoryOf(reference);

    Result<QByteArray> raw = rawManifest(reference);
    if (!raw)
        return raw.error();
    image.manifest = *raw;
    image.manifestDigest = sha256Digest(image.manifest);
    if (const qsizetype at = reference.indexOf(QLatin1Char('@')); at >= 0 && reference.mid(at + 1) != image.manifestDigest)
        image.errors.append(QStringLiteral("the manifest served for %1 has digest %2").arg(reference, image.manifestDigest));

    const Result<QJsonObject> manifest = parseJsonObject(image.manifest, QStringLiteral("manifest of ") + reference);
    if (!manifest)
        return manifest.error();
    image.manifestJson = *manifest;
    image.manifestMediaType = image.manifestJson.value(QLatin1String("mediaType")).toString();
    if (image.manifestJson.contains(QLatin1String("manifests"))) {
        image.isIndex = true;
        image.manifests = image.manifestJson.value(QLatin1String("manifests")).toArray();
        return image;
    }

    // Copy by digest so that a tag moved meanwhile cannot mix two images.
    image.blobDir = m_dir->filePath(QStringLiteral("image-%1").arg(++m_counter));
    const Result<ToolOutput> copied =
        runTool(Skopeo, QStringList{QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--quiet"),
                                    QStringLiteral("--src-tls-verify=false"), QStringLiteral("--preserve-digests")}
                            + credentialArgs(QStringLiteral("--src-creds"))
                            + QStringList{QStringLiteral("docker://") + image.repository + QLatin1Char('@')
                                              + image.manifestDigest,
                                          QStringLiteral("dir:") + image.blobDir});
    if (!copied)
        return copied.error();
    const Result<QByteArray> copiedManifest = readFile(image.blobDir + QStringLiteral("/manifest.json"));
    if (!copiedManifest)
        return copiedManifest.error();
    if (*copiedManifest != image.manifest)
        image.errors.append(QStringLiteral("skopeo's copy of %1 has a different manifest than the one served").arg(reference));

    checkImage(image);
    return image;
}

void ImageVerifier::checkImage(VerifiedImage &image)
{
    const auto checkBlob = [&](const QString &what, const QString &digest, qint64 size) -> bool {
        if (!digest.startsWith(QLatin1String("sha256:"))) {
            image.errors.append(QStringLiteral("%1 has digest \"%2\", not sha256").arg(what, digest));
            return false;
        }
        const Result<std::pair<QString, qint64>> actual = sha256OfFile(image.blobDir + QLatin1Char('/') + hexOf(digest));
        if (!actual) {
            image.errors.append(QStringLiteral("%1 %2 was not copied: %3").arg(what, digest, actual.error().message));
            return false;
        }
        if (actual->first != digest)
            image.errors.append(QStringLiteral("%1 %2 hashes to %3").arg(what, digest, actual->first));
        if (actual->second != size)
            image.errors.append(QStringLiteral("%1 %2 is %3 bytes, its descriptor says %4")
                                    .arg(what, digest)
                                    .arg(actual->second)
                                    .arg(size));
        return true;
    };

    // Media types follow the manifest's family; OCI manifests may leave mediaType out.
    const bool docker = image.manifestMediaType == DockerManifestType;
    if (!image.manifestMediaType.isEmpty() && !docker
        && image.manifestMediaType != QLatin1String("application/vnd.oci.image.manifest.v1+json"))
        image.errors.append(QStringLiteral("unexpected manifest media type %1").arg(image.manifestMediaType));

    const QJsonObject config = image.manifestJson.value(QLatin1String("config")).toObject();
    image.configDigest = config.value(QLatin1String("digest")).toString();
    image.configMediaType = config.value(QLatin1String("mediaType")).toString();
    if (image.configMediaType != (docker ? DockerConfigType : OciConfigType))
        image.errors.append(QStringLiteral("config media type %1 in a %2 manifest")
                                .arg(image.configMediaType, docker ? QStringLiteral("Docker") : QStringLiteral("OCI")));
    if (checkBlob(QStringLiteral("config"), image.configDigest, config.value(QLatin1String("size")).toInteger(-1))) {
        const Result<QByteArray> bytes = readFile(image.blobDir + QLatin1Char('/') + hexOf(image.configDigest));
        if (bytes) {
            image.config = *bytes;
            const Result<QJsonObject> json = parseJsonObject(image.config, QStringLiteral("config"));
            if (json)
                image.configJson = *json;
            else
                image.errors.append(json.error().message);
        }
    }
    const QJsonArray diffIds =
        image.configJson.value(QLatin1String("rootfs")).toObject().value(QLatin1String("diff_ids")).toArray();
    for (const QJsonValue &diffId : diffIds)
        image.diffIds.append(diffId.toString());
    image.history = image.configJson.value(QLatin1String("history")).toArray();

    const QJsonArray layers = image.manifestJson.value(QLatin1String("layers")).toArray();
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QJsonObject layer = layers.at(i).toObject();
        const QString digest = layer.value(QLatin1String("digest")).toString();
        const QString mediaType = layer.value(QLatin1String("mediaType")).toString();
        const qint64 size = layer.value(QLatin1String("size")).toInteger(-1);
        image.layerDigests.append(digest);
        image.layerSizes.append(size);
        image.layerMediaTypes.append(mediaType);
        const QString what = QStringLiteral("layer %1").arg(i);
        if (isDockerType(mediaType) != docker)
            image.errors.append(QStringLiteral("%1 has media type %2 in a %3 manifest")
                                    .arg(what, mediaType, docker ? QStringLiteral("Docker") : QStringLiteral("OCI")));
        if (!checkBlob(what, digest, size)) {
            image.uncompressedDigests.append(QString());
            continue;
        }
        const QString blob = image.blobDir + QLatin1Char('/') + hexOf(digest);
        Result<std::pair<QString, qint64>> uncompressed = supportError(QString());
        if (mediaType.endsWith(QLatin1String("gzip")))
            uncompressed = sha256OfToolOutput(QStringLiteral("gzip"), {QStringLiteral("-dc"), blob});
        else if (mediaType.endsWith(QLatin1String("zstd")))
            uncompressed = sha256OfToolOutput(QStringLiteral("zstd"), {QStringLiteral("-dcq"), blob});
        else if (mediaType.endsWith(QLatin1String(".tar")) || mediaType.endsWith(QLatin1String("diff.tar")))
            uncompressed = sha256OfFile(blob);
        else
            uncompressed = supportError(QStringLiteral("unknown layer media type %1").arg(mediaType));
        if (!uncompressed) {
            image.errors.append(QStringLiteral("%1 %2: %3").arg(what, digest, uncompressed.error().message));
            image.uncompressedDigests.append(QString());
            continue;
        }
        image.uncompressedDigests.append(uncompressed->first);
        if (i < image.diffIds.size() && image.diffIds.at(i) != uncompressed->first)
            image.errors.append(QStringLiteral("%1 %2 uncompresses to %3 but diff_ids[%4] is %5")
                                    .arg(what, digest, uncompressed->first)
                                    .arg(i)
                                    .arg(image.diffIds.at(i)));
    }
    if (image.diffIds.size() != layers.size())
        image.errors.append(QStringLiteral("%1 layers but %2 diff_ids").arg(layers.size()).arg(image.diffIds.size()));
    if (!image.history.isEmpty()) {
        qsizetype nonEmpty = 0;
        for (const QJsonValue &entry : std::as_const(image.history)) {
            if (!entry.toObject().value(QLatin1String("empty_layer")).toBool())
                ++nonEmpty;
        }
        if (nonEmpty != layers.size())
            image.errors.append(
                QStringLiteral("%1 layers but %2 non-empty history entries").arg(layers.size()).arg(nonEmpty));
    }
}

Result<Rootfs> ImageVerifier::unpack(const VerifiedImage &image)
{
    if (image.isIndex || image.blobDir.isEmpty())
        return supportError(QStringLiteral("%1 is not a verified image manifest: nothing to unpack").arg(image.reference));
    const QString layout = m_dir->filePath(QStringLiteral("layout"));
    const QString tag = QStringLiteral("image-%1").arg(++m_counter);
    const QString bundle = m_dir->filePath(QStringLiteral("bundle-%1").arg(m_counter));
    if (const auto converted = runTool(Skopeo, {QStringLiteral("--insecure-policy"), QStringLiteral("copy"),
                                                QStringLiteral("--quiet"), QStringLiteral("dir:") + image.blobDir,
                                                QStringLiteral("oci:") + layout + QLatin1Char(':') + tag});
        !converted)
        return converted.error();
    if (const auto unpacked = runTool(Umoci, {QStringLiteral("unpack"), QStringLiteral("--rootless"), QStringLiteral("--image"),
                                              layout + QLatin1Char(':') + tag, bundle});
        !unpacked)
        return unpacked.error();
    return Rootfs(bundle + QStringLiteral("/rootfs"));
}

Result<Rootfs> ImageVerifier::verifyAndUnpack(const QString &reference)
{
    const Result<VerifiedImage> image = verify(reference);
    if (!image)
        return image.error();
    if (!image->ok())
        return supportError(QStringLiteral("%1 failed verification: %2").arg(reference, image->errors.join(QStringLiteral("; "))));
    return unpack(*image);
}

} // namespace Restack::Test
