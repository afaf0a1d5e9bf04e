// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

class QFrame;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
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

/** The object names of a progress panel's parts (for tests and style sheets). */
struct ProgressPanelNames
{
    QString panel;
    QString text;
    QString bar;
    QString cancel;
};

/** What makeProgressPanel() made. */
struct ProgressPanel
{
    QWidget *panel = nullptr;
    QLabel *text = nullptr;       ///< one line saying what happens
    QProgressBar *bar = nullptr;  ///< accessible name "@p what progress"
    QPushButton *cancel = nullptr;
};

/**
 * A row for a long operation: one line of text, a progress bar and Cancel, hidden until shown.
 * @p what names the operation in the accessible names ("push": "Push progress", "Cancel the push").
 */
ProgressPanel makeProgressPanel(QWidget *parent, const ProgressPanelNames &names, const QString &what);

/** What makeResultPanel() made. */
struct ResultPanel
{
    QFrame *panel = nullptr;
    QLabel *text = nullptr;
};

/**
 * A framed strip reporting a finished operation: a check mark, selectable plain text named
 * @p textName and @p buttons (e.g. copy buttons, reparented into it), hidden until shown.
 */
ResultPanel makeResultPanel(QWidget *parent, const QString &objectName, const QString &textName,
                            const QList<QPushButton *> &buttons);

} // namespace Restack::Ui
