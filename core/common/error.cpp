// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"

#include <QStringList>

namespace Restack
{

Error Error::make(Kind kind, const QString &message, const QString &hint)
{
    Error e;
    e.kind = kind;
    e.message = message;
    e.hint = hint;
    return e;
}

Error &Error::at(const QString &registry_, const QString &repository_, const QString &reference_)
{
    if (registry.isEmpty())
        registry = registry_;
    if (repository.isEmpty())
        repository = repository_;
    if (reference.isEmpty())
        reference = reference_;
    return *this;
}

Error &Error::withHint(const QString &hint_)
{
    hint = hint_;
    return *this;
}

Error &Error::prefixed(const QString &context)
{
    message = context + QStringLiteral(": ") + message;
    return *this;
}

QString Error::location() const
{
    QString where = registry;
    if (!repository.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral("/")) + repository;
    if (!reference.isEmpty()) {
        const bool isDigest = reference.contains(QLatin1Char(':'));
        where += (isDigest ? QStringLiteral("@") : QStringLiteral(":")) + reference;
    }
    return where;
}

QString Error::toString() const
{
    QString text = message;
    const QString where = location();
    if (!where.isEmpty() && !message.contains(where))
        text += QStringLiteral(" [") + where + QStringLiteral("]");
    if (httpStatus > 0 || !registryCode.isEmpty()) {
        QStringList parts;
        if (httpStatus > 0)
            parts << QStringLiteral("HTTP %1").arg(httpStatus);
        if (!registryCode.isEmpty())
            parts << registryCode;
        text += QStringLiteral(" (") + parts.join(QStringLiteral(", ")) + QStringLiteral(")");
    }
    if (!hint.isEmpty())
        text += QStringLiteral("; ") + hint;
    return text;
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::InvalidInput: return QStringLiteral("invalid-input");
    case Kind::InvalidContent: return QStringLiteral("invalid-content");
    case Kind::Unsupported: return QStringLiteral("unsupported");
    case Kind::Network: return QStringLiteral("network");
    case Kind::Tls: return QStringLiteral("tls");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::Http: return QStringLiteral("http");
    case Kind::Unauthorized: return QStringLiteral("unauthorized");
    case Kind::NotFound: return QStringLiteral("not-found");
    case Kind::DigestMismatch: return QStringLiteral("digest-mismatch");
    case Kind::TooLarge: return QStringLiteral("too-large");
    case Kind::NotPrefix: return QStringLiteral("not-prefix");
    case Kind::PlatformMismatch: return QStringLiteral("platform-mismatch");
    case Kind::Unavailable: return QStringLiteral("unavailable");
    case Kind::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace Restack
