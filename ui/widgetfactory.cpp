// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgetfactory.h"

#include <QLabel>
#include <QLineEdit>

namespace Restack::Ui
{

QLabel *makeLabel(QWidget *parent, const QString &objectName, LabelKind kind, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    if (!accessibleName.isEmpty())
        label->setAccessibleName(accessibleName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    if (kind == LabelKind::Note)
        label->setEnabled(false);
    else
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QLineEdit *makeLineEdit(QWidget *parent, const QString &objectName, const QString &placeholder,
                        const QString &accessibleName)
{
    auto *field = new QLineEdit(parent);
    field->setObjectName(objectName);
    field->setPlaceholderText(placeholder);
    field->setAccessibleName(accessibleName.isEmpty() ? placeholder : accessibleName);
    field->setClearButtonEnabled(true);
    return field;
}

} // namespace Restack::Ui
