// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "errortext.h"

#include <QCoreApplication>
#include <QStringList>

namespace Restack::Ui
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("Restack::Ui::ErrorText", text);
}

/** What to do, in the GUI's terms. Core's hints name CLI options (--insecure, -u): only kept where they do not. */
QString guiHint(const Error &error)
{
    using Kind = Error::Kind;
    const int status = error.httpStatus;
    if (error.kind == Kind::Tls)
        return tr("If you trust this registry, choose Registries › Edit and set its TLS mode to “Skip certificate "
                  "verification”; otherwise install its CA certificate in the system store.");
    if (error.kind == Kind::Network) {
        const QString text = error.message.toLower();
        if (text.contains(QLatin1String("refused")))
            return tr("Nothing answered at this address: check that the registry is running and that its host and "
                      "port are right (Registries › Edit), then press F5.");
        if (text.contains(QLatin1String("not found")) || text.contains(QLatin1String("host")))
            return tr("Check the registry's host name (Registries › Edit) and your network connection, then press F5.");
        return tr("Check your network connection and the registry's address, then press F5.");
    }
    if (error.kind == Kind::Timeout)
        return tr("The registry stopped sending data. Check the network or the registry, then press F5 to retry.");
    if (status == 401 || (error.kind == Kind::Unauthorized && status != 403))
        return tr("This registry wants credentials: choose Log In… and sign in (with “Remember” they are saved in "
                  "the OS keychain), then it is tried again.");
    if (status == 403)
        return tr("Your access does not allow this. Ask the registry's administrator for pull (and, to push, push) "
                  "rights on this repository.");
    if (status == 429)
        return tr("The registry is limiting how fast you may send requests: wait a minute, then press F5.");
    if (status >= 500)
        return tr("The registry itself failed. Press F5 to retry later, or tell its administrator.");
    if (error.hint.contains(QLatin1String("--")))
        return {};
    return error.hint;
}

} // namespace

bool offersLogin(const Error &error)
{
    return (error.kind == Error::Kind::Unauthorized && error.httpStatus != 403) || error.httpStatus == 401;
}

QString ErrorText::toPlainText() const
{
    QStringList lines{title};
    if (!where.isEmpty())
        lines << where;
    if (!answer.isEmpty())
        lines << answer;
    if (!hint.isEmpty())
        lines << hint;
    return lines.join(QLatin1Char('\n'));
}

ErrorText errorText(const Error &error, const QString &context)
{
    ErrorText text;
    QString message = error.message;
    if (!message.isEmpty())
        message[0] = message.at(0).toUpper();
    text.title = context.isEmpty() ? message : context + QStringLiteral(": ") + error.message;
    text.where = error.location();
    QStringList answer;
    if (error.httpStatus > 0)
        answer << tr("HTTP %1").arg(error.httpStatus);
    if (!error.registryCode.isEmpty())
        answer << error.registryCode;
    text.answer = answer.join(QStringLiteral(" · "));
    text.hint = guiHint(error);
    return text;
}

} // namespace Restack::Ui
