// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

#include "registry/client.h"

class QNetworkAccessManager;

namespace Restack::Ui
{

class RegistryListModel;

/**
 * What the windows of one application instance share: the registry client (over a
 * QNetworkAccessManager given by the caller, so that tests choose its proxy) and the registry
 * list, whose TLS modes it applies to the client (skip verification and plain HTTP both make a
 * registry insecure for the client; loopback registries are reached over plain HTTP anyway).
 *
 * Credentials: the client accepts them per registry (setCredential()); the GUI does not collect
 * or store any yet. A sign-in dialog backed by the system keychain plugs in here.
 */
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    Session(QNetworkAccessManager *network, Registry::ClientOptions options, QObject *parent = nullptr);
    ~Session() override;

    Registry::Client *client() const { return m_client; }
    RegistryListModel *registries() const { return m_registries; }

    /** The seam for credentials: uses @p credential for @p registry from now on (kept in memory only). */
    void setCredential(const QString &registry, const Registry::Credential &credential);

private:
    void applyTlsModes();

    Registry::Client *m_client;
    RegistryListModel *m_registries;
    QSet<QString> m_insecure;
};

} // namespace Restack::Ui
