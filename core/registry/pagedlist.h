// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>

#include "common/result.h"
#include "registry/httpcall.h"
#include "registry/task.h"

namespace Restack::Registry
{

class Client;

/**
 * Lists tags (GET /v2/NAME/tags/list) or repositories (GET /v2/_catalog) page by page, following
 * Link rel="next" to the end with the next URL treated as opaque (distribution spec §"Listing
 * Tags", catalog API). A page size over the registry's cap (400 PAGINATION_NUMBER_INVALID) is
 * retried with a smaller one. Internal to Client.
 */
class PagedListTask final : public CompositeTask<QStringList>
{
public:
    /** @p repository empty = the registry's catalog. */
    PagedListTask(Client *client, QString registry, QString repository, Callback<QStringList> done,
                  std::function<void(const QStringList &)> page, QObject *parent);

    void start();

private:
    void fetch(const QUrl &url);
    QUrl firstPageUrl() const;

    Client *m_client;
    QString m_registry;
    QString m_repository;
    std::function<void(const QStringList &)> m_page;
    QStringList m_items;
    QList<int> m_pageSizes;
    int m_pages = 0;
};

} // namespace Restack::Registry
