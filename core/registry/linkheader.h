// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

namespace Restack::Registry
{

/** One link of an HTTP Link header (RFC 8288): a target URI reference and its parameters. */
struct Link
{
    QString target;                 ///< as written between '<' and '>', unresolved
    QMap<QString, QString> params;  ///< lowercase name -> value ("rel" -> "next")

    /** True when the space-separated rel values include @p rel (case-insensitively). */
    bool hasRel(const QString &rel) const;
};

/** Parses a Link header value: several comma-separated links, quoted or bare parameter values. */
QList<Link> parseLinkHeader(const QByteArray &header);

/**
 * The rel="next" target of @p header resolved against @p requestUrl (distribution spec
 * §"Listing Tags" / catalog pagination), or an empty URL when there is none. The target is
 * treated as opaque: its query (n, last or any other token) is kept as sent, up to the
 * normalisation QUrl applies to every URL (percent-escapes of unreserved characters decoded,
 * hex digits uppercased), which does not change what the URL means.
 */
QUrl nextPageUrl(const QByteArray &header, const QUrl &requestUrl);

} // namespace Restack::Registry
