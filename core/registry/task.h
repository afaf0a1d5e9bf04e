// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

#include "common/result.h"

namespace Restack::Registry
{

/**
 * One asynchronous registry operation (a request with its auth and redirects, a paginated
 * listing, a blob copy, ...). A task is owned by the context object passed when it was created:
 * destroying the context aborts it silently. Otherwise it calls its completion callback exactly
 * once, emits finished() and deletes itself.
 */
class Task : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /** Cancels the task: its callback receives an Error of kind Cancelled (never a Timeout). */
    virtual void abort() = 0;

Q_SIGNALS:
    void finished();
};

/**
 * A task made of steps that are tasks themselves, ending with a value of type T: it keeps the
 * step in flight (aborted by abort()) and completes exactly once.
 */
template<typename T>
class CompositeTask : public Task
{
public:
    CompositeTask(Callback<T> done, QObject *parent)
        : Task(parent)
        , m_done(std::move(done))
    {
    }

    void abort() override
    {
        if (m_current)
            m_current->abort();
        else
            complete(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
    }

protected:
    /** Delivers @p result once: schedules deletion, calls the callback, emits finished(). */
    void complete(Result<T> result)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_current = nullptr;
        deleteLater();
        QPointer<Task> self(this);
        m_done(std::move(result)); // may destroy this task's context, and so the task
        if (self)
            Q_EMIT finished();
    }

    bool isFinished() const { return m_finished; }

    /** The step in flight, aborted when this task is. */
    QPointer<Task> m_current;

private:
    Callback<T> m_done;
    bool m_finished = false;
};

} // namespace Restack::Registry
