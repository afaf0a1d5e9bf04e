// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Restack::Registry::Scopes
{

/** A set of token scopes: resource ("repository:NAME", "registry:catalog") -> actions. */
using ScopeSet = QMap<QString, QSet<QString>>;

/** "repository:NAME:pull" (distribution token auth spec §"Requesting a Token": scope). */
QString pull(const QString &repository);
/** "repository:NAME:pull,push". */
QString pullPush(const QString &repository);
/** "registry:catalog:*". */
QString catalog();

/** Parses scope strings "TYPE:NAME:ACTION[,ACTION]" and merges them into @p into. */
void merge(ScopeSet &into, const QStringList &scopes);
void merge(ScopeSet &into, const ScopeSet &other);
ScopeSet parse(const QStringList &scopes);
/** True when every action of every resource in @p needed is in @p granted. */
bool covers(const ScopeSet &granted, const ScopeSet &needed);
/** The scope strings to send, one per resource with its actions sorted. */
QStringList toStrings(const ScopeSet &set);

} // namespace Restack::Registry::Scopes
