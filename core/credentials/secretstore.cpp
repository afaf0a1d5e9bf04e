// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentials/secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPluginLoader>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "credentials/applicationid.h"
#include "credentials/keychainbackend.h"
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

Error keychainError(const KeychainReply &reply, const QString &operation, const QString &registry)
{
    Error error;
    error.registry = registry;
    KeychainReply::Code code = reply.code;
    if (code == KeychainReply::Code::Other && meansNoSecretService(reply.errorString))
        code = KeychainReply::Code::NoBackend;
    switch (code) {
    case KeychainReply::Code::NoBackend:
        error.kind = Error::Kind::Unavailable;
        error.registryCode = NoBackendMarker;
        error.message = QStringLiteral("%1: no keychain is available (%2)").arg(operation, reply.errorString);
        error.hint = QStringLiteral(
            "start a Secret Service provider in your session (gnome-keyring-daemon, KWallet or KeePassXC with "
            "Secret Service integration); on a headless machine run Restack inside `dbus-run-session` after "
            "`printf PASSWORD | gnome-keyring-daemon --unlock --components=secrets`. Until then credentials are not "
            "saved: pass --username and --password-stdin on each command");
        break;
    case KeychainReply::Code::NoPlugin:
        error.kind = Error::Kind::Unavailable;
        error.registryCode = NoBackendMarker;
        error.message = QStringLiteral("%1: %2").arg(operation, reply.errorString);
        error.hint = QStringLiteral("reinstall Restack: its package puts the plugin in lib/restack beside bin/. Until then "
                                    "credentials are not saved: pass --username and --password-stdin on each command");
        break;
    case KeychainReply::Code::AccessDenied:
        error.kind = Error::Kind::Unauthorized;
        error.message = QStringLiteral("%1: the keychain denied access (%2)").arg(operation, reply.errorString);
        error.hint = QStringLiteral("unlock the keychain (your login keyring) and allow Restack to use it, then retry");
        break;
    default:
        error.kind = Error::Kind::Internal;
        error.message = QStringLiteral("%1: the keychain failed: %2").arg(operation, reply.errorString);
        error.hint = QStringLiteral("check that the keychain service runs and is unlocked, then retry");
        break;
    }
    return error;
}

// Delivers from the event loop, so that every path (including the ones that need no keychain
// call, or find no plugin) completes asynchronously and exactly once.
template<typename Done, typename Value>
void deliverLater(QObject *context, Done done, Value value)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), value = std::move(value)]() mutable { done(std::move(value)); },
        Qt::QueuedConnection);
}

/**
 * The executable's directory, recorded when the QCoreApplication is constructed: later, Qt reads
 * /proc/self/exe again, which names nothing once a package upgrade replaced the running binary.
 */
QString &executableDirectory()
{
    static QString directory;
    return directory;
}

void recordExecutableDirectory()
{
    executableDirectory() = QCoreApplication::applicationDirPath();
}
Q_COREAPP_STARTUP_FUNCTION(recordExecutableDirectory)

/**
 * Whether the plugin file at @p path may be loaded: it and every directory above it belong to
 * root or to this user and nobody else can write to them (a root-owned sticky directory such as
 * /tmp excepted: others cannot replace what is in it). Otherwise anybody able to create, say,
 * /tmp/lib/restack/ would run code in a restack copied to /tmp/x/. Sets @p why when not.
 */
bool mayLoadFrom(const QString &path, QString *why)
{
#ifdef Q_OS_UNIX
    const QString real = QFileInfo(path).canonicalFilePath();
    if (real.isEmpty()) {
        *why = QStringLiteral("%1 does not exist").arg(path);
        return false;
    }
    const uid_t me = geteuid();
    bool isFile = true;
    for (QString p = real;; p = QFileInfo(p).path()) {
        struct stat st;
        if (::lstat(QFile::encodeName(p).constData(), &st) != 0) {
            *why = QStringLiteral("cannot check %1").arg(p);
            return false;
        }
        if (isFile && !S_ISREG(st.st_mode)) {
            *why = QStringLiteral("%1 is not a file").arg(p);
            return false;
        }
        if (st.st_uid != 0 && st.st_uid != me) {
            *why = QStringLiteral("%1 belongs to another user").arg(p);
            return false;
        }
        const bool stickyRootDirectory = !isFile && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) && st.st_uid == 0;
        const bool othersWrite = (st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid());
        if (othersWrite && !stickyRootDirectory) {
            *why = QStringLiteral("other users can write to %1").arg(p);
            return false;
        }
        isFile = false;
        if (p == QLatin1String("/"))
            return true;
    }
#else
    Q_UNUSED(path)
    Q_UNUSED(why)
    return true;
#endif
}

/** The plugin, loaded once per process; nullptr (and @p why) when it cannot be. */
KeychainBackend *loadBackend(QString *why)
{
    static QString failure;
    static KeychainBackend *const backend = [] () -> KeychainBackend * {
        const QString path = SecretStore::backendPath();
        if (path.isEmpty()) {
            const QString appDir = executableDirectory();
            failure = appDir.isEmpty()
                ? QStringLiteral("Restack's keychain plugin cannot be found (the executable's directory is unknown)")
                : QStringLiteral("Restack's keychain plugin is not installed (no %1)").arg(SecretStore::installedBackendPath(appDir));
            return nullptr;
        }
        QString unsafe;
        if (!mayLoadFrom(path, &unsafe)) {
            failure = QStringLiteral("Restack's keychain plugin %1 was not loaded: %2").arg(path, unsafe);
            return nullptr;
        }
        // Checked before any of its code runs: Qt reads a plugin's metadata without loading it.
        QPluginLoader loader(path);
        const QString iid = loader.metaData().value(QLatin1String("IID")).toString();
        if (iid != QLatin1String(RestackKeychainBackend_iid)) {
            failure = QStringLiteral("%1 is not Restack's keychain plugin (interface \"%2\", expected \"%3\")")
                          .arg(path, iid, QStringLiteral(RestackKeychainBackend_iid));
            return nullptr;
        }
        // Never unloaded: the instance lives as long as the process.
        auto *instance = qobject_cast<KeychainBackend *>(loader.instance());
        if (!instance)
            failure = QStringLiteral("Restack's keychain plugin %1 did not load: %2").arg(path, loader.errorString());
        else
            qCDebug(lcSecrets).noquote() << "keychain plugin loaded from" << path;
        return instance;
    }();
    if (!backend)
        *why = failure;
    return backend;
}

/** Runs @p operation on the plugin, or reports at once (from the event loop) that it is missing. */
void runOnBackend(KeychainBackend::Operation operation, const QString &service, const QString &key, const QByteArray &data,
                  QObject *context, std::function<void(const KeychainReply &)> done)
{
    QString why;
    if (KeychainBackend *backend = loadBackend(&why))
        return backend->run(operation, service, key, data, context, std::move(done));
    KeychainReply reply;
    reply.code = KeychainReply::Code::NoPlugin;
    reply.errorString = why;
    deliverLater(context, std::move(done), reply);
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
        return deliverLater(context, std::move(done), Result<std::optional<Registry::Credential>>(std::nullopt));

    qCDebug(lcSecrets).noquote() << "reading" << name << "from the keychain";
    runOnBackend(KeychainBackend::Operation::Read, m_service, keyFor(name, user), {}, context,
                 [name, user, done](const KeychainReply &reply) {
        if (reply.code == KeychainReply::Code::EntryNotFound) {
            qCDebug(lcSecrets).noquote() << "no keychain entry for" << name << "although the index lists" << user;
            return done(std::optional<Registry::Credential>());
        }
        if (reply.code != KeychainReply::Code::NoError)
            return done(keychainError(reply, QStringLiteral("reading the credentials for %1 from the keychain").arg(name), name));
        const QJsonObject object = QJsonDocument::fromJson(reply.data).object();
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
    const QByteArray payload = QJsonDocument(object).toJson(QJsonDocument::Compact);

    QPointer<SecretStore> self(this);
    qCDebug(lcSecrets).noquote() << "saving" << name << "in the keychain";
    // The callback keeps the username only, never the secret. (The secret's copies in this process,
    // qtkeychain's and libsecret's, are freed, not scrubbed, once the save is done.)
    runOnBackend(KeychainBackend::Operation::Write, m_service, keyFor(name, credential.username), payload, context,
                 [self, name, previous, username = credential.username, done](const KeychainReply &reply) {
        if (reply.code != KeychainReply::Code::NoError)
            return done(keychainError(reply, QStringLiteral("saving the credentials for %1 in the keychain").arg(name), name));
        if (!self)
            return done(Result<void>());
        self->setIndex(name, username);
        if (previous.isEmpty() || previous == username)
            return done(Result<void>());
        // One user per registry: the entry of the user logged in before goes (whatever the answer).
        runOnBackend(KeychainBackend::Operation::Remove, self->m_service, keyFor(name, previous), {}, self,
                     [done](const KeychainReply &) { done(Result<void>()); });
    });
}

void SecretStore::remove(const QString &registry, QObject *context, Callback<void> done)
{
    const QString name = normalisedRegistry(registry);
    const QString user = username(name);
    if (user.isEmpty())
        return deliverLater(context, std::move(done), Result<void>());

    QPointer<SecretStore> self(this);
    qCDebug(lcSecrets).noquote() << "removing" << name << "from the keychain";
    runOnBackend(KeychainBackend::Operation::Remove, m_service, keyFor(name, user), {}, context,
                 [self, name, done](const KeychainReply &reply) {
        if (reply.code != KeychainReply::Code::NoError && reply.code != KeychainReply::Code::EntryNotFound)
            return done(keychainError(reply, QStringLiteral("removing the credentials for %1 from the keychain").arg(name), name));
        if (self)
            self->setIndex(name, QString());
        done(Result<void>());
    });
}

QString SecretStore::installedBackendPath(const QString &executableDir)
{
    return QDir::cleanPath(executableDir + QLatin1Char('/') + QStringLiteral(RESTACK_KEYCHAIN_PLUGIN_INSTALLED));
}

QString SecretStore::backendPath()
{
    // Installed: at the same place relative to the executable as in the install tree.
    const QString appDir = executableDirectory();
    if (!appDir.isEmpty()) {
        const QString installed = installedBackendPath(appDir);
        if (QFileInfo::exists(installed))
            return installed;
    }
    // A program of the build tree (the executables and the tests) uses the build tree's plugin;
    // nothing outside the build tree ever looks there.
    const QString buildDir = QStringLiteral(RESTACK_BUILD_DIR);
    if (!appDir.isEmpty() && (appDir == buildDir || appDir.startsWith(buildDir + QLatin1Char('/')))
        && QFileInfo::exists(QStringLiteral(RESTACK_KEYCHAIN_PLUGIN_BUILT)))
        return QStringLiteral(RESTACK_KEYCHAIN_PLUGIN_BUILT);
    return {};
}

} // namespace Restack::Credentials
