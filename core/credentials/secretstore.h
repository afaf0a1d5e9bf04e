// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

#include "common/result.h"
#include "registry/client.h"

namespace Restack::Credentials
{

/**
 * Registry credentials in the operating system's keychain (Secret Service on Linux, Keychain on
 * macOS, Credential Manager on Windows) through qtkeychain, asynchronously.
 *
 * One entry per registry and user: service ApplicationId, key "REGISTRY USER" (the registry as
 * host[:port], Docker Hub as "docker.io"), value a small JSON object {"username", "secret",
 * "kind"} stored as binary data (well under the 2.5 KiB Windows limit for ordinary tokens). The
 * secret never goes anywhere else: no insecure plain-text fallback, no QSettings, no log.
 *
 * Beside the keychain, a non-secret index in QSettings (INI file "restack/credentials.conf" in
 * the user's configuration directory, section "registries": registry -> username) lists the
 * registries with saved credentials, so that they can be listed and read without enumerating the
 * keychain, and so that registries without saved credentials never touch it.
 *
 * The keychain is reached through the `restack_keychain` plugin (KeychainBackend on qtkeychain),
 * loaded on the first read, write or remove that needs it: a process that never touches saved
 * credentials never loads qtkeychain, QtDBus and libdbus.
 *
 * Every call delivers exactly one result to @p done, from the event loop, unless @p context was
 * destroyed first. Errors: Kind::Unavailable when no keychain backend runs (no Secret Service on
 * the D-Bus session bus, or the plugin is missing), with the concrete fix in the hint (isBackendUnavailable() tells);
 * Kind::Unauthorized when the user denied access; Kind::Internal for anything else the backend
 * reports.
 */
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    /**
     * @p service is the keychain service name (ApplicationId unless a test isolates itself);
     * @p indexPath the index file (empty: the default per-user path described above).
     */
    explicit SecretStore(QObject *parent = nullptr, const QString &service = {}, const QString &indexPath = {});
    ~SecretStore() override;

    /** The keychain key of @p registry's entry for @p username: "REGISTRY USER". */
    static QString keyFor(const QString &registry, const QString &username);
    /** Registry names as stored: Docker Hub's aliases become "docker.io", hosts are lowercased. */
    static QString normalisedRegistry(const QString &registry);
    /** True for the error reported when no keychain backend is available. */
    static bool isBackendUnavailable(const Error &error);
    /**
     * The keychain plugin's file: where the install tree puts it relative to the executable
     * (lib/restack beside bin/), else, for a program inside the build tree, the build tree's.
     * Empty when neither exists. (It is loaded only if it and the directories above it belong to
     * root or this user and nobody else can write to them, and only if its metadata names
     * KeychainBackend's interface.)
     */
    static QString backendPath();
    /** Where the install tree puts the keychain plugin for an executable in @p executableDir. */
    static QString installedBackendPath(const QString &executableDir);

    /** The index file's path. */
    QString indexPath() const { return m_indexPath; }
    /** Registries with saved credentials (from the index; no keychain access), sorted. */
    QStringList registries() const;
    /** The username saved for @p registry, empty when none (from the index). */
    QString username(const QString &registry) const;

    /**
     * Reads @p registry's credential: nullopt when the index lists no credential for it (the
     * keychain is then not asked) or the keychain has no entry any more.
     */
    void read(const QString &registry, QObject *context, Callback<std::optional<Registry::Credential>> done);
    /** Saves @p credential for @p registry (replacing the previous user's entry) and indexes it. */
    void write(const QString &registry, const Registry::Credential &credential, QObject *context, Callback<void> done);
    /** Removes @p registry's entry and its index line; removing what is not there succeeds. */
    void remove(const QString &registry, QObject *context, Callback<void> done);

private:
    void setIndex(const QString &registry, const QString &username);

    QString m_service;
    QString m_indexPath;
};

} // namespace Restack::Credentials
