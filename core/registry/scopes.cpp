// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/scopes.h"

namespace Restack::Registry::Scopes
{

QString pull(const QString &repository)
{
    return QStringLiteral("repository:%1:pull").arg(repository);
}

QString pullPush(const QString &repository)
{
    return QStringLiteral("repository:%1:pull,push").arg(repository);
}

QString catalog()
{
    return QStringLiteral("registry:catalog:*");
}

void merge(ScopeSet &into, const QStringList &scopes)
{
    for (const QString &scope : scopes) {
        // Repository names never contain ':', but registry host names in some scopes might: the
        // actions are after the last ':'.
        const qsizetype last = scope.lastIndexOf(QLatin1Char(':'));
        if (last <= 0)
            continue;
        const QString resource = scope.left(last);
        const QStringList actions = scope.mid(last + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
        QSet<QString> &set = into[resource];
        for (const QString &action : actions)
            set.insert(action.trimmed());
    }
}

void merge(ScopeSet &into, const ScopeSet &other)
{
    for (auto it = other.cbegin(); it != other.cend(); ++it)
        into[it.key()].unite(it.value());
}

ScopeSet parse(const QStringList &scopes)
{
    ScopeSet set;
    merge(set, scopes);
    return set;
}

bool covers(const ScopeSet &granted, const ScopeSet &needed)
{
    for (auto it = needed.cbegin(); it != needed.cend(); ++it) {
        const auto found = granted.constFind(it.key());
        if (found == granted.cend())
            return false;
        if (found->contains(QStringLiteral("*")))
            continue;
        for (const QString &action : it.value()) {
            if (!found->contains(action))
                return false;
        }
    }
    return true;
}

QStringList toStrings(const ScopeSet &set)
{
    QStringList list;
    for (auto it = set.cbegin(); it != set.cend(); ++it) {
        QStringList actions = it.value().values();
        actions.sort();
        list << it.key() + QLatin1Char(':') + actions.join(QLatin1Char(','));
    }
    return list;
}

} // namespace Restack::Registry::Scopes
