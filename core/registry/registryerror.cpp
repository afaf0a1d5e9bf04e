// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/registryerror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "registry/task.h"
#include "registry/wwwauthenticate.h"

namespace Restack::Registry
{

namespace
{
QString hintFor(int status, const QString &code, const QString &registry, const QString &repository)
{
    if (code == QLatin1String("MANIFEST_UNKNOWN"))
        return QStringLiteral("check the tag or digest; `restack tags %1/%2` lists the tags").arg(registry, repository);
    if (code == QLatin1String("NAME_UNKNOWN"))
        return QStringLiteral("check the repository name; `restack catalog %1` lists repositories").arg(registry);
    if (code == QLatin1String("BLOB_UNKNOWN") || code == QLatin1String("MANIFEST_BLOB_UNKNOWN"))
        return QStringLiteral("the registry lacks a blob the image refers to; push the image again");
    if (code == QLatin1String("DENIED") || status == 403)
        return QStringLiteral("your account lacks permission for this repository; check its access rights");
    if (code == QLatin1String("UNAUTHORIZED") || status == 401)
        return QStringLiteral("log in with `restack login %1` (or pass --username and --password-stdin), or check that the "
                              "credentials are right")
            .arg(registry);
    if (code == QLatin1String("TOOMANYREQUESTS") || status == 429)
        return QStringLiteral("the registry is rate-limiting: wait a while and retry");
    if (code == QLatin1String("UNSUPPORTED"))
        return QStringLiteral("this registry does not support the operation");
    if (code == QLatin1String("MANIFEST_INVALID") || code == QLatin1String("MANIFEST_UNVERIFIED"))
        return QStringLiteral("the registry rejected the manifest; it may not accept this media type or layer URLs");
    if (status == 404)
        return QStringLiteral("check the repository and reference");
    if (status >= 500)
        return QStringLiteral("the registry failed internally; retry later");
    return {};
}
} // namespace

bool isTransient(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Timeout:
    case Error::Kind::DigestMismatch:
        return true;
    case Error::Kind::Http:
        return error.httpStatus == 429 || error.httpStatus >= 500;
    case Error::Kind::NotFound:
        return error.registryCode == QLatin1String("BLOB_UPLOAD_UNKNOWN");
    default:
        return false;
    }
}

Error errorFromResponse(const Response &response, const QString &operation, const QString &registry,
                        const QString &repository, const QString &reference)
{
    Error error;
    error.httpStatus = response.status;
    error.registry = registry;
    error.repository = repository;
    error.reference = reference;

    QStringList messages;
    const QJsonDocument document = QJsonDocument::fromJson(response.body);
    const QJsonArray errors = document.object().value(QLatin1String("errors")).toArray();
    for (const QJsonValue &value : errors) {
        const QJsonObject object = value.toObject();
        const QString code = object.value(QLatin1String("code")).toString();
        if (error.registryCode.isEmpty())
            error.registryCode = code;
        const QString message = object.value(QLatin1String("message")).toString();
        if (!message.isEmpty() && !messages.contains(message))
            messages << message;
    }
    bool insufficientScope = false;
    QString refusedScope;
    if (response.status == 401) {
        // A bearer challenge may say why in its error parameter (RFC 6750 §3.1).
        for (const Challenge &c : parseWwwAuthenticate(response.header("WWW-Authenticate"))) {
            if (c.param("error") == QLatin1String("insufficient_scope")) {
                insufficientScope = true;
                refusedScope = c.param("scope");
            }
            if (!c.param("error").isEmpty() && error.registryCode.isEmpty()) {
                error.registryCode = c.param("error").toUpper();
                if (!c.param("error_description").isEmpty())
                    messages << c.param("error_description");
            }
        }
    }
    if (insufficientScope) {
        // The credentials were accepted, but the token server did not grant what this request
        // needs: say which access is missing rather than "authentication required".
        QStringList missing;
        for (const QString &scope : refusedScope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QStringList parts = scope.split(QLatin1Char(':'));
            if (parts.size() == 3)
                missing << QStringLiteral("%1 access to %2").arg(parts.at(2).split(QLatin1Char(',')).join(QStringLiteral(" and ")), parts.at(1));
            else
                missing << scope;
        }
        error.kind = Error::Kind::Unauthorized;
        error.registryCode = QStringLiteral("INSUFFICIENT_SCOPE");
        error.message = operation + QStringLiteral(" failed: it needs ")
            + (missing.isEmpty() ? QStringLiteral("more access") : missing.join(QStringLiteral(", ")))
            + QStringLiteral(", which the registry did not grant (to the credentials used, or to anonymous access)");
        error.hint = QStringLiteral("the account may not do this on %1: ask the registry's administrator for that access, "
                                    "or log in as a user who has it (`restack login %2`)")
                         .arg(repository.isEmpty() ? registry : repository, registry);
        return error;
    }

    switch (response.status) {
    case 401:
    case 403:
        error.kind = Error::Kind::Unauthorized;
        break;
    case 404:
        error.kind = Error::Kind::NotFound;
        break;
    default:
        error.kind = Error::Kind::Http;
        break;
    }
    QString statusText;
    switch (response.status) {
    case 400: statusText = QStringLiteral("bad request"); break;
    case 401: statusText = QStringLiteral("authentication required"); break;
    case 403: statusText = QStringLiteral("access denied"); break;
    case 404: statusText = QStringLiteral("not found"); break;
    case 405: statusText = QStringLiteral("operation not supported by this registry"); break;
    case 429: statusText = QStringLiteral("too many requests"); break;
    default:
        statusText = response.status >= 500 ? QStringLiteral("registry error") : QStringLiteral("request failed");
    }
    error.message = operation + QStringLiteral(" failed: ")
        + (messages.isEmpty() ? statusText : messages.join(QStringLiteral("; ")))
        + (response.attempts > 1 ? QStringLiteral(" (after %1 attempts)").arg(response.attempts) : QString());
    error.hint = hintFor(response.status, error.registryCode, registry, repository);
    error.retried = response.retried;
    return error;
}

Error interruptedTagPut(const Image::Reference &target, const QString &what, const Error &failure, const QString &context)
{
    QString message = QStringLiteral("cancelled while the %1 PUT to %2 was in flight, and that PUT then failed (%3): the "
                                     "registry may have stored it")
                          .arg(what, target.toString(), failure.message);
    if (!context.isEmpty())
        message += QStringLiteral("; ") + context;
    return Error::make(Error::Kind::Cancelled, message,
                       QStringLiteral("check the tag with `restack inspect %1`").arg(target.toString()))
        .at(target.registry(), target.repository(), target.identifier());
}

} // namespace Restack::Registry
