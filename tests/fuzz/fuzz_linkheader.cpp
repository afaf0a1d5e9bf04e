// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Link headers (RFC 8288) of paginated tag and catalog lists. Invariants:
//  - parameter names are lowercase and non-empty;
//  - the links printed back in canonical form ("<target>; name="value", ...") parse to the same links;
//  - nextPageUrl() finds a URL exactly when a link with rel "next" has a non-empty target, and resolving
//    against an absolute request URL gives a URL that is not relative.

#include <cstddef>
#include <cstdint>

#include <QStringList>

#include "fuzzsupport.h"
#include "registry/linkheader.h"

using Restack::Registry::Link;
using Restack::Registry::nextPageUrl;
using Restack::Registry::parseLinkHeader;

namespace
{
QByteArray print(const QList<Link> &links)
{
    QList<QByteArray> parts;
    for (const Link &link : links) {
        QByteArray part = '<' + link.target.toUtf8() + '>';
        for (auto it = link.params.cbegin(); it != link.params.cend(); ++it)
            part += "; " + it.key().toUtf8() + '=' + RestackFuzz::quotedString(it.value());
        parts << part;
    }
    return parts.join(", ");
}

QString describe(const QList<Link> &links)
{
    QStringList out;
    for (const Link &link : links) {
        QStringList params;
        for (auto it = link.params.cbegin(); it != link.params.cend(); ++it)
            params << it.key() + QStringLiteral("=<") + it.value() + QLatin1Char('>');
        out << QLatin1Char('<') + link.target + QStringLiteral("> {") + params.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    return out.join(QStringLiteral(" | "));
}

bool same(const QList<Link> &a, const QList<Link> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].target != b[i].target || a[i].params != b[i].params)
            return false;
    }
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray header = RestackFuzz::bytes(data, size);
    const QList<Link> links = parseLinkHeader(header);
    bool hasNext = false;
    for (const Link &link : links) {
        for (auto it = link.params.cbegin(); it != link.params.cend(); ++it)
            FUZZ_CHECK(!it.key().isEmpty() && it.key() == it.key().toLower(), describe(links));
        if (link.hasRel(QStringLiteral("next")) && !link.target.isEmpty())
            hasNext = true;
    }

    const QByteArray printed = print(links);
    const QList<Link> again = parseLinkHeader(printed);
    FUZZ_CHECK(same(links, again), QStringLiteral("parsed as %1; printed as %2, which parses as %3")
                                       .arg(describe(links), QString::fromUtf8(printed), describe(again)));

    static const QUrl requests[] = {
        QUrl(QStringLiteral("https://registry.example.com/v2/_catalog?n=100")),
        QUrl(QStringLiteral("http://127.0.0.1:5000/v2/team/app/tags/list?n=2&last=v1")),
        QUrl(QStringLiteral("http://[::1]:5000/v2/_catalog")),
    };
    for (const QUrl &request : requests) {
        const QUrl next = nextPageUrl(header, request);
        // A next link whose target QUrl cannot parse resolves to an invalid, empty URL: no next page.
        FUZZ_CHECK(next.isEmpty() || hasNext, QStringLiteral("next page %1 but no rel=next in %2")
                                                  .arg(next.toString(), describe(links)));
        if (!next.isEmpty())
            FUZZ_CHECK(!next.isRelative(), QStringLiteral("next page %1 is relative (%2)").arg(next.toString(), describe(links)));
    }
    return 0;
}
