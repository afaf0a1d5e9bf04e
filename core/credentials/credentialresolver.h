// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

#include "common/result.h"
#include "registry/client.h"

namespace Restack::Credentials
{

class SecretStore;

/** Where a resolved credential came from. */
enum class CredentialSource {
    Session,          ///< given for this process only (--password-stdin, a GUI login not remembered)
    Keychain,         ///< Restack's own keychain entry (`restack login`, "remember in keychain")
    DockerConfig,     ///< an "auths" entry of Docker's config.json
    DockerHelper,     ///< a Docker credential helper named by config.json (credHelpers, credsStore)
    PodmanAuthFile,   ///< an "auths" entry of the containers auth.json (Podman, skopeo, Buildah)
    PodmanHelper,     ///< a credential helper named by the containers auth.json (credHelpers)
};

/** "session", "keychain", "docker-config", "docker-helper", "podman-auth", "podman-helper". */
QString sourceName(CredentialSource source);

/** A credential with where it was found. */
struct ResolvedCredential
{
    Registry::Credential credential;
    CredentialSource source = CredentialSource::Session;
    QString origin; ///< the file or the helper program it came from; empty for session and keychain
};

/**
 * Finds the credential for a registry, asynchronously, in this order:
 *  1. session credentials (setSessionCredential(): the CLI's --username/--password-stdin, or a GUI
 *     login that was not remembered);
 *  2. Restack's keychain entry (SecretStore; only when its index lists the registry);
 *  3. Docker's config.json ($DOCKER_CONFIG or ~/.docker): credHelpers, credsStore, auths;
 *  4. the containers auth.json (REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers,
 *     ~/.config/containers).
 * Docker's and Podman's files are only read, never written. The first source that knows the
 * registry wins; a helper's "credentials not found" passes on to the next source.
 *
 * Errors end the search, so that a user is told why their saved credential was not used: the
 * keychain is unavailable although the registry has a saved credential (Kind::Unavailable, hint:
 * pass --password-stdin, or start a Secret Service), an unreadable or invalid auth file
 * (Kind::InvalidContent), a missing or failing helper (Kind::Unavailable / Kind::Internal).
 *
 * The paths and the helpers' PATH come from the environment given (the process environment by
 * default), so that tests and the GUI can point them elsewhere. Results are not cached here: the
 * registry client asks once per registry (Client::setCredentialProvider()).
 */
class CredentialResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialResolver)

public:
    /** @p store may be null (no keychain lookups, as for `--password-stdin`-only use). */
    explicit CredentialResolver(SecretStore *store, QObject *parent = nullptr,
                                QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());
    ~CredentialResolver() override;

    SecretStore *store() const { return m_store; }
    const QProcessEnvironment &environment() const { return m_environment; }

    /** Uses @p credential for @p registry for the lifetime of this resolver, before any other source. */
    void setSessionCredential(const QString &registry, const Registry::Credential &credential);
    /** Forgets the session credential of @p registry (a GUI logout, or a 401 for it). */
    void clearSessionCredential(const QString &registry);

    /** Looks @p registry up as described above; nullopt when no source knows it. */
    void resolve(const QString &registry, QObject *context, Callback<std::optional<ResolvedCredential>> done);

    /**
     * A provider for Registry::Client::setCredentialProvider() that resolves through this
     * resolver (which must outlive the client's requests).
     */
    Registry::CredentialProvider provider();

private:
    void resolveFiles(const QString &registry, int step, QObject *context,
                      Callback<std::optional<ResolvedCredential>> done);

    SecretStore *m_store;
    QProcessEnvironment m_environment;
    QHash<QString, Registry::Credential> m_session;
};

} // namespace Restack::Credentials
