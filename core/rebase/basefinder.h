// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointer>
#include <QStringList>

#include <functional>

#include "image/reference.h"
#include "rebase/plan.h"
#include "registry/task.h"

namespace Restack::Registry
{
class Client;
}

namespace Restack::Rebase
{

/** An image of the searched repository that the source may have been built on. */
struct BaseCandidate
{
    ImageData image;            ///< the platform image (reference carries the first tag it was found under)
    QStringList tags;           ///< every tag examined that names this image
    int matchedLayers = 0;      ///< its layers: the source's first matchedLayers diff_ids
    bool osVersionTag = false;  ///< found under a tag equal to the source's os.version
};

/**
 * Looks for the base a source image was built on, when no annotation names it: first the tag of
 * @p repository equal to the source's os.version (the rule of the original rebase-docker-image
 * tool, for Windows images), then a bounded search of the repository's other tags (at most
 * @p limit examined, newest-looking names first) for images of the source's platform whose
 * diff_ids are a proper prefix of the source's. Matching by diff_ids also finds bases whose
 * layers were recompressed.
 *
 * The result lists candidates best first: the os.version tag, then the longest prefix; several
 * tags of one image are merged. An empty list means nothing matched. Errors: listing the tags
 * fails (NotFound for an unknown repository, Unauthorized, ...). Images that cannot be read are
 * skipped. @p progress reports tags examined of the total to examine.
 */
class BaseFinder final : public Registry::CompositeTask<QList<BaseCandidate>>
{
public:
    BaseFinder(Registry::Client *client, ImageData source, Image::Reference repository, int limit,
               Callback<QList<BaseCandidate>> done, QObject *parent);
    void setProgress(std::function<void(int examined, int total)> progress) { m_progress = std::move(progress); }
    void start();
    void abort() override;

private:
    void examineNext();
    void finish();

    Registry::Client *m_client;
    ImageData m_source;
    Image::Reference m_repository;
    int m_limit;
    std::function<void(int, int)> m_progress;
    QStringList m_queue;
    int m_total = 0;
    int m_examined = 0;
    int m_running = 0;
    QList<QPointer<Registry::Task>> m_lookups;
    QList<BaseCandidate> m_candidates;
};

} // namespace Restack::Rebase
