// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// WWW-Authenticate headers (RFC 9110 §11.6.1) as a registry or a hostile server may send them. Invariants:
//  - every challenge has a non-empty token as scheme and lowercase, non-empty parameter names;
//  - the challenges printed back in canonical form ("scheme token68, name="value", ...") parse to the
//    same challenges: the parser does not depend on the quirks it tolerates.

#include <cstddef>
#include <cstdint>

#include <QStringList>

#include "fuzzsupport.h"
#include "registry/wwwauthenticate.h"

using Restack::Registry::Challenge;
using Restack::Registry::parseWwwAuthenticate;

namespace
{
bool isToken(const QString &text)
{
    static const QString extra = QStringLiteral("!#$%&'*+-.^_`|~");
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c.unicode() > 127 || !(c.isLetterOrNumber() || extra.contains(c)))
            return false;
    }
    return true;
}

QByteArray print(const QList<Challenge> &challenges)
{
    QList<QByteArray> parts;
    for (const Challenge &c : challenges) {
        QByteArray part = c.scheme.toLatin1();
        if (!c.token68.isEmpty())
            part += ' ' + c.token68.toLatin1();
        bool first = c.token68.isEmpty();
        for (auto it = c.params.cbegin(); it != c.params.cend(); ++it) {
            part += first ? " " : ", ";
            part += it.key().toLatin1() + '=' + RestackFuzz::quotedString(it.value());
            first = false;
        }
        parts << part;
    }
    return parts.join(", ");
}

QString describe(const QList<Challenge> &challenges)
{
    QStringList out;
    for (const Challenge &c : challenges) {
        QStringList params;
        for (auto it = c.params.cbegin(); it != c.params.cend(); ++it)
            params << it.key() + QStringLiteral("=<") + it.value() + QLatin1Char('>');
        out << c.scheme + QStringLiteral(" [") + c.token68 + QStringLiteral("] {") + params.join(QStringLiteral(", "))
                + QLatin1Char('}');
    }
    return out.join(QStringLiteral(" | "));
}

bool same(const QList<Challenge> &a, const QList<Challenge> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].scheme != b[i].scheme || a[i].token68 != b[i].token68 || a[i].params != b[i].params)
            return false;
    }
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray header = RestackFuzz::bytes(data, size);
    const QList<Challenge> challenges = parseWwwAuthenticate(header);
    for (const Challenge &c : challenges) {
        FUZZ_CHECK(isToken(c.scheme), describe(challenges));
        for (auto it = c.params.cbegin(); it != c.params.cend(); ++it)
            FUZZ_CHECK(isToken(it.key()) && it.key() == it.key().toLower(), describe(challenges));
        (void)c.isScheme("Bearer");
        (void)c.param("realm");
    }

    const QByteArray printed = print(challenges);
    const QList<Challenge> again = parseWwwAuthenticate(printed);
    FUZZ_CHECK(same(challenges, again), QStringLiteral("parsed as %1; printed as %2, which parses as %3")
                                            .arg(describe(challenges), QString::fromUtf8(printed), describe(again)));
    return 0;
}
