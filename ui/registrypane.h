// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListView;
class QToolButton;

namespace Restack::Ui
{

class RegistryListModel;

/**
 * The registry list with Add, Edit and Remove buttons, and "Log In…" / "Log Out" for the selected
 * registry (logInRequested(), logOutRequested(): the window opens the LoginDialog or logs out
 * through the Session). "Log Out" is enabled when the registry has saved or session credentials
 * (RegistryListModel::CredentialStateRole); such registries carry a key icon. Editing goes
 * through RegistryDialog; the list is saved to QSettings after each change. Used in the browser
 * and in the settings dialog.
 */
class RegistryPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RegistryPane)

public:
    RegistryPane(RegistryListModel *model, QWidget *parent = nullptr);
    ~RegistryPane() override;

    QListView *view() const { return m_view; }
    /** The address of the selected registry, empty when none. */
    QString currentAddress() const;
    /** Selects the registry at @p address (no-op when it is not in the list). */
    void selectAddress(const QString &address);

public Q_SLOTS:
    /** Opens the dialog to add a registry; the new one is selected when accepted. */
    void addRegistry();
    /** Opens the dialog to edit the selected registry. */
    void editRegistry();
    /** Removes the selected registry from the list (nothing on the registry is touched). */
    void removeRegistry();

Q_SIGNALS:
    /** The selection moved to the registry at @p address (empty: no selection). */
    void currentRegistryChanged(const QString &address);
    /** The user wants to log in to @p address. */
    void logInRequested(const QString &address);
    /** The user wants to forget the credentials of @p address. */
    void logOutRequested(const QString &address);

private:
    void updateButtons();
    void save();

    RegistryListModel *m_model;
    QListView *m_view;
    QToolButton *m_add;
    QToolButton *m_edit;
    QToolButton *m_remove;
    QToolButton *m_login;
    QToolButton *m_logout;
};

} // namespace Restack::Ui
