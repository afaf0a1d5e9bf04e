// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QPointer>

#include "credentials/credentialresolver.h"
#include "credentials/secretstore.h"
#include "registrylistmodel.h"

namespace Restack::Ui
{

using Credentials::SecretStore;

Session::Session(QNetworkAccessManager *network, Registry::ClientOptions options, QObject *parent,
                 const QString &keychainService, const QString &keychainIndex)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
    , m_client(new Registry::Client(network, options, this))
    , m_registries(new RegistryListModel(this))
    , m_store(new SecretStore(this, keychainService, keychainIndex))
    , m_resolver(new Credentials::CredentialResolver(m_store, this))
{
    m_client->setCredentialProvider(m_resolver->provider());
    connect(m_registries, &RegistryListModel::registriesChanged, this, &Session::applyTlsModes);
    connect(m_registries, &RegistryListModel::registriesChanged, this, &Session::updateCredentialStates);
    updateCredentialStates();
}

Session::~Session() = default;

void Session::setCredential(const QString &registry, const Registry::Credential &credential)
{
    keepForSession(registry, credential);
    Q_EMIT credentialsChanged(registry);
}

void Session::keepForSession(const QString &registry, const Registry::Credential &credential)
{
    m_resolver->setSessionCredential(registry, credential);
    m_sessionUsers.insert(SecretStore::normalisedRegistry(registry), credential.username);
    m_client->setCredential(registry, credential);
    updateCredentialStates();
}

void Session::logIn(const QString &registry, const Registry::Credential &credential, bool remember, QObject *context,
                    Callback<LoginOutcome> done)
{
    // A throwaway client that knows exactly this credential (no provider: neither the keychain nor
    // Docker's files are consulted), with the registry's TLS mode. Its children die in creation
    // order: the ping's context (and so the request) before the client it uses.
    auto *holder = new QObject(context);
    auto *pingContext = new QObject(holder);
    auto *check = new Registry::Client(m_network, m_options, holder);
    check->setInsecure(registry, m_client->isInsecure(registry));
    check->setCredential(registry, credential);
    const QPointer<QObject> caller(context);
    check->ping(registry, pingContext, [this, holder, check, registry, credential, remember, caller, done](Result<void> checked) {
        const bool verified = check->requiresAuthentication(registry);
        holder->deleteLater();
        if (!checked.ok()) {
            Error error = checked.error();
            error.message = tr("%1 did not accept the credentials: %2").arg(registry, error.message);
            if (error.kind == Error::Kind::Unauthorized)
                error.hint = tr("Check the username and the password (or token), then try again. Nothing was saved.");
            return done(error);
        }
        // Accepted: from here on the credential is kept even if the caller has gone.
        LoginOutcome outcome;
        outcome.verified = verified;
        if (!remember) {
            keepForSession(registry, credential);
            Q_EMIT credentialsChanged(registry);
            if (caller)
                done(outcome);
            return;
        }
        m_store->write(registry, credential, this, [this, registry, credential, outcome, caller, done](Result<void> saved) mutable {
            if (saved.ok()) {
                m_keychainError.reset();
                m_resolver->clearSessionCredential(registry);
                m_sessionUsers.remove(SecretStore::normalisedRegistry(registry));
                m_client->setCredential(registry, credential);
                updateCredentialStates();
                outcome.saved = true;
            } else {
                // No keychain (or it refused): the login still holds, for this session.
                if (SecretStore::isBackendUnavailable(saved.error()))
                    m_keychainError = saved.error();
                outcome.keychainError = saved.error();
                keepForSession(registry, credential);
            }
            Q_EMIT credentialsChanged(registry);
            if (caller)
                done(outcome);
        });
    });
}

void Session::logOut(const QString &registry, QObject *context, Callback<void> done)
{
    m_resolver->clearSessionCredential(registry);
    m_sessionUsers.remove(SecretStore::normalisedRegistry(registry));
    const QPointer<QObject> caller(context);
    m_store->remove(registry, this, [this, registry, caller, done](Result<void> removed) {
        // Whatever the keychain said, this session stops using the credential.
        replaceClient();
        updateCredentialStates();
        Q_EMIT credentialsChanged(registry);
        if (caller)
            done(removed);
    });
}

CredentialState Session::credentialState(const QString &registry) const
{
    const QString name = SecretStore::normalisedRegistry(registry);
    if (m_sessionUsers.contains(name))
        return CredentialState::Session;
    if (!m_store->username(name).isEmpty())
        return CredentialState::Saved;
    return CredentialState::None;
}

QString Session::credentialUser(const QString &registry) const
{
    const QString name = SecretStore::normalisedRegistry(registry);
    const auto session = m_sessionUsers.constFind(name);
    return session != m_sessionUsers.cend() ? session.value() : m_store->username(name);
}

bool Session::hasCredentials(const QString &registry) const
{
    return credentialState(registry) != CredentialState::None;
}

void Session::replaceClient()
{
    m_retired << m_client;
    m_client = new Registry::Client(m_network, m_options, this);
    m_client->setCredentialProvider(m_resolver->provider());
    for (const QString &address : std::as_const(m_insecure))
        m_client->setInsecure(address, true);
    Q_EMIT clientChanged(m_client);
}

void Session::updateCredentialStates()
{
    QSet<QString> names;
    for (const RegistryEntry &entry : m_registries->entries())
        names.insert(entry.address);
    const QStringList saved = m_store->registries();
    for (const QString &name : saved)
        names.insert(name);
    for (auto it = m_sessionUsers.cbegin(); it != m_sessionUsers.cend(); ++it)
        names.insert(it.key());
    for (const QString &name : std::as_const(names))
        m_registries->setCredentialState(name, credentialState(name), credentialUser(name));
}

void Session::applyTlsModes()
{
    // A registry removed from the list (or whose address changed) goes back to verified TLS.
    QSet<QString> insecure;
    for (const RegistryEntry &entry : m_registries->entries()) {
        if (entry.tlsMode != TlsMode::Verify)
            insecure.insert(entry.address);
    }
    for (const QString &address : std::as_const(m_insecure))
        m_client->setInsecure(address, insecure.contains(address));
    for (const QString &address : std::as_const(insecure))
        m_client->setInsecure(address, true);
    m_insecure = insecure;
}

} // namespace Restack::Ui
