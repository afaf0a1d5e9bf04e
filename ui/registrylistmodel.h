// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QString>

class QSettings;

namespace Restack::Ui
{

/** How to talk to a registry. Never a secret: credentials are not kept here. */
enum class TlsMode {
    Verify,     ///< HTTPS with certificate verification (loopback registries may still answer over plain HTTP)
    SkipVerify, ///< HTTPS without certificate verification (self-signed registries)
    PlainHttp,  ///< plain HTTP allowed
};

/** One registry of the list: a display name, its address "host[:port]" and its TLS mode. */
struct RegistryEntry
{
    QString name;    ///< as the user calls it; the address when left empty
    QString address; ///< "host[:port]", as Reference::parseRegistry() normalises it
    TlsMode tlsMode = TlsMode::Verify;
    bool saved = true; ///< false for a registry opened from a reference for this session only

    QString displayName() const { return name.isEmpty() ? address : name; }
    friend bool operator==(const RegistryEntry &, const RegistryEntry &) = default;
};

/** Which credentials restack-gui holds for a registry. Never the secret itself. */
enum class CredentialState {
    None,    ///< none of its own (anonymous, or whatever Docker's or Podman's auth files say)
    Session, ///< logged in for this session only (kept in memory)
    Saved,   ///< saved in the OS keychain (listed by SecretStore::registries())
};

/** "verify", "skip-verify", "plain-http": the TLS mode as stored in the settings. */
QString tlsModeKey(TlsMode mode);
/** The user-facing name of @p mode ("Verify certificates", ...). */
QString tlsModeName(TlsMode mode);

/**
 * The list of registries the user works with, as a list model (display name; the address and TLS
 * mode in the tooltip and in AddressRole / TlsModeRole). Saved entries are kept in QSettings
 * under "registries" (name, address, tls; never a secret) by save(); entries added with
 * saved = false (a reference opened from the command line) live for the session only.
 *
 * Registries the user logged in to carry a key icon, and their tooltip and CredentialStateRole /
 * CredentialUserRole say whether the credentials are saved in the keychain or held for this
 * session, and for which user (setCredentialState(), kept by Session; never written to settings).
 */
class RegistryListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RegistryListModel)

public:
    enum Role {
        AddressRole = Qt::UserRole + 1, ///< QString "host[:port]"
        TlsModeRole,                    ///< int(TlsMode)
        SavedRole,                      ///< bool
        CredentialStateRole,            ///< int(CredentialState)
        CredentialUserRole,             ///< QString username of the credentials held, empty when none
    };

    explicit RegistryListModel(QObject *parent = nullptr);
    ~RegistryListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /** Replaces the list with the saved registries in @p settings (entries with an invalid address are skipped). */
    void load(QSettings &settings);
    /** Writes the saved entries to @p settings (transient ones are left out). */
    void save(QSettings &settings) const;

    const QList<RegistryEntry> &entries() const { return m_entries; }
    RegistryEntry entry(int row) const { return m_entries.value(row); }
    /** The row of the registry at @p address, or -1. */
    int rowOf(const QString &address) const;

    /** Appends @p entry, or replaces the entry with the same address; returns its row. */
    int addRegistry(const RegistryEntry &entry);
    /** Replaces the entry at @p row (its address may change). */
    void setRegistry(int row, const RegistryEntry &entry);
    void removeRegistry(int row);

    /**
     * Records which credentials are held for @p address (compared as SecretStore normalises
     * registries: lowercased, Docker Hub's aliases as "docker.io"), whether or not it is listed.
     */
    void setCredentialState(const QString &address, CredentialState state, const QString &username = {});
    CredentialState credentialState(const QString &address) const;
    QString credentialUser(const QString &address) const;

Q_SIGNALS:
    /** An entry was added, changed or removed (for saving and for the client's TLS settings). */
    void registriesChanged();

private:
    struct Held
    {
        CredentialState state = CredentialState::None;
        QString username;
    };

    QList<RegistryEntry> m_entries;
    QHash<QString, Held> m_credentials; ///< by normalised registry
};

} // namespace Restack::Ui
