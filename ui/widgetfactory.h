// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QLabel;
class QLineEdit;
class QWidget;

namespace Restack::Ui
{

/** How a label created by makeLabel() looks and behaves. */
enum class LabelKind {
    Value, ///< selectable plain text (registry content: never markup)
    Note,  ///< secondary plain text, in the palette's disabled colour
};

/**
 * A word-wrapped plain-text label named @p objectName (for tests and style sheets), with
 * @p accessibleName when given. Plain text because much of what Restack shows comes from
 * registries and image configs.
 */
QLabel *makeLabel(QWidget *parent, const QString &objectName, LabelKind kind = LabelKind::Value,
                  const QString &accessibleName = {});

/** A line edit with a clear button, named @p objectName, its placeholder also its accessible name unless given. */
QLineEdit *makeLineEdit(QWidget *parent, const QString &objectName, const QString &placeholder,
                        const QString &accessibleName = {});

} // namespace Restack::Ui
