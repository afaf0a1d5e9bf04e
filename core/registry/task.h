// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

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
    /**
     * For a write that must not be taken back half-way (a tag's manifest PUT): lets the request
     * now at the registry end, and sends nothing more (no retry, no re-authentication, no
     * redirect), so that the callback comes as soon as that request ends. When no request is at
     * the registry at this moment (waiting for a token or for a retry's delay), it aborts at once.
     * HttpCall implements it (a manifest PUT is one); the default, for composite tasks, aborts.
     */
    virtual void finishWithoutRetrying() { abort(); }

Q_SIGNALS:
    void finished();
};

/**
 * True for failures that may not happen again: no connection, a reset or stalled transfer, a
 * 5xx or 429 answer, content that arrived altered (DigestMismatch), an upload session the registry
 * lost (BLOB_UPLOAD_UNKNOWN). Never for cancellation, authorization, or a real 404.
 */
bool isTransient(const Error &error);

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

    /** True once the callback was called. */
    bool isFinished() const { return m_finished; }

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

    /** The step in flight, aborted when this task is. */
    QPointer<Task> m_current;

private:
    Callback<T> m_done;
    bool m_finished = false;
};

/**
 * Runs an operation again when it fails transiently (isTransient(): connection trouble,
 * timeouts, 5xx/429, content that did not match its digest, a lost upload session), up to
 * @p maxAttempts in all with a growing pause between attempts: for operations that cannot be
 * retried request by request, like an upload session or a verified download.
 */
template<typename T>
class RestartingTask final : public CompositeTask<T>
{
public:
    /** Starts one attempt, owned by the given context, completing through the given callback. */
    using Attempt = std::function<Task *(QObject *context, Callback<T> done)>;

    RestartingTask(Attempt attempt, int maxAttempts, int baseDelayMs, std::function<void()> onRestart, Callback<T> done,
                   QObject *parent)
        : CompositeTask<T>(std::move(done), parent)
        , m_attempt(std::move(attempt))
        , m_maxAttempts(maxAttempts)
        , m_baseDelayMs(baseDelayMs)
        , m_onRestart(std::move(onRestart))
    {
    }

    void start() { run(); }

private:
    void run()
    {
        if (this->isFinished())
            return;
        ++m_attempts;
        this->m_current = m_attempt(this, [this](Result<T> result) {
            this->m_current = nullptr;
            if (!result.ok() && isTransient(result.error()) && !result.error().retried && m_attempts < m_maxAttempts
                && !this->isFinished()) {
                if (m_onRestart)
                    m_onRestart();
                QTimer::singleShot(m_baseDelayMs * m_attempts, this, [this] { run(); });
                return;
            }
            this->complete(std::move(result));
        });
    }

    Attempt m_attempt;
    int m_maxAttempts;
    int m_baseDelayMs;
    std::function<void()> m_onRestart;
    int m_attempts = 0;
};

/**
 * A caller's handle on an operation shared by several callers (the same blob uploaded to the same
 * repository by concurrent rebases): completes when the shared operation does. Aborting it only
 * detaches this caller.
 */
template<typename T>
class JoinTask final : public CompositeTask<T>
{
public:
    using CompositeTask<T>::CompositeTask;
    void deliver(const Result<T> &result) { this->complete(result); }
    /** Called when this caller detaches (aborts): the shared operation stops once nobody waits. */
    void setOnDetach(std::function<void()> onDetach) { m_onDetach = std::move(onDetach); }
    void abort() override
    {
        if (this->isFinished())
            return;
        this->complete(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
        if (m_onDetach)
            m_onDetach();
    }

private:
    std::function<void()> m_onDetach;
};

} // namespace Restack::Registry
