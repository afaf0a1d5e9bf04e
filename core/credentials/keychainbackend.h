// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QtPlugin>

#include <functional>

namespace Restack::Credentials
{

/** What one keychain job reports: qtkeychain's QKeychain::Error, narrowed to what SecretStore tells apart. */
struct KeychainReply
{
    enum class Code {
        NoError,
        EntryNotFound,
        /** No keychain backend at all (qtkeychain's NoBackendAvailable). */
        NoBackend,
        /** The plugin itself is missing or does not load (SecretStore reports it; plugins never do). */
        NoPlugin,
        /** AccessDenied or AccessDeniedByUser. */
        AccessDenied,
        Other,
    };
    Code code = Code::NoError;
    /** The backend's own message (empty on NoError). */
    QString errorString;
    /** Read: the entry's bytes. Empty otherwise. */
    QByteArray data;
};

/**
 * The OS keychain, as the `restack_keychain` plugin implements it on qtkeychain. It lives in a
 * plugin so that only processes that read, save or remove credentials load qtkeychain and what
 * it pulls in (QtDBus, libdbus, libsecret's dependencies); SecretStore loads it on first use with
 * QPluginLoader (see SecretStore::backendPath()). The interface is header-only: nothing but this
 * vtable crosses the plugin boundary.
 */
class KeychainBackend
{
public:
    enum class Operation { Read, Write, Remove };

    virtual ~KeychainBackend() = default;

    /**
     * Starts one job on the entry @p key of @p service: Read returns its bytes, Write stores
     * @p data (binary, as is), Remove deletes it. Never plain-text fallback storage. @p done is
     * called exactly once, from the event loop, unless @p context is destroyed first.
     */
    virtual void run(Operation operation, const QString &service, const QString &key, const QByteArray &data,
                     QObject *context, std::function<void(const KeychainReply &)> done) = 0;
};

} // namespace Restack::Credentials

#define RestackKeychainBackend_iid "org.restack.Restack.KeychainBackend/1"
Q_DECLARE_INTERFACE(Restack::Credentials::KeychainBackend, RestackKeychainBackend_iid)
