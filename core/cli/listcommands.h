// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/command.h"

namespace Restack::Cli
{

/** `restack tags REPOSITORY [-o text|json]`: every tag, all pages. */
class TagsCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("tags"); }
    QString summary() const override { return QStringLiteral("List the tags of a repository (all pages)."); }

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
};

/** `restack catalog REGISTRY [-o text|json]`: every repository of the registry's catalog, all pages. */
class CatalogCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("catalog"); }
    QString summary() const override { return QStringLiteral("List the repositories of a registry (all pages)."); }

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;
};

} // namespace Restack::Cli
