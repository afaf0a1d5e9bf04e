// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/basefinder.h"

#include <QCollator>

#include <algorithm>

#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Rebase
{

namespace
{
constexpr int MaxConcurrentLookups = 4;

bool isProperPrefix(const QList<Image::Digest> &prefix, const QList<Image::Digest> &of)
{
    if (prefix.isEmpty() || prefix.size() >= of.size())
        return false;
    return std::equal(prefix.cbegin(), prefix.cend(), of.cbegin());
}
} // namespace

BaseFinder::BaseFinder(Registry::Client *client, ImageData source, Image::Reference repository, int limit,
                       Callback<QList<BaseCandidate>> done, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_source(std::move(source))
    , m_repository(std::move(repository))
    , m_limit(qMax(1, limit))
{
}

void BaseFinder::start()
{
    m_current = m_client->listTags(m_repository, this, [this](Result<QStringList> tags) {
        m_current = nullptr;
        if (!tags.ok())
            return complete(tags.error());
        QStringList ordered = tags.value();
        // Newest-looking first: version-aware descending order ("10.0.17763" after "10.0.14393").
        QCollator collator;
        collator.setNumericMode(true);
        std::sort(ordered.begin(), ordered.end(),
                  [&collator](const QString &a, const QString &b) { return collator.compare(a, b) > 0; });
        const QString osVersion = m_source.config.platform().osVersion;
        if (!osVersion.isEmpty() && ordered.removeAll(osVersion) > 0)
            ordered.prepend(osVersion);
        m_queue = ordered.mid(0, m_limit);
        m_total = int(m_queue.size());
        if (m_progress)
            m_progress(0, m_total);
        examineNext();
    });
}

void BaseFinder::abort()
{
    for (const QPointer<Registry::Task> &lookup : std::as_const(m_lookups)) {
        if (lookup)
            lookup->abort();
    }
    CompositeTask::abort();
}

void BaseFinder::examineNext()
{
    while (m_running < MaxConcurrentLookups && !m_queue.isEmpty()) {
        const QString tag = m_queue.takeFirst();
        ++m_running;
        const Image::Reference ref = m_repository.withTag(tag);
        const QString osVersion = m_source.config.platform().osVersion;
        m_lookups << resolveImage(m_client, ref, m_source.config.platform(), this, [this, tag, osVersion](Result<ImageData> image) {
            --m_running;
            ++m_examined;
            if (m_progress)
                m_progress(m_examined, m_total);
            // An image that cannot be read, or is of another platform, is just not a candidate.
            if (image.ok() && isProperPrefix(image->config.diffIds(), m_source.config.diffIds())) {
                const Image::Digest digest = image->manifest.digest();
                auto existing = std::find_if(m_candidates.begin(), m_candidates.end(), [&digest](const BaseCandidate &c) {
                    return c.image.manifest.digest() == digest;
                });
                const bool byOsVersion = !osVersion.isEmpty() && tag == osVersion;
                if (existing != m_candidates.end()) {
                    existing->tags << tag;
                    existing->osVersionTag = existing->osVersionTag || byOsVersion;
                } else {
                    BaseCandidate candidate;
                    candidate.image = image.value();
                    candidate.tags = {tag};
                    candidate.matchedLayers = int(image->config.diffIds().size());
                    candidate.osVersionTag = byOsVersion;
                    m_candidates << candidate;
                }
            }
            if (m_queue.isEmpty() && m_running == 0)
                return finish();
            examineNext();
        });
    }
    if (m_queue.isEmpty() && m_running == 0 && !isFinished())
        finish();
}

void BaseFinder::finish()
{
    std::stable_sort(m_candidates.begin(), m_candidates.end(), [](const BaseCandidate &a, const BaseCandidate &b) {
        if (a.osVersionTag != b.osVersionTag)
            return a.osVersionTag;
        return a.matchedLayers > b.matchedLayers;
    });
    complete(m_candidates);
}

} // namespace Restack::Rebase
