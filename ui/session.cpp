// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include "registrylistmodel.h"

namespace Restack::Ui
{

Session::Session(QNetworkAccessManager *network, Registry::ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_client(new Registry::Client(network, options, this))
    , m_registries(new RegistryListModel(this))
{
    connect(m_registries, &RegistryListModel::registriesChanged, this, &Session::applyTlsModes);
}

Session::~Session() = default;

void Session::setCredential(const QString &registry, const Registry::Credential &credential)
{
    m_client->setCredential(registry, credential);
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
