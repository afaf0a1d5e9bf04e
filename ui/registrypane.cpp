// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registrypane.h"

#include <QHBoxLayout>
#include <QListView>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

#include "registrydialog.h"
#include "registrylistmodel.h"

namespace Restack::Ui
{

RegistryPane::RegistryPane(RegistryListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QListView(this))
    , m_add(new QToolButton(this))
    , m_edit(new QToolButton(this))
    , m_remove(new QToolButton(this))
    , m_login(new QToolButton(this))
    , m_logout(new QToolButton(this))
{
    m_view->setModel(model);
    m_view->setObjectName(QStringLiteral("registryList"));
    m_view->setAccessibleName(tr("Registries"));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);

    const auto setUp = [](QToolButton *button, const QString &name, const QString &text, const QString &tip) {
        button->setObjectName(name);
        button->setText(text);
        button->setToolTip(tip);
        button->setAccessibleName(tip);
        button->setAutoRaise(true);
    };
    setUp(m_add, QStringLiteral("addRegistry"), tr("Add…"), tr("Add a registry"));
    setUp(m_edit, QStringLiteral("editRegistry"), tr("Edit…"), tr("Edit the selected registry"));
    setUp(m_remove, QStringLiteral("removeRegistry"), tr("Remove"), tr("Remove the selected registry from the list"));
    setUp(m_login, QStringLiteral("logInRegistry"), tr("Log In…"), tr("Log in to the selected registry"));
    setUp(m_logout, QStringLiteral("logOutRegistry"), tr("Log Out"),
          tr("Forget the selected registry's credentials (keychain entry and this session's)"));

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->setSpacing(2);
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_login);
    buttons->addWidget(m_logout);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_view);
    layout->addLayout(buttons);

    connect(m_add, &QToolButton::clicked, this, &RegistryPane::addRegistry);
    connect(m_edit, &QToolButton::clicked, this, &RegistryPane::editRegistry);
    connect(m_remove, &QToolButton::clicked, this, &RegistryPane::removeRegistry);
    connect(m_login, &QToolButton::clicked, this, [this] {
        if (!currentAddress().isEmpty())
            Q_EMIT logInRequested(currentAddress());
    });
    connect(m_logout, &QToolButton::clicked, this, [this] {
        if (!currentAddress().isEmpty())
            Q_EMIT logOutRequested(currentAddress());
    });
    connect(m_view, &QListView::doubleClicked, this, &RegistryPane::editRegistry);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateButtons();
        Q_EMIT currentRegistryChanged(currentAddress());
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &RegistryPane::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RegistryPane::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RegistryPane::updateButtons);
    updateButtons();
}

RegistryPane::~RegistryPane() = default;

QString RegistryPane::currentAddress() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(RegistryListModel::AddressRole).toString() : QString();
}

void RegistryPane::selectAddress(const QString &address)
{
    const int row = m_model->rowOf(address);
    if (row >= 0 && currentAddress() != address)
        m_view->setCurrentIndex(m_model->index(row));
}

void RegistryPane::addRegistry()
{
    auto *dialog = new RegistryDialog(this);
    dialog->setWindowTitle(tr("Add Registry"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const int row = m_model->addRegistry(dialog->entry());
        save();
        m_view->setCurrentIndex(m_model->index(row));
    });
    dialog->open();
}

void RegistryPane::editRegistry()
{
    const int row = m_view->currentIndex().row();
    if (row < 0)
        return;
    auto *dialog = new RegistryDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setEntry(m_model->entry(row));
    connect(dialog, &QDialog::accepted, this, [this, dialog, row] {
        m_model->setRegistry(row, dialog->entry());
        save();
        // The same row, perhaps another address (or TLS mode): let the browser reload it.
        if (m_view->currentIndex().row() == row)
            Q_EMIT currentRegistryChanged(currentAddress());
    });
    dialog->open();
}

void RegistryPane::removeRegistry()
{
    const int row = m_view->currentIndex().row();
    if (row < 0)
        return;
    m_model->removeRegistry(row);
    save();
}

void RegistryPane::updateButtons()
{
    const bool selected = m_view->currentIndex().isValid();
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_login->setEnabled(selected);
    const bool held = selected
        && m_view->currentIndex().data(RegistryListModel::CredentialStateRole).toInt() != int(CredentialState::None);
    m_logout->setEnabled(held);
}

void RegistryPane::save()
{
    QSettings settings;
    m_model->save(settings);
}

} // namespace Restack::Ui
