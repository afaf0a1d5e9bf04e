// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "uitest.h"

#include <QApplication>
#include <QCoreApplication>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSettings>
#include <QStandardPaths>

#include "mainwindow.h"
#include "session.h"

namespace Restack::Test
{

void isolateSettings(const QString &directory, const QString &application)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, directory);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, directory);
    QCoreApplication::setOrganizationName(QStringLiteral("RestackTest"));
    QCoreApplication::setApplicationName(application);
}

bool GuiHarness::start(const Registry::ClientOptions &options, QSize size, const QString &keychainIndex)
{
    network = std::make_unique<QNetworkAccessManager>();
    network->setProxy(QNetworkProxy::NoProxy);
    session = std::make_unique<Ui::Session>(network.get(), options, nullptr, QString(), keychainIndex);
    window = std::make_unique<Ui::MainWindow>(session.get());
    window->resize(size);
    window->show();
    return QTest::qWaitForWindowExposed(window.get());
}

void GuiHarness::stop()
{
    window.reset();
    session.reset();
    network.reset();
}

QMessageBox *visibleMessageBox(const QString &objectName)
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        auto *box = qobject_cast<QMessageBox *>(widget);
        if (box && box->objectName() == objectName && box->isVisible())
            return box;
    }
    return nullptr;
}

} // namespace Restack::Test
