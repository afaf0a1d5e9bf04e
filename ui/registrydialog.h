// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include "registrylistmodel.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Restack::Ui
{

/**
 * Adds or edits one registry: display name, address ("host[:port]", validated with
 * Reference::parseRegistry before OK is enabled) and TLS mode. Never asks for a secret. Open it
 * with open() and read entry() on accepted().
 */
class RegistryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RegistryDialog)

public:
    explicit RegistryDialog(QWidget *parent = nullptr);
    ~RegistryDialog() override;

    /** Fills the fields from @p entry (editing). */
    void setEntry(const RegistryEntry &entry);
    /** The entry as typed, the address normalised; saved is always true. */
    RegistryEntry entry() const;

private:
    void validate();

    QLineEdit *m_name;
    QLineEdit *m_address;
    QComboBox *m_tls;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Restack::Ui
