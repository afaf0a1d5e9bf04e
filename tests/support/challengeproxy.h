// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace Restack::Test
{

class TestHttpServer;
struct HttpReply;
struct HttpRequest;

/**
 * A reverse proxy on 127.0.0.1 in front of a registry that adds a challenge to every 401: the
 * registry's one WWW-Authenticate header (Bearer) is preceded by another header carrying
 * @p extraChallenge (say `Basic realm="legacy"`), so that clients see several challenges in
 * several headers, as behind some load balancers. Requests are forwarded one per connection,
 * bodies buffered (fine for test images).
 */
class ChallengeProxy final
{
public:
    ChallengeProxy(quint16 registryPort, QByteArray extraChallenge);
    ~ChallengeProxy();
    Q_DISABLE_COPY_MOVE(ChallengeProxy)

    bool start(QString *error = nullptr);
    /** "127.0.0.1:PORT", to use instead of the registry's host. */
    QString host() const;
    /** How many 401 answers got the extra challenge. */
    int challengesAdded() const { return m_added; }

private:
    HttpReply forward(const HttpRequest &request);

    quint16 m_registryPort;
    QByteArray m_extraChallenge;
    std::unique_ptr<TestHttpServer> m_http;
    std::atomic<int> m_added{0};
};

} // namespace Restack::Test
