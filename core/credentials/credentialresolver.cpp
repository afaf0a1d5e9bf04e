// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentials/credentialresolver.h"

#include <QLoggingCategory>
#include <QPointer>

#include "credentials/authfile.h"
#include "credentials/credentialhelper.h"
#include "credentials/secretstore.h"

Q_LOGGING_CATEGORY(lcResolver, "restack.credentials", QtWarningMsg)

namespace Restack::Credentials
{

using Registry::Credential;

QString sourceName(CredentialSource source)
{
    switch (source) {
    case CredentialSource::Session: return QStringLiteral("session");
    case CredentialSource::Keychain: return QStringLiteral("keychain");
    case CredentialSource::DockerConfig: return QStringLiteral("docker-config");
    case CredentialSource::DockerHelper: return QStringLiteral("docker-helper");
    case CredentialSource::PodmanAuthFile: return QStringLiteral("podman-auth");
    case CredentialSource::PodmanHelper: return QStringLiteral("podman-helper");
    }
    return QStringLiteral("session");
}

CredentialResolver::CredentialResolver(SecretStore *store, QObject *parent, QProcessEnvironment environment)
    : QObject(parent)
    , m_store(store)
    , m_environment(std::move(environment))
{
}

CredentialResolver::~CredentialResolver() = default;

void CredentialResolver::setSessionCredential(const QString &registry, const Credential &credential)
{
    m_session.insert(SecretStore::normalisedRegistry(registry), credential);
}

void CredentialResolver::clearSessionCredential(const QString &registry)
{
    m_session.remove(SecretStore::normalisedRegistry(registry));
}

void CredentialResolver::resolve(const QString &registry, QObject *context,
                                 Callback<std::optional<ResolvedCredential>> done)
{
    const QString name = SecretStore::normalisedRegistry(registry);
    const auto session = m_session.constFind(name);
    if (session != m_session.cend()) {
        ResolvedCredential found{session.value(), CredentialSource::Session, {}};
        QMetaObject::invokeMethod(context, [done, found] { done(std::optional<ResolvedCredential>(found)); },
                                  Qt::QueuedConnection);
        return;
    }
    if (!m_store) {
        resolveFiles(name, 0, context, std::move(done));
        return;
    }
    QPointer<CredentialResolver> self(this);
    m_store->read(name, context, [self, name, context, done](Result<std::optional<Credential>> stored) {
        if (!stored.ok()) {
            Error error = stored.error();
            if (SecretStore::isBackendUnavailable(error)) {
                // The user saved a credential with `restack login` but it cannot be read now.
                error.message = QStringLiteral("the credentials saved for %1 cannot be read: %2").arg(name, error.message);
            }
            return done(error);
        }
        if (stored.value()) {
            qCDebug(lcResolver).noquote() << "credentials for" << name << "from the keychain";
            return done(std::optional<ResolvedCredential>(ResolvedCredential{*stored.value(), CredentialSource::Keychain, {}}));
        }
        if (!self)
            return done(std::optional<ResolvedCredential>());
        self->resolveFiles(name, 0, context, done);
    });
}

void CredentialResolver::resolveFiles(const QString &registry, int step, QObject *context,
                                      Callback<std::optional<ResolvedCredential>> done)
{
    // step 0: Docker's config.json; step 1: the containers auth.json; then nothing.
    if (step > 1) {
        qCDebug(lcResolver).noquote() << "no credentials for" << registry;
        QMetaObject::invokeMethod(context, [done] { done(std::optional<ResolvedCredential>()); }, Qt::QueuedConnection);
        return;
    }
    const bool docker = step == 0;
    const QString path = docker ? AuthFile::dockerConfigPath(m_environment) : AuthFile::podmanAuthPath(m_environment);
    const auto next = [self = QPointer<CredentialResolver>(this), registry, step, context, done] {
        if (self)
            self->resolveFiles(registry, step + 1, context, done);
        else
            done(std::optional<ResolvedCredential>());
    };
    const Result<AuthFile> file = AuthFile::load(path, docker ? AuthFileFormat::Docker : AuthFileFormat::Podman);
    Result<std::optional<AuthFileLookup>> lookup = file.ok() ? file->lookup(registry) : Result<std::optional<AuthFileLookup>>(file.error());
    if (!lookup.ok()) {
        const Error error = lookup.error();
        QMetaObject::invokeMethod(context, [done, error] { done(error); }, Qt::QueuedConnection);
        return;
    }
    if (!lookup.value()) {
        QMetaObject::invokeMethod(context, next, Qt::QueuedConnection);
        return;
    }
    const AuthFileLookup found = *lookup.value();
    if (found.credential) {
        qCDebug(lcResolver).noquote() << "credentials for" << registry << "from" << path << "entry" << found.key;
        const ResolvedCredential resolved{*found.credential,
                                          docker ? CredentialSource::DockerConfig : CredentialSource::PodmanAuthFile, path};
        QMetaObject::invokeMethod(context, [done, resolved] { done(std::optional<ResolvedCredential>(resolved)); },
                                  Qt::QueuedConnection);
        return;
    }
    const QString program = credentialHelperProgram(found.helper);
    runCredentialHelper(found.helper, found.helperServer, m_environment, context,
                        [done, next, program, docker](Result<std::optional<Credential>> answer) {
                            if (!answer.ok())
                                return done(answer.error());
                            if (!answer.value())
                                return next();
                            done(std::optional<ResolvedCredential>(ResolvedCredential{
                                *answer.value(), docker ? CredentialSource::DockerHelper : CredentialSource::PodmanHelper,
                                program}));
                        });
}

Registry::CredentialProvider CredentialResolver::provider()
{
    return [self = QPointer<CredentialResolver>(this)](const QString &registry, QObject *context,
                                                        Callback<std::optional<Credential>> done) {
        if (!self) {
            QMetaObject::invokeMethod(context, [done] { done(std::optional<Credential>()); }, Qt::QueuedConnection);
            return;
        }
        self->resolve(registry, context, [done](Result<std::optional<ResolvedCredential>> resolved) {
            if (!resolved.ok())
                return done(resolved.error());
            if (!resolved.value())
                return done(std::optional<Credential>());
            done(std::optional<Credential>(resolved.value()->credential));
        });
    };
}

} // namespace Restack::Credentials
