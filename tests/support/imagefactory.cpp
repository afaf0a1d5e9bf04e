// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagefactory.h"

#include <sys/stat.h>

#include <fcntl.h>

#include <utility>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include "tools.h"

namespace Restack::Test
{

namespace
{

const QString Umoci = QStringLiteral("umoci");
const QString Skopeo = QStringLiteral("skopeo");
const QString RefNameAnnotation = QStringLiteral("org.opencontainers.image.ref.name");
const QString OciManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");

QString rfc3339(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs).replace(QLatin1String(".000Z"), QLatin1String("Z"));
}

/** JSON-ish rendering of a command for created_by, as Docker writes "CMD [\"a\" \"b\"]". */
QString execForm(const QStringList &args)
{
    QStringList quoted;
    for (const QString &arg : args)
        quoted.append(QLatin1Char('"') + arg + QLatin1Char('"'));
    return QLatin1Char('[') + quoted.join(QLatin1Char(',')) + QLatin1Char(']');
}

bool setModeAndTime(const QString &path, mode_t mode, const QDateTime &created)
{
    const QByteArray native = QFile::encodeName(path);
    if (::chmod(native.constData(), mode) != 0)
        return false;
    if (!created.isValid())
        return true;
    struct timespec times[2];
    times[0].tv_sec = created.toSecsSinceEpoch();
    times[0].tv_nsec = 0;
    times[1] = times[0];
    return ::utimensat(AT_FDCWD, native.constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

bool setTime(const QString &path, const QDateTime &created)
{
    if (!created.isValid())
        return true;
    struct timespec times[2];
    times[0].tv_sec = created.toSecsSinceEpoch();
    times[0].tv_nsec = 0;
    times[1] = times[0];
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

/** Checks an image path ("/etc/os-release") and returns it relative, or an empty string if it is invalid. */
QString relativeImagePath(const QString &path)
{
    if (!path.startsWith(QLatin1Char('/')))
        return {};
    const QString clean = QDir::cleanPath(path);
    if (clean == QLatin1String("/") || clean.contains(QLatin1String("/../")) || clean.endsWith(QLatin1String("/..")))
        return {};
    return clean.mid(1);
}

} // namespace

ImageSpec &ImageSpec::addLayer(const QMap<QString, QByteArray> &files, const QString &createdBy)
{
    LayerSpec layer;
    layer.files = files;
    layer.createdBy = createdBy;
    steps.append(layer);
    return *this;
}

ImageSpec &ImageSpec::addLayer(const LayerSpec &layer)
{
    steps.append(layer);
    return *this;
}

ImageSpec &ImageSpec::addStep(const EmptyStep &step)
{
    steps.append(step);
    return *this;
}

ImageSpec &ImageSpec::addEnv(const QStringList &env)
{
    EmptyStep step;
    step.env = env;
    step.createdBy = QStringLiteral("ENV ") + env.join(QLatin1Char(' '));
    return addStep(step);
}

ImageSpec &ImageSpec::addCmd(const QStringList &cmd)
{
    EmptyStep step;
    step.cmd = cmd;
    step.createdBy = QStringLiteral("CMD ") + execForm(cmd);
    return addStep(step);
}

ImageSpec &ImageSpec::addEntrypoint(const QStringList &entrypoint)
{
    EmptyStep step;
    step.entrypoint = entrypoint;
    step.createdBy = QStringLiteral("ENTRYPOINT ") + execForm(entrypoint);
    return addStep(step);
}

QString ociBlobPath(const QString &layoutDir, const QString &digest)
{
    return layoutDir + QStringLiteral("/blobs/") + QString(digest).replace(QLatin1Char(':'), QLatin1Char('/'));
}

Result<QJsonObject> ociTagDescriptor(const QString &layoutDir, const QString &tag)
{
    const Result<QByteArray> indexBytes = readFile(layoutDir + QStringLiteral("/index.json"));
    if (!indexBytes)
        return indexBytes.error();
    const Result<QJsonObject> index = parseJsonObject(*indexBytes, QStringLiteral("index.json of ") + layoutDir);
    if (!index)
        return index.error();
    const QJsonArray manifests = index->value(QLatin1String("manifests")).toArray();
    for (const QJsonValue &value : manifests) {
        const QJsonObject descriptor = value.toObject();
        if (descriptor.value(QLatin1String("annotations")).toObject().value(RefNameAnnotation).toString() == tag)
            return descriptor;
    }
    return supportError(QStringLiteral("no tag \"%1\" in the OCI layout %2").arg(tag, layoutDir));
}

ImageFactory::ImageFactory()
    : m_dir(makeTempDir(QStringLiteral("images")))
{
}

ImageFactory::~ImageFactory() = default;

QString ImageFactory::layoutDir() const
{
    return m_dir->filePath(QStringLiteral("layout"));
}

void ImageFactory::setCredentials(const QString &username, const QString &password)
{
    m_credentials = username.isEmpty() ? QString() : username + QLatin1Char(':') + password;
}

QString ImageFactory::imageArg(const QString &tag) const
{
    return layoutDir() + QLatin1Char(':') + tag;
}

Result<void> ImageFactory::ensureLayout()
{
    if (m_layoutReady)
        return {};
    if (!m_dir->isValid())
        return supportError(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
    const Result<ToolOutput> init = runTool(Umoci, {QStringLiteral("init"), QStringLiteral("--layout"), layoutDir()});
    if (!init)
        return init.error();
    m_layoutReady = true;
    return {};
}

Result<BuiltImage> ImageFactory::build(const QString &tag, const ImageSpec &spec)
{
    static const QRegularExpression validTag(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (!validTag.match(tag).hasMatch())
        return supportError(QStringLiteral("invalid factory tag \"%1\": use [A-Za-z0-9._-] only").arg(tag));
    if (!spec.base.isEmpty() && spec.base == tag)
        return supportError(QStringLiteral("image \"%1\" cannot be its own base").arg(tag));
    if (const Result<void> ready = ensureLayout(); !ready)
        return ready.error();

    // Start over if the tag exists, from the base's manifest or from an empty image.
    if (ociTagDescriptor(layoutDir(), tag).ok()) {
        if (const auto removed = runTool(Umoci, {QStringLiteral("rm"), QStringLiteral("--image"), imageArg(tag)});
            !removed)
            return removed.error();
    }
    if (!spec.base.isEmpty()) {
        if (const Result<QJsonObject> base = ociTagDescriptor(layoutDir(), spec.base); !base)
            return base.error();
        if (const auto tagged = runTool(Umoci, {QStringLiteral("tag"), QStringLiteral("--image"), imageArg(spec.base), tag});
            !tagged)
            return tagged.error();
    } else {
        if (const auto created = runTool(Umoci, {QStringLiteral("new"), QStringLiteral("--image"), imageArg(tag)});
            !created)
            return created.error();
    }

    QStringList platform{QStringLiteral("config"), QStringLiteral("--no-history"), QStringLiteral("--image"),
                         imageArg(tag), QStringLiteral("--os"), spec.os, QStringLiteral("--architecture"),
                         spec.architecture};
    if (spec.created.isValid())
        platform << QStringLiteral("--created") << rfc3339(spec.created);
    if (const auto configured = runTool(Umoci, platform); !configured)
        return configured.error();

    for (const BuildStep &step : spec.steps) {
        const Result<void> done = std::holds_alternative<LayerSpec>(step)
            ? addLayer(tag, std::get<LayerSpec>(step), spec.created)
            : addEmptyStep(tag, std::get<EmptyStep>(step), spec.created);
        if (!done)
            return done.error();
    }

    if (!spec.labels.isEmpty()) {
        QStringList args{QStringLiteral("config"), QStringLiteral("--no-history"), QStringLiteral("--image"),
                         imageArg(tag)};
        for (auto it = spec.labels.cbegin(); it != spec.labels.cend(); ++it)
            args << QStringLiteral("--config.label") << it.key() + QLatin1Char('=') + it.value();
        if (spec.created.isValid())
            args << QStringLiteral("--created") << rfc3339(spec.created);
        if (const auto configured = runTool(Umoci, args); !configured)
            return configured.error();
    }

    if (const Result<void> finished = finishImage(tag, spec); !finished)
        return finished.error();
    return image(tag);
}

Result<void> ImageFactory::addLayer(const QString &tag, const LayerSpec &layer, const QDateTime &created)
{
    // A fresh bundle per layer: repack bases the new layer on the manifest the bundle was
    // unpacked from, so a bundle must not outlive a config change of the tag.
    const QString bundle = m_dir->filePath(QStringLiteral("bundle-%1").arg(++m_bundleCounter));
    if (const auto unpacked = runTool(Umoci, {QStringLiteral("unpack"), QStringLiteral("--rootless"),
                                              QStringLiteral("--image"), imageArg(tag), bundle});
        !unpacked)
        return unpacked.error();
    const QString rootfs = bundle + QStringLiteral("/rootfs");

    // Directories whose mtime changes when we add or remove entries: reset to `created` afterwards
    // so that unchanged-looking parents do not make the layer depend on the clock.
    QSet<QString> touchedDirs{rootfs};
    const auto noteParents = [&](const QString &relative) {
        QString dir = QFileInfo(relative).path();
        while (dir != QLatin1String(".") && !dir.isEmpty()) {
            touchedDirs.insert(rootfs + QLatin1Char('/') + dir);
            dir = QFileInfo(dir).path();
        }
    };

    for (const QString &path : layer.removals) {
        const QString relative = relativeImagePath(path);
        if (relative.isEmpty())
            return supportError(QStringLiteral("invalid path to remove \"%1\": must be absolute").arg(path));
        const QString target = rootfs + QLatin1Char('/') + relative;
        const QFileInfo info(target);
        if (!info.exists() && !info.isSymLink())
            return supportError(QStringLiteral("cannot remove \"%1\": not in the image \"%2\"").arg(path, tag));
        const bool removed = info.isDir() && !info.isSymLink() ? QDir(target).removeRecursively() : QFile::remove(target);
        if (!removed)
            return supportError(QStringLiteral("cannot remove %1").arg(target));
        noteParents(relative);
    }

    for (auto it = layer.files.cbegin(); it != layer.files.cend(); ++it) {
        const QString relative = relativeImagePath(it.key());
        if (relative.isEmpty())
            return supportError(QStringLiteral("invalid file path \"%1\": must be absolute").arg(it.key()));
        const QString target = rootfs + QLatin1Char('/') + relative;
        // Create missing parents one by one with mode 0755 (mkpath would use the umask).
        QString dir;
        const QStringList parts = QFileInfo(relative).path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            if (part == QLatin1String("."))
                continue;
            dir += (dir.isEmpty() ? QString() : QStringLiteral("/")) + part;
            const QString full = rootfs + QLatin1Char('/') + dir;
            if (!QFileInfo(full).isDir()) {
                if (!QDir().mkdir(full) || !setModeAndTime(full, 0755, {}))
                    return supportError(QStringLiteral("cannot create directory %1").arg(full));
            }
        }
        if (const Result<void> written = writeFile(target, it.value()); !written)
            return written.error();
        const mode_t mode = layer.executables.contains(it.key()) ? 0755 : 0644;
        if (!setModeAndTime(target, mode, created))
            return supportError(QStringLiteral("cannot set mode and time of %1").arg(target));
        noteParents(relative);
    }
    for (const QString &dir : std::as_const(touchedDirs)) {
        if (!setTime(dir, created))
            return supportError(QStringLiteral("cannot set the time of %1").arg(dir));
    }

    QStringList repack{QStringLiteral("repack"), QStringLiteral("--image"), imageArg(tag)};
    if (!layer.createdBy.isEmpty())
        repack << QStringLiteral("--history.created_by") << layer.createdBy;
    if (created.isValid())
        repack << QStringLiteral("--history.created") << rfc3339(created);
    repack << bundle;
    const Result<ToolOutput> repacked = runTool(Umoci, repack);
    QDir(bundle).removeRecursively();
    if (!repacked)
        return repacked.error();
    return {};
}

Result<void> ImageFactory::addEmptyStep(const QString &tag, const EmptyStep &step, const QDateTime &created)
{
    QStringList args{QStringLiteral("config"), QStringLiteral("--image"), imageArg(tag)};
    for (const QString &env : step.env)
        args << QStringLiteral("--config.env") << env;
    if (!step.entrypoint.isEmpty()) {
        args << QStringLiteral("--clear=config.entrypoint");
        for (const QString &arg : step.entrypoint)
            args << QStringLiteral("--config.entrypoint") << arg;
    }
    if (!step.cmd.isEmpty()) {
        args << QStringLiteral("--clear=config.cmd");
        for (const QString &arg : step.cmd)
            args << QStringLiteral("--config.cmd") << arg;
    }
    for (auto it = step.labels.cbegin(); it != step.labels.cend(); ++it)
        args << QStringLiteral("--config.label") << it.key() + QLatin1Char('=') + it.value();
    if (!step.workingDir.isEmpty())
        args << QStringLiteral("--config.workingdir") << step.workingDir;
    if (!step.createdBy.isEmpty())
        args << QStringLiteral("--history.created_by") << step.createdBy;
    if (created.isValid())
        args << QStringLiteral("--created") << rfc3339(created) << QStringLiteral("--history.created")
             << rfc3339(created);
    if (const auto configured = runTool(Umoci, args); !configured)
        return configured.error();
    return {};
}

Result<void> ImageFactory::finishImage(const QString &tag, const ImageSpec &spec)
{
    const Result<QJsonObject> descriptor = ociTagDescriptor(layoutDir(), tag);
    if (!descriptor)
        return descriptor.error();
    const QString digest = descriptor->value(QLatin1String("digest")).toString();
    const Result<QByteArray> raw = readFile(ociBlobPath(layoutDir(), digest));
    if (!raw)
        return raw.error();
    Result<QJsonObject> manifest = parseJsonObject(*raw, QStringLiteral("manifest ") + digest);
    if (!manifest)
        return manifest.error();
    bool changed = false;
    if (spec.manifestMediaTypeField && !manifest->contains(QLatin1String("mediaType"))) {
        manifest->insert(QStringLiteral("mediaType"), OciManifestType);
        changed = true;
    }
    if (!spec.variant.isEmpty() || !spec.osVersion.isEmpty() || !spec.osFeatures.isEmpty()) {
        QJsonObject configDescriptor = manifest->value(QLatin1String("config")).toObject();
        const QString configDigest = configDescriptor.value(QLatin1String("digest")).toString();
        const Result<QByteArray> configRaw = readFile(ociBlobPath(layoutDir(), configDigest));
        if (!configRaw)
            return configRaw.error();
        Result<QJsonObject> config = parseJsonObject(*configRaw, QStringLiteral("config ") + configDigest);
        if (!config)
            return config.error();
        if (!spec.variant.isEmpty())
            config->insert(QStringLiteral("variant"), spec.variant);
        if (!spec.osVersion.isEmpty())
            config->insert(QStringLiteral("os.version"), spec.osVersion);
        if (!spec.osFeatures.isEmpty())
            config->insert(QStringLiteral("os.features"), QJsonArray::fromStringList(spec.osFeatures));
        const QByteArray configBytes = QJsonDocument(*config).toJson(QJsonDocument::Compact);
        const QString newConfigDigest = sha256Digest(configBytes);
        if (const Result<void> written = writeFile(ociBlobPath(layoutDir(), newConfigDigest), configBytes); !written)
            return written.error();
        configDescriptor.insert(QStringLiteral("digest"), newConfigDigest);
        configDescriptor.insert(QStringLiteral("size"), configBytes.size());
        manifest->insert(QStringLiteral("config"), configDescriptor);
        changed = true;
    }
    if (!changed)
        return {};
    const QByteArray bytes = QJsonDocument(*manifest).toJson(QJsonDocument::Compact);
    const QString newDigest = sha256Digest(bytes);
    if (const Result<void> written = writeFile(ociBlobPath(layoutDir(), newDigest), bytes); !written)
        return written.error();

    const QString indexPath = layoutDir() + QStringLiteral("/index.json");
    const Result<QByteArray> indexBytes = readFile(indexPath);
    if (!indexBytes)
        return indexBytes.error();
    Result<QJsonObject> index = parseJsonObject(*indexBytes, indexPath);
    if (!index)
        return index.error();
    QJsonArray manifests = index->value(QLatin1String("manifests")).toArray();
    for (qsizetype i = 0; i < manifests.size(); ++i) {
        QJsonObject entry = manifests.at(i).toObject();
        if (entry.value(QLatin1String("annotations")).toObject().value(RefNameAnnotation).toString() != tag)
            continue;
        entry.insert(QStringLiteral("mediaType"), OciManifestType);
        entry.insert(QStringLiteral("digest"), newDigest);
        entry.insert(QStringLiteral("size"), bytes.size());
        manifests.replace(i, entry);
    }
    index->insert(QStringLiteral("manifests"), manifests);
    return writeFile(indexPath, QJsonDocument(*index).toJson(QJsonDocument::Compact));
}

Result<BuiltImage> ImageFactory::image(const QString &tag) const
{
    const Result<QJsonObject> descriptor = ociTagDescriptor(layoutDir(), tag);
    if (!descriptor)
        return descriptor.error();
    BuiltImage image;
    image.tag = tag;
    image.manifestDigest = descriptor->value(QLatin1String("digest")).toString();
    Result<QByteArray> manifest = readFile(ociBlobPath(layoutDir(), image.manifestDigest));
    if (!manifest)
        return manifest.error();
    image.manifest = *manifest;
    const Result<QJsonObject> manifestJson = parseJsonObject(image.manifest, QStringLiteral("manifest of ") + tag);
    if (!manifestJson)
        return manifestJson.error();
    image.configDigest = manifestJson->value(QLatin1String("config")).toObject().value(QLatin1String("digest")).toString();
    Result<QByteArray> config = readFile(ociBlobPath(layoutDir(), image.configDigest));
    if (!config)
        return config.error();
    image.config = *config;
    Result<QJsonObject> configJson = parseJsonObject(image.config, QStringLiteral("config of ") + tag);
    if (!configJson)
        return configJson.error();
    image.configJson = *configJson;
    const QJsonArray layers = manifestJson->value(QLatin1String("layers")).toArray();
    for (const QJsonValue &layer : layers) {
        image.layerDigests.append(layer.toObject().value(QLatin1String("digest")).toString());
        image.layerSizes.append(layer.toObject().value(QLatin1String("size")).toInteger());
    }
    const QJsonArray diffIds = image.configJson.value(QLatin1String("rootfs")).toObject().value(QLatin1String("diff_ids")).toArray();
    for (const QJsonValue &diffId : diffIds)
        image.diffIds.append(diffId.toString());
    image.history = image.configJson.value(QLatin1String("history")).toArray();
    return image;
}

Result<QString> ImageFactory::push(const QString &tag, const QString &target, Format format)
{
    if (const Result<QJsonObject> descriptor = ociTagDescriptor(layoutDir(), tag); !descriptor)
        return descriptor.error();
    const QString digestFile = m_dir->filePath(QStringLiteral("pushed-digest"));
    QFile::remove(digestFile);
    // --insecure-policy: do not depend on the machine's /etc/containers/policy.json.
    QStringList args{QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--quiet"),
                     QStringLiteral("--dest-tls-verify=false"), QStringLiteral("--digestfile"), digestFile};
    if (format == Format::DockerV2S2)
        args << QStringLiteral("--format") << QStringLiteral("v2s2");
    if (!m_credentials.isEmpty())
        args << QStringLiteral("--dest-creds") << m_credentials;
    args << QStringLiteral("oci:") + imageArg(tag) << QStringLiteral("docker://") + target;
    if (const auto copied = runTool(Skopeo, args); !copied)
        return copied.error();
    const Result<QByteArray> digest = readFile(digestFile);
    if (!digest)
        return digest.error();
    return QString::fromLatin1(digest->trimmed());
}

Result<QString> ImageFactory::buildAndPush(const QString &tag, const ImageSpec &spec, const QString &target,
                                           Format format)
{
    if (const Result<BuiltImage> built = build(tag, spec); !built)
        return built.error();
    return push(tag, target, format);
}

} // namespace Restack::Test
