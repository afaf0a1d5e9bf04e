// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/pagedlist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "registry/client.h"
#include "registry/linkheader.h"
#include "registry/registryerror.h"
#include "registry/scopes.h"

namespace Restack::Registry
{

namespace
{
constexpr int MaxPages = 100'000;

// Replaces (or removes, for n <= 0) the n= parameter of a page URL, keeping the rest verbatim.
QUrl withPageSize(const QUrl &url, int n)
{
    QUrl result = url;
    QStringList kept;
    const QString query = url.query(QUrl::FullyEncoded);
    for (const QString &item : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        if (!item.startsWith(QLatin1String("n=")))
            kept << item;
    }
    if (n > 0)
        kept << QStringLiteral("n=%1").arg(n);
    result.setQuery(kept.join(QLatin1Char('&')), QUrl::StrictMode);
    return result;
}
} // namespace

PagedListTask::PagedListTask(Client *client, QString registry, QString repository, Callback<QStringList> done,
                             std::function<void(const QStringList &)> page, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_registry(std::move(registry))
    , m_repository(std::move(repository))
    , m_page(std::move(page))
{
    const int configured = m_client->options().pageSize;
    for (int n : {configured, 100, 0}) {
        if (n <= configured && !m_pageSizes.contains(n))
            m_pageSizes << n;
    }
}

QUrl PagedListTask::firstPageUrl() const
{
    QUrl url = m_client->baseUrl(m_registry);
    url.setPath(m_repository.isEmpty() ? QStringLiteral("/v2/_catalog")
                                       : QStringLiteral("/v2/%1/tags/list").arg(m_repository));
    return withPageSize(url, m_pageSizes.first());
}

void PagedListTask::start()
{
    // The first request goes by path, so that the registry's scheme can still be probed.
    fetch(QUrl());
}

void PagedListTask::fetch(const QUrl &url)
{
    Request request;
    request.registry = m_registry;
    if (url.isValid()) {
        request.url = url;
    } else {
        const QUrl first = firstPageUrl();
        request.path = first.path() + (first.hasQuery() ? QLatin1Char('?') + first.query(QUrl::FullyEncoded) : QString());
    }
    request.scopes = {m_repository.isEmpty() ? Scopes::catalog() : Scopes::pull(m_repository)};
    request.kind = m_repository.isEmpty() ? QStringLiteral("catalog GET") : QStringLiteral("tags GET");
    request.maxBodyBytes = 64 * 1024 * 1024;
    const QString what = m_repository.isEmpty() ? QStringLiteral("GET catalog of %1").arg(m_registry)
                                                : QStringLiteral("GET tags of %1/%2").arg(m_registry, m_repository);
    m_current = m_client->call(request, this, [this, url, what](const Result<Response> &r) {
        m_current = nullptr;
        if (!r.ok())
            return complete(Error(r.error()).at(m_registry, m_repository));
        const Response &response = r.value();
        if (response.status == 400 && m_pageSizes.size() > 1) {
            const Error e = errorFromResponse(response, what, m_registry, m_repository);
            if (e.registryCode == QLatin1String("PAGINATION_NUMBER_INVALID")) {
                m_pageSizes.removeFirst();
                fetch(url.isValid() ? withPageSize(url, m_pageSizes.first()) : QUrl());
                return;
            }
        }
        if (response.status != 200) {
            Error e = errorFromResponse(response, what, m_registry, m_repository);
            if (m_repository.isEmpty() && response.status == 401) {
                // Not logged in (or wrongly) comes first; a registry that never lists repositories
                // (Docker Hub) also answers 401 to a valid login.
                e.hint += QStringLiteral("; if the credentials are right, this registry does not offer its catalog to "
                                         "you: name the repository instead");
            } else if (m_repository.isEmpty() && (response.status == 403 || response.status == 404
                                                  || e.registryCode == QLatin1String("UNSUPPORTED"))) {
                e.hint = QStringLiteral("this registry does not offer its catalog to you; name the repository instead");
            }
            return complete(e);
        }
        const QJsonObject object = QJsonDocument::fromJson(response.body).object();
        const QJsonValue list = object.value(m_repository.isEmpty() ? QLatin1String("repositories") : QLatin1String("tags"));
        if (!list.isArray() && !list.isNull() && !list.isUndefined())
            return complete(Error::make(Error::Kind::InvalidContent, what + QStringLiteral(": the answer is not a list"))
                                .at(m_registry, m_repository));
        QStringList page;
        for (const QJsonValue &v : list.toArray()) {
            if (v.isString())
                page << v.toString();
        }
        m_items += page;
        if (m_page && !page.isEmpty())
            m_page(page);
        const QUrl next = nextPageUrl(response.header("Link"), response.url);
        if (!next.isValid() || next.isEmpty())
            return complete(m_items);
        if (next == response.url || ++m_pages > MaxPages)
            return complete(Error::make(Error::Kind::InvalidContent, what + QStringLiteral(": the registry's pages do not end"))
                                .at(m_registry, m_repository));
        fetch(next);
    });
}

} // namespace Restack::Registry
