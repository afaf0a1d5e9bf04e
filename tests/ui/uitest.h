// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QTest>
#include <QWidget>

#include <functional>
#include <memory>

#include "registry/client.h"

class QMessageBox;
class QNetworkAccessManager;

namespace Restack::Ui
{
class MainWindow;
class Session;
} // namespace Restack::Ui

namespace Restack::Test
{

/**
 * Points QSettings (native and INI formats) at @p directory, turns on QStandardPaths' test mode and
 * names the application @p application: a GUI test never reads or writes the user's settings.
 */
void isolateSettings(const QString &directory, const QString &application);

/** restack-gui as its main() makes it: a network manager without proxy, a Session and the main window. */
struct GuiHarness
{
    std::unique_ptr<QNetworkAccessManager> network;
    std::unique_ptr<Ui::Session> session;
    std::unique_ptr<Ui::MainWindow> window;

    /**
     * Creates them (with @p options; @p keychainIndex for the SecretStore, empty: the default) and shows
     * the window at @p size; false when it was not exposed.
     */
    bool start(const Registry::ClientOptions &options = {}, QSize size = QSize(1400, 900),
               const QString &keychainIndex = {});
    /** Destroys the window, the session and the network manager, in that order. */
    void stop();
};

/** The descendant of @p parent of type T named @p name; null (with a warning naming it) when there is none. */
template<typename T>
T *namedChild(const QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

/** The visible QMessageBox named @p objectName among the top-level widgets, or null. */
QMessageBox *visibleMessageBox(const QString &objectName);

/** Waits (processing events) up to @p timeoutMs for @p find to return a visible widget; null when it does not. */
template<typename T>
T *waitForVisible(const std::function<T *()> &find, int timeoutMs = 20000)
{
    T *found = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        found = find();
        return found && found->isVisible();
    }, timeoutMs);
    return shown ? found : nullptr;
}

} // namespace Restack::Test
