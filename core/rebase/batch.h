// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <optional>

#include "common/result.h"
#include "image/reference.h"
#include "rebase/operation.h"

namespace Restack::Rebase
{

/**
 * The target of each source of a batch: a reference in which {registry}, {repository} and {tag}
 * stand for the source's parts, e.g. "{registry}/{repository}:{tag}-patched".
 */
class TargetTemplate
{
public:
    /**
     * @p pattern: a reference in which {registry}, {repository} and {tag} stand for each source's.
     * Errors (InvalidInput): a placeholder other than those three; a pattern that gives no valid
     * REPOSITORY:TAG even for a plain source; with @p requireTag (several sources), no {tag} in it
     * (every source would land on one tag).
     */
    static Result<TargetTemplate> parse(const QString &pattern, bool requireTag = true);
    /** Whether @p text uses placeholders at all (contains a '{'). */
    static bool isPattern(const QString &text);
    /** The target for @p source. Errors: the result is not a valid REPOSITORY:TAG reference. */
    Result<Image::Reference> targetFor(const Image::Reference &source) const;
    QString pattern() const { return m_pattern; }

private:
    QString m_pattern;
};

/** What to rebase in a batch: explicit sources, and/or the tags of a repository matching a pattern. */
struct BatchRequest
{
    QList<Image::Reference> sources;
    std::optional<Image::Reference> tagsOf;   ///< a repository whose matching tags are added as sources
    QRegularExpression tagPattern;            ///< with tagsOf: which tags (matched anywhere; anchor it for whole tags)
    TargetTemplate target;
    RebaseRequest common;                     ///< new base, old base, dry run, platforms... (source/target ignored)
    int jobs = 4;                             ///< rebases running at once
};

/** One source's outcome. */
struct BatchItem
{
    Image::Reference source;
    Image::Reference target;
    std::optional<Result<RebaseOutcome>> result; ///< unset: not run (cancelled before it started)
    /** The target tag was missing from its repository's tag list, read when the batch started: no HEAD. */
    bool targetAbsent = false;
};

/**
 * Rebases many sources onto one new base with bounded concurrency, sharing one registry client
 * (and so its tokens and its cache of immutable content): the "apply the patch to every tag"
 * case. The bases' tags are pinned to digests once, before the first rebase. The tag list of each
 * target repository is read once (the source listing when it is the same repository), so that
 * targets that do not exist yet need no HEAD each. A failing source does not stop the others.
 * Tags that are themselves targets of this batch are never taken as sources.
 * finished() once every item has a result (or after cancel()).
 */
class BatchRebase final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchRebase)

public:
    BatchRebase(Registry::Client *client, BatchRequest request, QObject *parent = nullptr);
    ~BatchRebase() override;

    void start();
    void cancel();

    /** Every source with its target and, once done, its result. */
    const QList<BatchItem> &items() const { return m_items; }
    /** An error that prevented the batch itself (listing the tags failed, bad target template). */
    const std::optional<Error> &error() const { return m_error; }
    int succeeded() const;
    int failed() const;

Q_SIGNALS:
    /** An item finished (succeeded or failed). */
    void itemFinished(int index);
    void finished();

private:
    void startSources();
    void addSources(const QList<Image::Reference> &sources);
    /**
     * Reads the tag list of every repository two or more targets are in (unless @p known has it),
     * marks the targets missing from it, then starts the rebases.
     */
    void listTargets(QHash<QString, QSet<QString>> known);
    void pump();

    Registry::Client *m_client;
    BatchRequest m_request;
    QList<BatchItem> m_items;
    QList<QPointer<RebaseOperation>> m_running;
    QList<QPointer<Registry::Task>> m_listings;
    int m_pendingListings = 0;
    QList<QPointer<Registry::Task>> m_pinning;
    std::optional<Error> m_error;
    int m_next = 0;
    int m_active = 0;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace Restack::Rebase
