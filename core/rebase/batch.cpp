// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebase/batch.h"

#include <QSet>

#include <memory>

#include "registry/client.h"

namespace Restack::Rebase
{

using Image::Reference;

bool TargetTemplate::isPattern(const QString &text)
{
    return text.contains(QLatin1Char('{'));
}

Result<TargetTemplate> TargetTemplate::parse(const QString &pattern, bool requireTag)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{[^}]*\\}?"));
    for (auto it = placeholder.globalMatch(pattern); it.hasNext();) {
        const QString name = it.next().captured();
        if (name != QLatin1String("{registry}") && name != QLatin1String("{repository}") && name != QLatin1String("{tag}"))
            return Error::make(Error::Kind::InvalidInput,
                               QStringLiteral("unknown placeholder %1 in the target \"%2\"").arg(name, pattern),
                               QStringLiteral("the placeholders are {registry}, {repository} and {tag}"));
    }
    if (requireTag && !pattern.contains(QLatin1String("{tag}")))
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("the target \"%1\" of several sources must contain {tag}, or every source would "
                                          "be pushed to the same tag")
                               .arg(pattern),
                           QStringLiteral("e.g. --tag '{registry}/{repository}:{tag}-patched'"));
    TargetTemplate t;
    t.m_pattern = pattern;
    // Checked once up front with a plain source, rather than failing every source of a batch later.
    if (auto sample = t.targetFor(Reference::fromParts(QStringLiteral("registry.example"), QStringLiteral("app"),
                                                       QStringLiteral("1.0")));
        !sample)
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("the target \"%1\" does not give a valid REPOSITORY:TAG (for registry.example/app:1.0 "
                                          "it gives: %2)")
                               .arg(pattern, sample.error().message),
                           QStringLiteral("e.g. --tag '{registry}/{repository}:{tag}-patched'"));
    return t;
}

Result<Reference> TargetTemplate::targetFor(const Reference &source) const
{
    QString text = m_pattern;
    text.replace(QLatin1String("{registry}"), source.registry());
    text.replace(QLatin1String("{repository}"), source.repository());
    text.replace(QLatin1String("{tag}"), source.tag().isEmpty() ? QStringLiteral("latest") : source.tag());
    auto target = Reference::parse(text);
    if (!target)
        return Error(target.error()).prefixed(QStringLiteral("target for %1").arg(source.toString()));
    if (target->tag().isEmpty() || target->hasDigest())
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("the target for %1 is %2: it needs a tag and no digest").arg(source.toString(), text));
    return target;
}

BatchRebase::BatchRebase(Registry::Client *client, BatchRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{
}

BatchRebase::~BatchRebase() = default;

int BatchRebase::succeeded() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [](const BatchItem &i) { return i.result && i.result->ok(); }));
}

int BatchRebase::failed() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [](const BatchItem &i) { return i.result && !i.result->ok(); }));
}

void BatchRebase::addSources(const QList<Reference> &sources)
{
    for (const Reference &source : sources) {
        auto target = m_request.target.targetFor(source);
        BatchItem item;
        item.source = source;
        if (target.ok())
            item.target = target.value();
        else
            item.result = Result<RebaseOutcome>(target.error());
        m_items << item;
    }
}

void BatchRebase::start()
{
    // Every rebase of the batch reads the same bases: pin their tags to digests once, so that the
    // client's cache of immutable content serves them after the first rebase.
    QList<Reference *> bases{&m_request.common.newBase};
    if (m_request.common.oldBase)
        bases << &*m_request.common.oldBase;
    auto pending = std::make_shared<int>(0);
    for (Reference *base : std::as_const(bases)) {
        if (base->hasDigest())
            continue;
        ++*pending;
        m_pinning << m_client->headManifest(*base, this, [this, base, pending](Result<std::optional<Image::Descriptor>> head) {
            if (m_finished)
                return;
            if (!head.ok() || !head.value()) {
                m_error = head.ok() ? Error::make(Error::Kind::NotFound, QStringLiteral("the base %1 does not exist").arg(base->toString()))
                                          .at(base->registry(), base->repository(), base->identifier())
                                    : head.error();
                m_finished = true;
                Q_EMIT finished();
                return;
            }
            *base = base->withDigest(head.value()->digest);
            if (--*pending == 0)
                startSources();
        });
    }
    if (*pending == 0)
        startSources();
}

void BatchRebase::startSources()
{
    addSources(m_request.sources);
    if (!m_request.tagsOf) {
        listTargets({});
        return;
    }
    const Reference repository = m_request.tagsOf->repositoryOnly();
    ++m_pendingListings;
    m_listings << m_client->listTags(repository, this, [this, repository](Result<QStringList> tags) {
        --m_pendingListings;
        if (!tags.ok()) {
            m_error = tags.error();
            m_finished = true;
            Q_EMIT finished();
            return;
        }
        QStringList matching;
        for (const QString &tag : tags.value()) {
            if (m_request.tagPattern.match(tag).hasMatch())
                matching << tag;
        }
        matching.sort();
        // A tag this batch writes is never one of its sources (a second run must not re-rebase results).
        QSet<QString> targets;
        for (const QString &tag : std::as_const(matching)) {
            auto target = m_request.target.targetFor(repository.withTag(tag));
            if (target && target->repositoryOnly() == repository)
                targets.insert(target->tag());
        }
        QList<Reference> sources;
        for (const QString &tag : std::as_const(matching)) {
            if (!targets.contains(tag))
                sources << repository.withTag(tag);
        }
        addSources(sources);
        const QStringList all = tags.value();
        listTargets({{repository.name(), QSet<QString>(all.cbegin(), all.cend())}});
    });
}

void BatchRebase::listTargets(QHash<QString, QSet<QString>> known)
{
    auto lists = std::make_shared<QHash<QString, QSet<QString>>>(std::move(known));
    auto markAndStart = [this, lists] {
        for (BatchItem &item : m_items) {
            const auto it = lists->constFind(item.target.repositoryOnly().name());
            item.targetAbsent = !item.result && it != lists->cend() && !it->contains(item.target.tag());
        }
        pump();
    };
    QHash<QString, int> targetsPerRepository;
    for (const BatchItem &item : std::as_const(m_items)) {
        if (!item.result)
            targetsPerRepository[item.target.repositoryOnly().name()] += 1;
    }
    auto pending = std::make_shared<int>(0);
    for (const BatchItem &item : std::as_const(m_items)) {
        const Reference repository = item.target.repositoryOnly();
        const QString name = repository.name();
        if (item.result || lists->contains(name) || targetsPerRepository.value(name) < 2)
            continue;
        lists->insert(name, {}); // listed once, however many targets it holds
        ++*pending;
        ++m_pendingListings;
        m_listings << m_client->listTags(repository, this, [this, lists, name, pending, markAndStart](Result<QStringList> tags) {
            --m_pendingListings;
            if (tags.ok()) {
                const QStringList all = tags.value();
                lists->insert(name, QSet<QString>(all.cbegin(), all.cend()));
            } else {
                // Unknown, even on 404 (a repository not created yet, or a registry or proxy that
                // answers so wrongly): each rebase asks (HEAD) as usual, so that no index is
                // replaced on the strength of a listing that said nothing.
                lists->remove(name);
            }
            if (--*pending == 0 && !m_finished)
                markAndStart();
        });
    }
    if (*pending == 0)
        markAndStart();
}

void BatchRebase::pump()
{
    if (m_finished)
        return;
    while (!m_cancelled && m_active < qMax(1, m_request.jobs) && m_next < m_items.size()) {
        const int index = m_next++;
        BatchItem &item = m_items[index];
        if (item.result) { // failed before starting (bad target)
            Q_EMIT itemFinished(index);
            continue;
        }
        RebaseRequest request = m_request.common;
        request.source = item.source;
        request.target = item.target;
        request.targetAbsent = item.targetAbsent;
        auto *operation = new RebaseOperation(m_client, request, this);
        m_running << operation;
        ++m_active;
        connect(operation, &RebaseOperation::finished, this, [this, operation, index] {
            --m_active;
            m_items[index].result = operation->result();
            m_running.removeAll(operation);
            operation->deleteLater();
            Q_EMIT itemFinished(index);
            pump();
        });
        operation->start();
    }
    if (m_active == 0 && (m_next >= m_items.size() || m_cancelled) && m_pendingListings == 0) {
        m_finished = true;
        Q_EMIT finished();
    }
}

void BatchRebase::cancel()
{
    m_cancelled = true;
    for (const QPointer<Registry::Task> &task : std::as_const(m_pinning)) {
        if (task)
            task->abort();
    }
    const auto listings = m_listings;
    for (const QPointer<Registry::Task> &task : listings) {
        if (task)
            task->abort();
    }
    const auto running = m_running;
    for (const QPointer<RebaseOperation> &operation : running) {
        if (operation)
            operation->cancel();
    }
    pump();
}

} // namespace Restack::Rebase
