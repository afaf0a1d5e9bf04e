// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registrydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "image/reference.h"

namespace Restack::Ui
{

RegistryDialog::RegistryDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_address(new QLineEdit(this))
    , m_tls(new QComboBox(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("registryDialog"));
    setWindowTitle(tr("Registry"));
    m_name->setObjectName(QStringLiteral("registryName"));
    m_name->setAccessibleName(tr("Display name"));
    m_name->setPlaceholderText(tr("Optional, e.g. Staging"));
    m_address->setObjectName(QStringLiteral("registryAddress"));
    m_address->setAccessibleName(tr("Registry address"));
    m_address->setPlaceholderText(tr("host[:port], e.g. registry.example.com or localhost:5000"));
    m_tls->setObjectName(QStringLiteral("registryTlsMode"));
    m_tls->setAccessibleName(tr("TLS mode"));
    for (TlsMode mode : {TlsMode::Verify, TlsMode::SkipVerify, TlsMode::PlainHttp})
        m_tls->addItem(tlsModeName(mode), int(mode));
    m_tls->setToolTip(tr("Verify certificates: the safe default (loopback registries may answer over plain HTTP).\n"
                         "Skip certificate verification: for registries with a self-signed certificate you trust.\n"
                         "Plain HTTP: for registries without TLS on a network you trust."));
    m_problem->setObjectName(QStringLiteral("registryProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, warning.color(QPalette::PlaceholderText));
    m_problem->setPalette(warning);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&TLS:"), m_tls);
    auto *note = new QLabel(tr("Credentials are never stored here."), this);
    note->setTextFormat(Qt::PlainText);
    note->setEnabled(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_address, &QLineEdit::textChanged, this, &RegistryDialog::validate);
    setMinimumWidth(460);
    validate();
}

RegistryDialog::~RegistryDialog() = default;

void RegistryDialog::setEntry(const RegistryEntry &entry)
{
    m_name->setText(entry.name);
    m_address->setText(entry.address);
    m_tls->setCurrentIndex(m_tls->findData(int(entry.tlsMode)));
    setWindowTitle(tr("Edit Registry"));
}

RegistryEntry RegistryDialog::entry() const
{
    RegistryEntry e;
    e.name = m_name->text().trimmed();
    const auto address = Image::Reference::parseRegistry(m_address->text().trimmed());
    e.address = address.ok() ? address.value() : m_address->text().trimmed();
    e.tlsMode = TlsMode(m_tls->currentData().toInt());
    e.saved = true;
    return e;
}

void RegistryDialog::validate()
{
    const QString text = m_address->text().trimmed();
    QString problem;
    if (text.isEmpty()) {
        problem = tr("Enter the registry's host name, and its port if it is not 443.");
    } else {
        const auto address = Image::Reference::parseRegistry(text);
        if (!address.ok())
            problem = address.error().message;
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace Restack::Ui
