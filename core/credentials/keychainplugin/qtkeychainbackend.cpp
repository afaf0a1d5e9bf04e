// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// The `restack_keychain` plugin: KeychainBackend on qtkeychain (Secret Service on Linux, Keychain
// on macOS, Credential Manager on Windows). Loaded by SecretStore on first use.

#include <QObject>

#include <qt6keychain/keychain.h>

#include "credentials/keychainbackend.h"

namespace Restack::Credentials
{

class QtKeychainBackend final : public QObject, public KeychainBackend
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID RestackKeychainBackend_iid)
    Q_INTERFACES(Restack::Credentials::KeychainBackend)

public:
    void run(Operation operation, const QString &service, const QString &key, const QByteArray &data, QObject *context,
             std::function<void(const KeychainReply &)> done) override
    {
        QKeychain::Job *job = nullptr;
        switch (operation) {
        case Operation::Read:
            job = new QKeychain::ReadPasswordJob(service, this);
            break;
        case Operation::Write: {
            auto *write = new QKeychain::WritePasswordJob(service, this);
            write->setBinaryData(data);
            job = write;
            break;
        }
        case Operation::Remove:
            job = new QKeychain::DeletePasswordJob(service, this);
            break;
        }
        job->setInsecureFallback(false);
        job->setAutoDelete(true);
        job->setKey(key);
        connect(job, &QKeychain::Job::finished, context, [operation, done = std::move(done)](QKeychain::Job *finished) {
            KeychainReply reply;
            reply.code = code(finished->error());
            if (reply.code != KeychainReply::Code::NoError)
                reply.errorString = finished->errorString();
            else if (operation == Operation::Read)
                reply.data = static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData();
            done(reply);
        });
        job->start();
    }

private:
    static KeychainReply::Code code(QKeychain::Error error)
    {
        switch (error) {
        case QKeychain::NoError:
            return KeychainReply::Code::NoError;
        case QKeychain::EntryNotFound:
            return KeychainReply::Code::EntryNotFound;
        case QKeychain::NoBackendAvailable:
            return KeychainReply::Code::NoBackend;
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            return KeychainReply::Code::AccessDenied;
        default:
            return KeychainReply::Code::Other;
        }
    }
};

} // namespace Restack::Credentials

#include "qtkeychainbackend.moc"
