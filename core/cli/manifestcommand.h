// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/command.h"
#include "index/indexoperation.h"

namespace Restack::Cli
{

/**
 * `restack manifest create TARGET IMAGE[,platform=OS/ARCH[/VARIANT]][,os.version=V]... [--tag T]
 * [--type oci|docker] [--dry-run] [-o text|json]` and `restack manifest push from-spec SPEC.yaml
 * [--type ...] [--dry-run]` (manifest-tool's YAML): assemble an index (manifest list) of images
 * and push it (Index::IndexOperation).
 */
class ManifestCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("manifest"); }
    QString summary() const override;

    static QString textReport(const Index::IndexOutcome &outcome);
    static QJsonObject jsonReport(const Index::IndexOutcome &outcome);

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
    /** Cancels the index operation in flight; it then reports as usual. */
    void cancel() override;

private:
    void run(Index::IndexRequest request, const QCommandLineParser &parser);

    Index::IndexOperation *m_operation = nullptr;
};

/** `restack find-base IMAGE --in REPOSITORY [--limit N] [-o text|json]`: candidates for IMAGE's old base. */
class FindBaseCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("find-base"); }
    QString summary() const override;

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
};

} // namespace Restack::Cli
