// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "challengeproxy.h"

#include <QHostAddress>
#include <QTcpSocket>

#include "testhttpserver.h"

namespace Restack::Test
{

ChallengeProxy::ChallengeProxy(quint16 registryPort, QByteArray extraChallenge)
    : m_registryPort(registryPort)
    , m_extraChallenge(std::move(extraChallenge))
{
}

ChallengeProxy::~ChallengeProxy() = default;

bool ChallengeProxy::start(QString *error)
{
    m_http = std::make_unique<TestHttpServer>([this](const HttpRequest &request) { return forward(request); });
    return m_http->start(error);
}

QString ChallengeProxy::host() const
{
    return m_http ? QStringLiteral("127.0.0.1:%1").arg(m_http->port()) : QString();
}

HttpReply ChallengeProxy::forward(const HttpRequest &request)
{
    // Runs on the proxy's own thread: blocking socket calls are fine there.
    QByteArray out = request.method + ' ' + request.target + " HTTP/1.1\r\n";
    for (const auto &header : request.headers) {
        if (header.first.compare("Connection", Qt::CaseInsensitive) != 0)
            out += header.first + ": " + header.second + "\r\n";
    }
    out += "Connection: close\r\n\r\n" + request.body;

    HttpReply reply;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_registryPort);
    if (!socket.waitForConnected(5000)) {
        reply.status = 502;
        return reply;
    }
    socket.write(out);
    QByteArray response;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(30000))
        response += socket.readAll();
    response += socket.readAll();

    const qsizetype end = response.indexOf("\r\n\r\n");
    if (end > 0 && response.startsWith("HTTP/1.1 401")) {
        const qsizetype at = response.toLower().indexOf("\r\nwww-authenticate:");
        if (at > 0 && at < end) {
            response.insert(at, "\r\nWWW-Authenticate: " + m_extraChallenge);
            ++m_added;
        }
    }
    reply.raw = response;
    return reply;
}

} // namespace Restack::Test
