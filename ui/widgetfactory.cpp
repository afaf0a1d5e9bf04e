// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgetfactory.h"

#include <QCoreApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>

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

ProgressPanel makeProgressPanel(QWidget *parent, const ProgressPanelNames &names, const QString &what)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("Restack::Ui::WidgetFactory", text); };
    ProgressPanel made;
    made.panel = new QWidget(parent);
    made.panel->setObjectName(names.panel);
    made.text = makeLabel(made.panel, names.text);
    made.bar = new QProgressBar(made.panel);
    made.bar->setObjectName(names.bar);
    QString title = what;
    if (!title.isEmpty())
        title[0] = title.at(0).toUpper();
    made.bar->setAccessibleName(tr("%1 progress").arg(title));
    made.cancel = new QPushButton(tr("Cancel"), made.panel);
    made.cancel->setObjectName(names.cancel);
    made.cancel->setAccessibleName(tr("Cancel the %1").arg(what));
    auto *layout = new QHBoxLayout(made.panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(made.text, 2);
    layout->addWidget(made.bar, 1);
    layout->addWidget(made.cancel);
    made.panel->hide();
    return made;
}

ResultPanel makeResultPanel(QWidget *parent, const QString &objectName, const QString &textName,
                            const QList<QPushButton *> &buttons)
{
    ResultPanel made;
    made.panel = new QFrame(parent);
    made.panel->setFrameShape(QFrame::StyledPanel);
    made.panel->setObjectName(objectName);
    auto *icon = new QLabel(made.panel);
    const int iconSize = made.panel->style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    icon->setPixmap(made.panel->style()->standardIcon(QStyle::SP_DialogApplyButton).pixmap(iconSize, iconSize));
    made.text = makeLabel(made.panel, textName);
    auto *layout = new QHBoxLayout(made.panel);
    layout->addWidget(icon);
    layout->addWidget(made.text, 1);
    for (QPushButton *button : buttons) {
        button->setParent(made.panel);
        layout->addWidget(button);
    }
    made.panel->hide();
    return made;
}

} // namespace Restack::Ui
