// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QThread;

namespace Restack::Test
{

/** One HTTP/1.1 request as TestHttpServer received it. */
struct HttpRequest
{
    QByteArray method;
    QByteArray target;                              ///< request-target as sent ("/token?scope=...")
    QList<QPair<QByteArray, QByteArray>> headers;   ///< in order, names as sent
    QByteArray body;

    /** The value of header @p name (case-insensitive), empty when absent. */
    QByteArray header(const QByteArray &name) const;
    /** The target as a URL relative to the server (path and query). */
    QUrl url() const;
};

/** The answer a handler gives; Content-Length and Connection: close are added by the server. */
struct HttpReply
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    /** When not empty, sent as is instead of status/headers/body (a proxy's verbatim response). */
    QByteArray raw;
};

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 for test doubles (token server, proxies): one request per
 * connection (it answers with Connection: close), Content-Length bodies only, and a handler called
 * on the server's own thread, so that it keeps answering while the test's thread blocks on a
 * process (skopeo, the restack binary). The handler must be thread-safe towards the test.
 */
class TestHttpServer final
{
public:
    using Handler = std::function<HttpReply(const HttpRequest &)>;

    explicit TestHttpServer(Handler handler);
    /** Stops the thread and closes the port. */
    ~TestHttpServer();
    Q_DISABLE_COPY_MOVE(TestHttpServer)

    /** Listens on a free loopback port. False (with @p error) when it cannot. */
    bool start(QString *error = nullptr);
    quint16 port() const { return m_port; }
    /** "http://127.0.0.1:PORT". */
    QString baseUrl() const;

private:
    class Worker;
    Handler m_handler;
    std::unique_ptr<QThread> m_thread;
    Worker *m_worker = nullptr;
    quint16 m_port = 0;
};

} // namespace Restack::Test
