// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

#include "cli/command.h"
#include "rebase/batch.h"
#include "rebase/operation.h"

namespace Restack::Cli
{

/**
 * `restack rebase SOURCE -b NEW_BASE [--old-base OLD_BASE] -t TARGET [--dry-run] [-o text|json]`:
 * runs a Rebase::RebaseOperation, reports progress on standard error and prints the old and new
 * stacks side by side and the pushed TARGET@DIGEST (or, with --dry-run, the whole plan with the
 * predicted digest and each blob operation, writing nothing). With several sources, --from-file
 * or --tags REGEX it runs a Rebase::BatchRebase (TARGET a pattern with {tag}) and prints one line
 * per image and a summary; the exit status is 1 when any failed.
 */
class RebaseCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("rebase"); }
    QString summary() const override;

    /** The text report: image summary, both stacks side by side, blob operations, result line. */
    static QString textReport(const Rebase::RebaseOutcome &outcome);
    /** The JSON report: target, digest, source, oldBase, newBase, layers[] (digest, size, mediaType, origin), ... */
    static QJsonObject jsonReport(const Rebase::RebaseOutcome &outcome);

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
    /** Cancels the rebase (or every rebase of the batch) in flight; it then reports as usual. */
    void cancel() override;

private:
    /** @p jobs: --jobs, already checked by execute(). */
    void runBatch(const QCommandLineParser &parser, const Rebase::RebaseRequest &common,
                  const QList<Image::Reference> &sources, const std::optional<Image::Reference> &tagsOf, int jobs);

    Rebase::RebaseOperation *m_operation = nullptr;
    Rebase::BatchRebase *m_batch = nullptr;
};

} // namespace Restack::Cli
