// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkReply>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <optional>

#include "common/result.h"
#include "registry/task.h"

namespace Restack::Registry
{

class Client;

/** One HTTP request to a registry, as the typed Client operations describe it. */
struct Request
{
    QByteArray method = "GET";
    QString registry;          ///< registry as named ("docker.io", "localhost:5000")
    QString path;              ///< "/v2/..." relative to the registry's API base; ignored when url is set
    QUrl url;                  ///< absolute URL (an upload Location, a next page), resolved already
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QStringList scopes;        ///< token scopes the request needs ("repository:NAME:pull,push")
    QString kind;              ///< statistics key, e.g. "manifest GET"
    qint64 maxBodyBytes = -1;  ///< refuse (TooLarge) a response body over this many bytes; -1 = no cap
    bool followRedirects = false; ///< follow 3xx (blob GET/HEAD); Authorization is dropped on a host change
    bool streamBody = false;   ///< deliver a 2xx body through dataAvailable()/read() instead of buffering it
    /**
     * Whether sending the request twice does no harm; unset: GET, HEAD, DELETE and manifest PUTs
     * are, uploads (POST, PATCH, blob PUT) are not. Idempotent requests are retried after
     * transport failures and 5xx; every request is retried after 429.
     */
    std::optional<bool> idempotent;
};

/** A registry's HTTP answer (any status: callers map error statuses to Errors). */
struct Response
{
    int status = 0;
    QUrl url; ///< the URL that answered (after redirects)
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray body;
    int attempts = 1; ///< how many times the request was sent (retries after transient failures)
    bool retried = false; ///< a 429/5xx answer that the call's retry policy already covered (see Error::retried)

    /** The value of header @p name (case-insensitive), empty when absent. */
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};

/**
 * One logical request: it adds the registry's authorization (fetching a bearer token first when
 * needed), answers a 401 challenge once with fresh credentials, follows redirects when asked
 * (capped at 5 hops, never sending Authorization to another host), chooses HTTPS or, for
 * loopback and insecure registries, falls back to plain HTTP, and applies the transfer timeout.
 * Transport failures become Errors (Network, Tls, Timeout, Cancelled, TooLarge); HTTP statuses
 * are returned as Responses.
 */
class HttpCall final : public Task
{
    Q_OBJECT

public:
    HttpCall(Client *client, Request request, QObject *parent);
    ~HttpCall() override;

    void start();
    void abort() override;
    void finishWithoutRetrying() override;

    const Request &request() const { return m_request; }
    /** Valid once finished() was emitted. */
    const Result<Response> &result() const { return m_result; }

    // Streaming (Request::streamBody): after a 2xx status, body bytes arrive through these.
    int status() const;
    qint64 bytesAvailable() const;
    QByteArray read(qint64 maxBytes);
    /** True when the whole body has arrived (it may still be partly unread). */
    bool transferComplete() const { return m_transferComplete; }
    /**
     * While the consumer is busy (uploading what it read), the stall timeout is suspended so that
     * back-pressure is not mistaken for a stalled transfer.
     */
    void setConsumerBusy(bool busy);

Q_SIGNALS:
    /** Streaming only: more body bytes can be read. */
    void dataAvailable();

private:
    void send();
    void sendNow();
    bool isIdempotent() const;
    /** Whether this call's own retry policy covers a failure with @p status (0: no HTTP answer). */
    bool retriesApply(int status) const;
    bool isRegistryHost(const QUrl &url) const;
    /** Schedules another attempt when the failure is transient and the budget allows; false otherwise. */
    bool retryLater(int status, const QByteArray &retryAfter);
    void restart();
    void onReadyRead();
    void onFinished();
    void finish(Result<Response> result);
    QUrl targetUrl() const;
    bool streamingActive() const;

    Client *m_client;
    Request m_request;
    QUrl m_url;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_body;
    Result<Response> m_result = Error::make(Error::Kind::Internal, QStringLiteral("request not finished"));
    QTimer m_stallTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    QElapsedTimer m_attemptClock; ///< since this attempt was sent (the --verbose log's duration)
    int m_attempt = 1;
    bool m_delivered = false;
    QString m_scheme;
    int m_redirects = 0;
    bool m_authRetried = false;
    bool m_sendAuthorization = true;
    bool m_usedAuthorization = false;
    bool m_aborted = false;
    bool m_finalAttempt = false; ///< finishWithoutRetrying(): the request in flight is the last one sent
    bool m_timedOut = false;
    bool m_tooLarge = false;
    bool m_finished = false;
    bool m_transferComplete = false;
    bool m_consumerBusy = false;
    QList<QSslError> m_sslErrors;
};

} // namespace Restack::Registry
