// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <optional>

#include "common/result.h"
#include "registry/client.h"

class QNetworkAccessManager;

namespace Restack::Credentials
{
class CredentialResolver;
class SecretStore;
} // namespace Restack::Credentials

namespace Restack::Ui
{

class RegistryListModel;
enum class CredentialState;

/**
 * What the windows of one application instance share: the registry client (over a
 * QNetworkAccessManager given by the caller, so that tests choose its proxy), the registry list,
 * whose TLS modes it applies to the client (skip verification and plain HTTP both make a
 * registry insecure for the client; loopback registries are reached over plain HTTP anyway), and
 * the credentials.
 *
 * Credentials: the client asks a CredentialResolver when a registry first challenges it, as the
 * CLI does (session logins, then Restack's keychain entries, then Docker's and Podman's auth
 * files). logIn() checks a credential against the registry with a throwaway client first (GET
 * /v2/ with exactly that credential), then keeps it: in the OS keychain (SecretStore) when asked
 * to remember, else for this session only (CredentialResolver::setSessionCredential()); when no
 * keychain backend runs it falls back to the session and says so (keychainError()). logOut()
 * removes the keychain entry and the session credential. Secrets never reach QSettings or a log;
 * the registry list shows which registries have credentials (RegistryListModel::CredentialStateRole).
 *
 * The client cannot forget a credential it was given, so logOut() replaces it with a fresh one
 * (clientChanged()); requests in flight finish on the old client, which lives as long as the
 * session.
 */
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    /** What logIn() did once the registry accepted the credential. */
    struct LoginOutcome
    {
        bool verified = false;               ///< the registry asked for credentials and accepted these
        bool saved = false;                  ///< saved in the keychain (else kept for this session)
        std::optional<Error> keychainError;  ///< why it was not saved although asked to (kept for the session)
    };

    /**
     * @p keychainService and @p keychainIndex are passed to the SecretStore (empty: Restack's
     * application id and the per-user index shared with `restack login`).
     */
    Session(QNetworkAccessManager *network, Registry::ClientOptions options, QObject *parent = nullptr,
            const QString &keychainService = {}, const QString &keychainIndex = {});
    ~Session() override;

    Registry::Client *client() const { return m_client; }
    RegistryListModel *registries() const { return m_registries; }
    Credentials::SecretStore *secretStore() const { return m_store; }
    Credentials::CredentialResolver *credentials() const { return m_resolver; }

    /**
     * Checks @p credential against @p registry (asynchronously, never blocking), then keeps it as
     * described in the class comment and gives it to the client. Errors: the registry refused it
     * (Kind::Unauthorized; nothing is kept), or could not be reached. Deleting @p context cancels
     * the check; once the check succeeded the credential is kept whatever happens to @p context.
     */
    void logIn(const QString &registry, const Registry::Credential &credential, bool remember, QObject *context,
               Callback<LoginOutcome> done);
    /** Forgets @p registry's credentials: its keychain entry, its session credential, and the client's copy. */
    void logOut(const QString &registry, QObject *context, Callback<void> done);

    /** Which credentials are held for @p registry (Session wins over Saved: it is the one used). */
    CredentialState credentialState(const QString &registry) const;
    /** The user of the credentials held for @p registry, empty when none. */
    QString credentialUser(const QString &registry) const;
    /** True when logOut() has something to remove for @p registry. */
    bool hasCredentials(const QString &registry) const;
    /** The error of the last attempt to save in the keychain when no backend was available, else nullopt. */
    std::optional<Error> keychainError() const { return m_keychainError; }

    /** Uses @p credential for @p registry for this session (kept in memory only), without checking it. */
    void setCredential(const QString &registry, const Registry::Credential &credential);

Q_SIGNALS:
    /** Credentials were kept or forgotten for @p registry. */
    void credentialsChanged(const QString &registry);
    /** client() is a new client (after a logout): widgets holding the old one switch to @p client. */
    void clientChanged(Restack::Registry::Client *client);

private:
    void keepForSession(const QString &registry, const Registry::Credential &credential);
    void replaceClient();
    void applyTlsModes();
    void updateCredentialStates();

    QNetworkAccessManager *m_network;
    Registry::ClientOptions m_options;
    Registry::Client *m_client;
    QList<Registry::Client *> m_retired; ///< replaced clients, kept for the requests still using them
    RegistryListModel *m_registries;
    Credentials::SecretStore *m_store;
    Credentials::CredentialResolver *m_resolver;
    QHash<QString, QString> m_sessionUsers; ///< normalised registry -> user of its session credential
    std::optional<Error> m_keychainError;
    QSet<QString> m_insecure;
};

} // namespace Restack::Ui
