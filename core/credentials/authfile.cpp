// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentials/authfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "image/reference.h"

namespace Restack::Credentials
{

namespace
{
constexpr qint64 MaxAuthFileBytes = 4 * 1024 * 1024;
const QString DockerHubLegacyKey = QStringLiteral("https://index.docker.io/v1/");

QString homeOf(const QProcessEnvironment &environment)
{
    const QString home = environment.value(QStringLiteral("HOME"));
    return home.isEmpty() ? QDir::homePath() : home;
}

QString describe(AuthFileFormat format)
{
    return format == AuthFileFormat::Docker ? QStringLiteral("Docker config") : QStringLiteral("containers auth file");
}
} // namespace

QString AuthFile::dockerConfigPath(const QProcessEnvironment &environment)
{
    const QString dir = environment.value(QStringLiteral("DOCKER_CONFIG"));
    if (!dir.isEmpty())
        return QDir(dir).filePath(QStringLiteral("config.json"));
    return homeOf(environment) + QStringLiteral("/.docker/config.json");
}

QString AuthFile::podmanAuthPath(const QProcessEnvironment &environment)
{
    const QString explicitPath = environment.value(QStringLiteral("REGISTRY_AUTH_FILE"));
    if (!explicitPath.isEmpty())
        return explicitPath;
    QStringList candidates;
    const QString runtime = environment.value(QStringLiteral("XDG_RUNTIME_DIR"));
    if (!runtime.isEmpty())
        candidates << runtime + QStringLiteral("/containers/auth.json");
    QString config = environment.value(QStringLiteral("XDG_CONFIG_HOME"));
    if (config.isEmpty())
        config = homeOf(environment) + QStringLiteral("/.config");
    candidates << config + QStringLiteral("/containers/auth.json");
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return {};
}

QStringList AuthFile::filesWithCredentials(const QString &registry, const QProcessEnvironment &environment)
{
    QStringList paths;
    for (const QString &path : {dockerConfigPath(environment), podmanAuthPath(environment)}) {
        if (path.isEmpty())
            continue;
        const auto file = load(path, AuthFileFormat::Docker);
        if (!file.ok())
            continue;
        const auto found = file->lookup(registry);
        if (found.ok() && found.value())
            paths << path;
    }
    return paths;
}

QStringList AuthFile::aliases(const QString &registry)
{
    auto parsed = Image::Reference::parseRegistry(registry);
    const QString name = (parsed ? parsed.value() : registry).toLower();
    if (name == Image::Reference::DockerHub)
        return {QStringLiteral("docker.io"), QStringLiteral("index.docker.io"), QStringLiteral("registry-1.docker.io")};
    return {name};
}

QString AuthFile::keyHost(const QString &key)
{
    QString host = key.trimmed();
    const qsizetype scheme = host.indexOf(QLatin1String("://"));
    if (scheme >= 0)
        host = host.mid(scheme + 3);
    const qsizetype slash = host.indexOf(QLatin1Char('/'));
    if (slash >= 0)
        host = host.left(slash);
    return host.toLower();
}

Result<AuthFile> AuthFile::load(const QString &path, AuthFileFormat format)
{
    AuthFile empty;
    empty.m_path = path;
    empty.m_format = format;
    if (path.isEmpty() || !QFileInfo::exists(path))
        return empty;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::make(Error::Kind::InvalidContent,
                           QStringLiteral("cannot read the %1 %2: %3").arg(describe(format), path, file.errorString()),
                           QStringLiteral("check the file's permissions"));
    }
    return parse(file.read(MaxAuthFileBytes), path, format);
}

Result<AuthFile> AuthFile::parse(const QByteArray &json, const QString &path, AuthFileFormat format)
{
    AuthFile file;
    file.m_path = path;
    file.m_format = format;
    if (json.trimmed().isEmpty())
        return file;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        return Error::make(Error::Kind::InvalidContent,
                           QStringLiteral("the %1 %2 is not a JSON object: %3")
                               .arg(describe(format), path,
                                    parseError.error == QJsonParseError::NoError ? QStringLiteral("wrong type")
                                                                                 : parseError.errorString()),
                           QStringLiteral("fix or remove the file"));
    }
    const QJsonObject root = document.object();
    const QJsonObject auths = root.value(QLatin1String("auths")).toObject();
    for (auto it = auths.constBegin(); it != auths.constEnd(); ++it) {
        const QJsonObject object = it.value().toObject();
        Entry entry;
        entry.key = it.key();
        entry.auth = object.value(QLatin1String("auth")).toString();
        entry.username = object.value(QLatin1String("username")).toString();
        entry.password = object.value(QLatin1String("password")).toString();
        entry.identityToken = object.value(QLatin1String("identitytoken")).toString();
        file.m_auths.append(entry);
    }
    const QJsonObject helpers = root.value(QLatin1String("credHelpers")).toObject();
    for (auto it = helpers.constBegin(); it != helpers.constEnd(); ++it) {
        if (!it.value().toString().isEmpty())
            file.m_helpers.insert(it.key(), it.value().toString());
    }
    if (format == AuthFileFormat::Docker)
        file.m_store = root.value(QLatin1String("credsStore")).toString();
    return file;
}

Result<std::optional<AuthFileLookup>> AuthFile::lookup(const QString &registry) const
{
    const QStringList names = aliases(registry);
    const bool dockerHub = names.contains(Image::Reference::DockerHub);
    const auto matches = [&names](const QString &key) {
        // A key with a path below the host names a namespace (containers-auth.json), except
        // Docker's legacy "https://index.docker.io/v1/" and other "/v1/" or "/v2/" API roots.
        QString rest = key.trimmed();
        const qsizetype scheme = rest.indexOf(QLatin1String("://"));
        if (scheme >= 0)
            rest = rest.mid(scheme + 3);
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            const QString path = rest.mid(slash);
            if (path != QLatin1String("/") && path != QLatin1String("/v1/") && path != QLatin1String("/v1")
                && path != QLatin1String("/v2/") && path != QLatin1String("/v2"))
                return false;
        }
        return names.contains(keyHost(key));
    };
    const QString helperServer = dockerHub ? DockerHubLegacyKey : names.first();

    for (auto it = m_helpers.constBegin(); it != m_helpers.constEnd(); ++it) {
        if (matches(it.key())) {
            AuthFileLookup found;
            found.helper = it.value();
            found.helperServer = it.key();
            found.key = it.key();
            return std::optional<AuthFileLookup>(found);
        }
    }

    const Entry *entry = nullptr;
    for (const Entry &candidate : m_auths) {
        if (matches(candidate.key)) {
            entry = &candidate;
            break;
        }
    }
    if (!m_store.isEmpty()) {
        AuthFileLookup found;
        found.helper = m_store;
        found.helperServer = entry ? entry->key : helperServer;
        found.key = entry ? entry->key : QStringLiteral("credsStore");
        return std::optional<AuthFileLookup>(found);
    }
    if (!entry)
        return std::optional<AuthFileLookup>();

    AuthFileLookup found;
    found.key = entry->key;
    Registry::Credential credential;
    if (!entry->identityToken.isEmpty()) {
        credential.secret = entry->identityToken;
        credential.identityToken = true;
    }
    if (!entry->auth.isEmpty()) {
        const QByteArray decoded = QByteArray::fromBase64(entry->auth.toLatin1());
        const qsizetype colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Error::make(Error::Kind::InvalidContent,
                               QStringLiteral("the \"auth\" of \"%1\" in the %2 %3 is not base64 of USER:PASSWORD")
                                   .arg(entry->key, describe(m_format), m_path),
                               QStringLiteral("log in again with that tool, or remove the entry"));
        }
        credential.username = QString::fromUtf8(decoded.left(colon));
        if (!credential.identityToken)
            credential.secret = QString::fromUtf8(decoded.mid(colon + 1));
    } else if (!entry->username.isEmpty()) {
        credential.username = entry->username;
        if (!credential.identityToken)
            credential.secret = entry->password;
    }
    if (credential.secret.isEmpty())
        return std::optional<AuthFileLookup>(); // a placeholder entry ("auths": {"host": {}})
    found.credential = credential;
    return std::optional<AuthFileLookup>(found);
}

} // namespace Restack::Credentials
