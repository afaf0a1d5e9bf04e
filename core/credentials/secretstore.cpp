// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentials/secretstore.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>

#include <qt6keychain/keychain.h>

#include "credentials/applicationid.h"
#include "image/reference.h"

Q_LOGGING_CATEGORY(lcSecrets, "restack.credentials.keychain", QtWarningMsg)

namespace Restack::Credentials
{

namespace
{
const QString IndexGroup = QStringLiteral("registries");
const QString NoBackendMarker = QStringLiteral("KEYCHAIN_UNAVAILABLE");

QString defaultIndexPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/restack/credentials.conf");
}

// QSettings keys treat '/' as a group separator and '\\' specially: registries contain neither,
// but a host:port's ':' is fine in INI keys once QSettings percent-encodes it.
QSettings openIndex(const QString &path)
{
    return QSettings(path, QSettings::IniFormat);
}

// qtkeychain 0.13 reports NoBackendAvailable only when it finds no backend library at all; with
// libsecret present, a missing session bus or Secret Service comes as OtherError with libsecret's
// (GDBus's) message. These messages mean "no usable Secret Service here".
bool meansNoSecretService(const QString &message)
{
    static const char *const patterns[] = {
        "Could not connect",                 // DBUS_SESSION_BUS_ADDRESS points nowhere
        "autolaunch",                        // no DBUS_SESSION_BUS_ADDRESS and no X11 display
        "org.freedesktop.secrets",           // no Secret Service provider installed
        "ServiceUnknown",
        "not provided by any .service",
        "/org/freedesktop/secrets/collection/login", // no login keyring, and no prompt could create it
    };
    for (const char *pattern : patterns) {
        if (message.contains(QLatin1String(pattern), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

Error keychainError(const QKeychain::Job *job, const QString &operation, const QString &registry)
{
    Error error;
    error.registry = registry;
    QKeychain::Error code = job->error();
    if (code == QKeychain::OtherError && meansNoSecretService(job->errorString()))
        code = QKeychain::NoBackendAvailable;
    switch (code) {
    case QKeychain::NoBackendAvailable:
        error.kind = Error::Kind::Unavailable;
        error.registryCode = NoBackendMarker;
        error.message = QStringLiteral("%1: no keychain is available (%2)").arg(operation, job->errorString());
        error.hint = QStringLiteral(
            "start a Secret Service provider in your session (gnome-keyring-daemon, KWallet or KeePassXC with "
            "Secret Service integration); on a headless machine run Restack inside `dbus-run-session` after "
            "`printf PASSWORD | gnome-keyring-daemon --unlock --components=secrets`. Until then credentials are not "
            "saved: pass --username and --password-stdin on each command");
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        error.kind = Error::Kind::Unauthorized;
        error.message = QStringLiteral("%1: the keychain denied access (%2)").arg(operation, job->errorString());
        error.hint = QStringLiteral("unlock the keychain (your login keyring) and allow Restack to use it, then retry");
        break;
    default:
        error.kind = Error::Kind::Internal;
        error.message = QStringLiteral("%1: the keychain failed: %2").arg(operation, job->errorString());
        error.hint = QStringLiteral("check that the keychain service runs and is unlocked, then retry");
        break;
    }
    return error;
}

// Delivers from the event loop, so that every path (including the ones that need no keychain
// call) completes asynchronously and exactly once.
template<typename T>
void deliverLater(QObject *context, Callback<T> done, Result<T> result)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}
} // namespace

SecretStore::SecretStore(QObject *parent, const QString &service, const QString &indexPath)
    : QObject(parent)
    , m_service(service.isEmpty() ? ApplicationId : service)
    , m_indexPath(indexPath.isEmpty() ? defaultIndexPath() : indexPath)
{
}

SecretStore::~SecretStore() = default;

QString SecretStore::keyFor(const QString &registry, const QString &username)
{
    return normalisedRegistry(registry) + QLatin1Char(' ') + username;
}

QString SecretStore::normalisedRegistry(const QString &registry)
{
    auto parsed = Image::Reference::parseRegistry(registry);
    return parsed ? parsed.value().toLower() : registry.toLower();
}

bool SecretStore::isBackendUnavailable(const Error &error)
{
    return error.kind == Error::Kind::Unavailable && error.registryCode == NoBackendMarker;
}

QStringList SecretStore::registries() const
{
    QSettings index = openIndex(m_indexPath);
    index.beginGroup(IndexGroup);
    QStringList names = index.childKeys();
    names.sort();
    return names;
}

QString SecretStore::username(const QString &registry) const
{
    QSettings index = openIndex(m_indexPath);
    index.beginGroup(IndexGroup);
    return index.value(normalisedRegistry(registry)).toString();
}

void SecretStore::setIndex(const QString &registry, const QString &username)
{
    QSettings index = openIndex(m_indexPath);
    index.beginGroup(IndexGroup);
    if (username.isEmpty())
        index.remove(registry);
    else
        index.setValue(registry, username);
    index.endGroup();
    index.sync();
}

void SecretStore::read(const QString &registry, QObject *context, Callback<std::optional<Registry::Credential>> done)
{
    const QString name = normalisedRegistry(registry);
    const QString user = username(name);
    if (user.isEmpty())
        return deliverLater<std::optional<Registry::Credential>>(context, std::move(done), std::optional<Registry::Credential>());

    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(keyFor(name, user));
    connect(job, &QKeychain::Job::finished, context, [job, name, user, done](QKeychain::Job *) {
        if (job->error() == QKeychain::EntryNotFound) {
            qCDebug(lcSecrets).noquote() << "no keychain entry for" << name << "although the index lists" << user;
            return done(std::optional<Registry::Credential>());
        }
        if (job->error() != QKeychain::NoError)
            return done(keychainError(job, QStringLiteral("reading the credentials for %1 from the keychain").arg(name), name));
        const QJsonObject object = QJsonDocument::fromJson(job->binaryData()).object();
        Registry::Credential credential;
        credential.username = object.value(QLatin1String("username")).toString();
        credential.secret = object.value(QLatin1String("secret")).toString();
        credential.identityToken = object.value(QLatin1String("kind")).toString() == QLatin1String("identity-token");
        if (credential.secret.isEmpty()) {
            return done(Error::make(Error::Kind::InvalidContent,
                                    QStringLiteral("the keychain entry for %1 is not one Restack wrote").arg(name),
                                    QStringLiteral("run `restack logout %1` and `restack login %1` again").arg(name))
                            .at(name));
        }
        done(std::optional<Registry::Credential>(credential));
    });
    qCDebug(lcSecrets).noquote() << "reading" << name << "from the keychain";
    job->start();
}

void SecretStore::write(const QString &registry, const Registry::Credential &credential, QObject *context,
                        Callback<void> done)
{
    const QString name = normalisedRegistry(registry);
    const QString previous = username(name);
    QJsonObject object;
    object.insert(QLatin1String("username"), credential.username);
    object.insert(QLatin1String("secret"), credential.secret);
    object.insert(QLatin1String("kind"),
                  credential.identityToken ? QStringLiteral("identity-token") : QStringLiteral("password"));
    QByteArray payload = QJsonDocument(object).toJson(QJsonDocument::Compact);

    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(keyFor(name, credential.username));
    job->setBinaryData(payload);
    payload.fill('\0');
    QPointer<SecretStore> self(this);
    connect(job, &QKeychain::Job::finished, context, [self, job, name, previous, credential, done](QKeychain::Job *) {
        if (job->error() != QKeychain::NoError)
            return done(keychainError(job, QStringLiteral("saving the credentials for %1 in the keychain").arg(name), name));
        if (!self)
            return done(Result<void>());
        self->setIndex(name, credential.username);
        if (previous.isEmpty() || previous == credential.username)
            return done(Result<void>());
        // One user per registry: the entry of the user logged in before goes.
        auto *erase = new QKeychain::DeletePasswordJob(self->m_service, self);
        erase->setKey(keyFor(name, previous));
        connect(erase, &QKeychain::Job::finished, erase, [done](QKeychain::Job *) { done(Result<void>()); });
        erase->start();
    });
    qCDebug(lcSecrets).noquote() << "saving" << name << "in the keychain";
    job->start();
}

void SecretStore::remove(const QString &registry, QObject *context, Callback<void> done)
{
    const QString name = normalisedRegistry(registry);
    const QString user = username(name);
    if (user.isEmpty())
        return deliverLater<void>(context, std::move(done), Result<void>());

    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(keyFor(name, user));
    QPointer<SecretStore> self(this);
    connect(job, &QKeychain::Job::finished, context, [self, job, name, done](QKeychain::Job *) {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            return done(keychainError(job, QStringLiteral("removing the credentials for %1 from the keychain").arg(name), name));
        if (self)
            self->setIndex(name, QString());
        done(Result<void>());
    });
    qCDebug(lcSecrets).noquote() << "removing" << name << "from the keychain";
    job->start();
}

} // namespace Restack::Credentials
