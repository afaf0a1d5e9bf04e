// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsdialog.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

#include "registrypane.h"

namespace Restack::Ui
{

SettingsDialog::SettingsDialog(RegistryListModel *registries, QWidget *parent)
    : QDialog(parent)
    , m_pane(new RegistryPane(registries, this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    auto *group = new QGroupBox(tr("Registries"), this);
    auto *note = new QLabel(tr("Each registry's address and TLS mode are kept in your settings; passwords and tokens "
                               "never are. Changes apply at once."),
                            group);
    note->setTextFormat(Qt::PlainText);
    note->setWordWrap(true);
    auto *groupLayout = new QVBoxLayout(group);
    groupLayout->addWidget(note);
    groupLayout->addWidget(m_pane);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(group);
    layout->addWidget(buttons);
    resize(520, 380);
}

SettingsDialog::~SettingsDialog() = default;

} // namespace Restack::Ui
