// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Restack::Cli
{

/**
 * Turns SIGINT and SIGTERM into a Qt signal delivered from the event loop (the self-pipe way Qt
 * documents: the handler only writes the signal's number to a socket pair), so that a command
 * can cancel its work, give back what it opened on registries and exit with 128 + the signal's
 * number. One per process; the previous dispositions are restored on destruction. On platforms
 * without POSIX signals it does nothing.
 */
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    /** SIGINT (2) or SIGTERM (15) arrived. */
    void signalled(int signalNumber);

private:
    void readSignals();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Restack::Cli
