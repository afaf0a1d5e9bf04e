// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

namespace Restack::Ui
{

class RegistryListModel;
class RegistryPane;

/**
 * The application's settings (Ctrl+,): the registry list (add, edit, remove; kept in QSettings,
 * never with secrets). Changes apply at once. Non-blocking: open it with open() or show().
 */
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(RegistryListModel *registries, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    RegistryPane *registryPane() const { return m_pane; }

private:
    RegistryPane *m_pane;
};

} // namespace Restack::Ui
