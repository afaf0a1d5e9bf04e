// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

#include "common/result.h"
#include "registry/client.h"

namespace Restack::Credentials
{

/** Which tool wrote an AuthFile: they share a format but are looked for in different places. */
enum class AuthFileFormat {
    Docker, ///< Docker's config.json: auths, credHelpers, credsStore
    Podman, ///< containers-auth.json(5) of Podman, Buildah and skopeo: auths, credHelpers
};

/** What an AuthFile says about one registry. */
struct AuthFileLookup
{
    /** A credential written in the file itself (base64 "auth", or "identitytoken"). */
    std::optional<Registry::Credential> credential;
    /** The helper to ask instead ("pass" for docker-credential-pass), from credHelpers or credsStore. */
    QString helper;
    /** The server address to give the helper: the key as written in the file, or the registry. */
    QString helperServer;
    /** The key of the entry that matched, for messages ("https://index.docker.io/v1/"). */
    QString key;
};

/**
 * A read-only view of Docker's `config.json` or a containers `auth.json`. Restack never writes
 * these files.
 *
 * Entries are matched by registry host[:port], case-insensitively, after removing a scheme and a
 * path from the key ("https://registry.example/v1/" matches "registry.example"). Docker Hub is
 * matched by any of its names: "docker.io", "index.docker.io", "registry-1.docker.io" and the
 * legacy "https://index.docker.io/v1/". Keys naming a namespace inside a registry
 * ("quay.io/team", allowed by containers-auth.json) are not used: Restack asks per registry.
 *
 * For one registry the lookup order is Docker's: credHelpers[registry], then credsStore, then the
 * "auths" entry. An "auths" entry gives a credential from "auth" (base64 of "user:password") or
 * from "identitytoken" (an OAuth2 refresh token, Credential::identityToken); "username" and
 * "password" fields are accepted too.
 */
class AuthFile
{
public:
    AuthFile() = default;

    /**
     * Reads @p path. A missing file is an empty AuthFile (not an error). Errors: the file exists
     * but cannot be read or is not a JSON object (Kind::InvalidContent, naming the file).
     */
    static Result<AuthFile> load(const QString &path, AuthFileFormat format);
    /** Parses @p json as read from @p path (used in messages). Errors: as load(). */
    static Result<AuthFile> parse(const QByteArray &json, const QString &path, AuthFileFormat format);

    /**
     * Docker's config file: $DOCKER_CONFIG/config.json, else ~/.docker/config.json (HOME from
     * @p environment).
     */
    static QString dockerConfigPath(const QProcessEnvironment &environment);
    /**
     * The containers auth file in effect: $REGISTRY_AUTH_FILE when set; else the first that
     * exists of $XDG_RUNTIME_DIR/containers/auth.json and $XDG_CONFIG_HOME/containers/auth.json
     * (XDG_CONFIG_HOME defaulting to ~/.config); empty when none exists.
     */
    static QString podmanAuthPath(const QProcessEnvironment &environment);
    /**
     * Which of Docker's and Podman's files in effect (above) still hold credentials for
     * @p registry: what a logout from Restack's keychain leaves behind, since Restack reads those
     * files but never writes them. Unreadable files count as holding none.
     */
    static QStringList filesWithCredentials(const QString &registry, const QProcessEnvironment &environment);

    /** The names a registry's entry may have in an auth file (Docker Hub's aliases, or just the host). */
    static QStringList aliases(const QString &registry);
    /** A key of "auths" or "credHelpers" reduced to host[:port], lowercased. */
    static QString keyHost(const QString &key);

    QString path() const { return m_path; }
    AuthFileFormat format() const { return m_format; }
    bool isEmpty() const { return m_auths.isEmpty() && m_helpers.isEmpty() && m_store.isEmpty(); }

    /**
     * What the file says about @p registry; nullopt when nothing. Errors: an "auths" entry whose
     * "auth" is not base64 of "user:password" (Kind::InvalidContent naming file and key).
     */
    Result<std::optional<AuthFileLookup>> lookup(const QString &registry) const;

private:
    struct Entry
    {
        QString key;
        QString auth;
        QString username;
        QString password;
        QString identityToken;
    };

    QString m_path;
    AuthFileFormat m_format = AuthFileFormat::Docker;
    QList<Entry> m_auths;
    QMap<QString, QString> m_helpers; ///< key as written -> helper name
    QString m_store;
};

} // namespace Restack::Credentials
