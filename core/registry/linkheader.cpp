// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/linkheader.h"

#include <QStringList>

namespace Restack::Registry
{

bool Link::hasRel(const QString &rel) const
{
    const QStringList rels = params.value(QStringLiteral("rel")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &r : rels) {
        if (r.compare(rel, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QList<Link> parseLinkHeader(const QByteArray &header)
{
    QList<Link> links;
    const QString text = QString::fromUtf8(header);
    qsizetype pos = 0;
    const qsizetype n = text.size();
    auto isSpace = [](QChar c) { return c == QLatin1Char(' ') || c == QLatin1Char('\t'); };
    auto skipSpace = [&] {
        while (pos < n && isSpace(text.at(pos)))
            ++pos;
    };
    while (pos < n) {
        skipSpace();
        if (pos < n && text.at(pos) == QLatin1Char(',')) {
            ++pos;
            continue;
        }
        if (pos >= n)
            break;
        if (text.at(pos) != QLatin1Char('<')) {
            // Not a link: skip to the next comma outside quotes.
            bool inQuotes = false;
            while (pos < n && (inQuotes || text.at(pos) != QLatin1Char(','))) {
                if (text.at(pos) == QLatin1Char('"'))
                    inQuotes = !inQuotes;
                ++pos;
            }
            continue;
        }
        const qsizetype close = text.indexOf(QLatin1Char('>'), pos + 1);
        if (close < 0)
            break;
        Link link;
        link.target = text.mid(pos + 1, close - pos - 1).trimmed();
        pos = close + 1;
        // parameters: *( ";" name [ "=" ( token / quoted-string ) ] )
        while (true) {
            skipSpace();
            if (pos >= n || text.at(pos) != QLatin1Char(';'))
                break;
            ++pos;
            skipSpace();
            const qsizetype nameStart = pos;
            while (pos < n && text.at(pos) != QLatin1Char('=') && text.at(pos) != QLatin1Char(';')
                   && text.at(pos) != QLatin1Char(',') && !isSpace(text.at(pos)))
                ++pos;
            const QString name = text.mid(nameStart, pos - nameStart).toLower();
            skipSpace();
            QString value;
            if (pos < n && text.at(pos) == QLatin1Char('=')) {
                ++pos;
                skipSpace();
                if (pos < n && text.at(pos) == QLatin1Char('"')) {
                    ++pos;
                    while (pos < n && text.at(pos) != QLatin1Char('"')) {
                        if (text.at(pos) == QLatin1Char('\\') && pos + 1 < n)
                            ++pos;
                        value += text.at(pos);
                        ++pos;
                    }
                    ++pos; // closing quote
                } else {
                    const qsizetype valueStart = pos;
                    while (pos < n && text.at(pos) != QLatin1Char(';') && text.at(pos) != QLatin1Char(',')
                           && !isSpace(text.at(pos)))
                        ++pos;
                    value = text.mid(valueStart, pos - valueStart);
                }
            }
            if (!name.isEmpty() && !link.params.contains(name))
                link.params.insert(name, value);
        }
        links << link;
    }
    return links;
}

QUrl nextPageUrl(const QByteArray &header, const QUrl &requestUrl)
{
    for (const Link &link : parseLinkHeader(header)) {
        if (link.hasRel(QStringLiteral("next")) && !link.target.isEmpty())
            return requestUrl.resolved(QUrl::fromEncoded(link.target.toUtf8()));
    }
    return {};
}

} // namespace Restack::Registry
