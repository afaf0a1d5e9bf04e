// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/command.h"
#include "image/manifest.h"
#include "image/reference.h"

namespace Restack::Cli
{

/**
 * `restack inspect IMAGE [--platform OS/ARCH[/VARIANT]] [-o text|json]`: media type, platform(s),
 * config digest and a layer table with sizes and the history's created_by (empty-layer history
 * entries shown between the layers). For an index: its platforms, and the chosen one with
 * --platform.
 */
class InspectCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("inspect"); }
    QString summary() const override { return QStringLiteral("Show an image's manifest, platform(s), config and layers."); }

protected:
    void addOptions(QCommandLineParser &parser) override;
    void execute(const QCommandLineParser &parser) override;

private:
    void printIndex(const Image::Reference &ref, const Image::Manifest &index);
};

} // namespace Restack::Cli
