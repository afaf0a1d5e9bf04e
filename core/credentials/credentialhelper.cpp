// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentials/credentialhelper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcHelper, "restack.credentials.helper", QtWarningMsg)

namespace Restack::Credentials
{

namespace
{
constexpr qint64 MaxHelperOutputBytes = 1024 * 1024;

// The helpers' own not-found message (credentials.ErrCredentialsNotFound), as the Docker CLI
// recognises it.
bool isNotFound(const QByteArray &output)
{
    return output.trimmed().toLower().contains("credentials not found");
}
} // namespace

QString credentialHelperProgram(const QString &helper)
{
    return QStringLiteral("docker-credential-") + helper;
}

void runCredentialHelper(const QString &helper, const QString &serverAddress, const QProcessEnvironment &environment,
                         QObject *context, Callback<std::optional<Registry::Credential>> done, int timeoutMs)
{
    const QString program = credentialHelperProgram(helper);
    const QString path = QStandardPaths::findExecutable(program, environment.value(QStringLiteral("PATH"))
                                                                     .split(QLatin1Char(':'), Qt::SkipEmptyParts));
    if (path.isEmpty()) {
        Error error = Error::make(Error::Kind::Unavailable,
                                  QStringLiteral("the credential helper %1 for %2 is not on PATH").arg(program, serverAddress),
                                  QStringLiteral("install %1, or remove the helper from your Docker config (credHelpers or "
                                                 "credsStore)")
                                      .arg(program));
        QMetaObject::invokeMethod(context, [done, error] { done(error); }, Qt::QueuedConnection);
        return;
    }

    auto *process = new QProcess(context);
    process->setProcessEnvironment(environment);
    process->setProgram(path);
    process->setArguments({QStringLiteral("get")});
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    auto finished = std::make_shared<bool>(false);
    const auto finish = [process, finished, done](Result<std::optional<Registry::Credential>> result) {
        if (*finished)
            return;
        *finished = true;
        process->disconnect();
        process->deleteLater();
        done(std::move(result));
    };
    QObject::connect(timer, &QTimer::timeout, process, [process, program, timeoutMs, finish] {
        process->kill();
        finish(Error::make(Error::Kind::Timeout,
                           QStringLiteral("the credential helper %1 did not answer within %2 s").arg(program).arg(timeoutMs / 1000),
                           QStringLiteral("it may be waiting for a locked keychain or a prompt: unlock it, or run `%1 get` "
                                          "by hand to see what it needs")
                               .arg(program)));
    });
    QObject::connect(process, &QProcess::errorOccurred, process, [process, program, finish](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(Error::make(Error::Kind::Unavailable,
                               QStringLiteral("cannot run the credential helper %1: %2").arg(program, process->errorString()),
                               QStringLiteral("check that %1 is installed and executable").arg(program)));
    });
    QObject::connect(process, &QProcess::finished, process,
                     [process, program, serverAddress, finish](int exitCode, QProcess::ExitStatus status) {
                         const QByteArray output = process->read(MaxHelperOutputBytes);
                         const QByteArray errors = process->readAllStandardError().left(4096);
                         if (status != QProcess::NormalExit || exitCode != 0) {
                             if (status == QProcess::NormalExit && (isNotFound(output) || isNotFound(errors))) {
                                 qCDebug(lcHelper).noquote() << program << "has no credentials for" << serverAddress;
                                 return finish(std::optional<Registry::Credential>());
                             }
                             // The helper's message, never its output: that could hold a secret.
                             const QString message = QString::fromUtf8(errors.isEmpty() ? output.left(200) : errors).trimmed();
                             return finish(Error::make(Error::Kind::Internal,
                                                       QStringLiteral("the credential helper %1 failed for %2 (exit status %3)%4")
                                                           .arg(program, serverAddress)
                                                           .arg(exitCode)
                                                           .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message),
                                                       QStringLiteral("run `echo %1 | %2 get` to see the problem").arg(serverAddress, program)));
                         }
                         const QJsonObject object = QJsonDocument::fromJson(output).object();
                         Registry::Credential credential;
                         credential.username = object.value(QLatin1String("Username")).toString();
                         credential.secret = object.value(QLatin1String("Secret")).toString();
                         if (credential.secret.isEmpty()) {
                             return finish(Error::make(Error::Kind::Internal,
                                                       QStringLiteral("the credential helper %1 answered for %2 without a Secret")
                                                           .arg(program, serverAddress),
                                                       QStringLiteral("check the helper; `%1 list` shows what it stores").arg(program)));
                         }
                         if (credential.username == QLatin1String("<token>")) {
                             credential.username.clear();
                             credential.identityToken = true;
                         }
                         qCDebug(lcHelper).noquote() << program << "gave a credential for" << serverAddress;
                         finish(std::optional<Registry::Credential>(credential));
                     });
    qCDebug(lcHelper).noquote() << "asking" << program << "for" << serverAddress;
    timer->start(timeoutMs);
    process->start(QIODevice::ReadWrite);
    process->write(serverAddress.toUtf8());
    process->closeWriteChannel();
}

} // namespace Restack::Credentials
