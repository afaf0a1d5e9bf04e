// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace Restack::Registry
{

/**
 * One authentication challenge of a WWW-Authenticate header (RFC 9110 §11.6.1): a scheme
 * ("Bearer", "Basic", ...) with either auth-params or a token68. Parameter names are lowercased
 * (they are case-insensitive); values are unquoted and unescaped.
 */
struct Challenge
{
    QString scheme;                 ///< as sent; compare with isScheme()
    QMap<QString, QString> params;  ///< lowercase name -> value
    QString token68;

    bool isScheme(const char *name) const { return scheme.compare(QLatin1String(name), Qt::CaseInsensitive) == 0; }
    QString param(const char *name) const { return params.value(QLatin1String(name)); }
};

/**
 * Parses a WWW-Authenticate header value into its challenges: several challenges separated by
 * commas (as when a server sends several headers and they are joined), parameters in any order,
 * quoted values containing commas, '=' and escaped quotes. Malformed parts are skipped rather
 * than failing the whole header, since an unusable challenge just means "not that scheme".
 */
QList<Challenge> parseWwwAuthenticate(const QByteArray &header);

} // namespace Restack::Registry
