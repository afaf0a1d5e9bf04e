// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/httpcall.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QNetworkAccessManager>
#include <QNetworkRequest>

#include "registry/client.h"

Q_LOGGING_CATEGORY(lcHttp, "restack.registry.http", QtWarningMsg)

namespace Restack::Registry
{

namespace
{
constexpr int MaxRedirects = 5;
constexpr qint64 MaxErrorBodyBytes = 64 * 1024;

QString hostPort(const QUrl &url)
{
    return url.host().toLower() + QLatin1Char(':') + QString::number(url.port(url.scheme() == QLatin1String("http") ? 80 : 443));
}

// URL without query, for logs: upload locations carry opaque state we need not print.
QString loggable(const QUrl &url)
{
    return url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
}
} // namespace

QByteArray Response::header(QByteArrayView name) const
{
    for (const auto &pair : headers) {
        if (QByteArrayView(pair.first).compare(name, Qt::CaseInsensitive) == 0)
            return pair.second;
    }
    return {};
}

bool Response::hasHeader(QByteArrayView name) const
{
    for (const auto &pair : headers) {
        if (QByteArrayView(pair.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpCall::HttpCall(Client *client, Request request, QObject *parent)
    : Task(parent)
    , m_client(client)
    , m_request(std::move(request))
{
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &HttpCall::restart);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        if (m_reply && !m_consumerBusy) {
            m_timedOut = true;
            m_reply->abort();
        }
    });
}

HttpCall::~HttpCall()
{
    // The reply is a child: deleting it stops its transfer. No abort(): see abort().
    if (m_reply)
        m_reply->disconnect(this);
}

QUrl HttpCall::targetUrl() const
{
    if (m_request.url.isValid())
        return m_request.url;
    QUrl url = m_client->baseUrl(m_request.registry);
    const qsizetype q = m_request.path.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        url.setPath(m_request.path.left(q));
        url.setQuery(m_request.path.mid(q + 1), QUrl::StrictMode);
    } else {
        url.setPath(m_request.path);
    }
    return url;
}

void HttpCall::start()
{
    m_clock.start();
    m_url = targetUrl();
    m_sendAuthorization = isRegistryHost(m_url);
    // URLs the registry handed out (upload Locations, next pages) must not downgrade to plain HTTP.
    if (m_request.url.isValid() && m_url.scheme() != QLatin1String("https")
        && !(m_url.scheme() == QLatin1String("http")
             && (m_client->mayUsePlainHttp(m_request.registry)
                 || m_client->baseUrl(m_request.registry).scheme() == QLatin1String("http")))) {
        finish(Error::make(Error::Kind::Http, QStringLiteral("%1: the registry pointed to %2, which is not https")
                                                  .arg(QString::fromLatin1(m_request.method), loggable(m_url)))
                   .at(m_request.registry));
        return;
    }
    send();
}

bool HttpCall::isRegistryHost(const QUrl &url) const
{
    // The registry's credentials go to the registry's own host and port only: never to storage
    // hosts a blob GET is redirected to, nor to whatever host a Link or Location names.
    return hostPort(url) == hostPort(m_client->baseUrl(m_request.registry));
}

void HttpCall::restart()
{
    m_redirects = 0;
    m_authRetried = false;
    m_timedOut = false;
    m_sslErrors.clear();
    m_url = targetUrl();
    m_sendAuthorization = isRegistryHost(m_url);
    send();
}

bool HttpCall::isIdempotent() const
{
    if (m_request.idempotent)
        return *m_request.idempotent;
    const QByteArray &method = m_request.method;
    if (method == "GET" || method == "HEAD" || method == "DELETE")
        return true;
    // A manifest PUT stores the same bytes under the same name however often it is sent.
    return method == "PUT" && !m_request.url.isValid() && m_request.path.contains(QLatin1String("/manifests/"));
}

bool HttpCall::retriesApply(int status) const
{
    // The conditions of retryLater() that do not change from one attempt to the next.
    return !m_aborted && !m_delivered && m_client->options().maxAttempts > 1 && (status == 429 || isIdempotent());
}

bool HttpCall::retryLater(int status, const QByteArray &retryAfter)
{
    const ClientOptions &options = m_client->options();
    if (m_aborted || m_finalAttempt || m_delivered || m_attempt >= options.maxAttempts)
        return false;
    if (status != 429 && !isIdempotent()) {
        // Opening an upload session or mounting stores nothing the registry keeps when it fails
        // with 5xx; other uploads are restarted as a whole by their task instead.
        const bool opensSession = m_request.method == "POST" && m_request.body.isEmpty() && status >= 500;
        if (!opensSession)
            return false;
    }
    qint64 delay = qMin<qint64>(options.retryMaxDelayMs, qint64(options.retryBaseDelayMs) << qMin(m_attempt - 1, 20));
    delay = qint64(delay * (0.5 + QRandomGenerator::global()->generateDouble())); // jitter: spread retries out
    if (!retryAfter.isEmpty()) {
        bool seconds = false;
        const qint64 wait = retryAfter.trimmed().toLongLong(&seconds);
        if (seconds) {
            delay = wait * 1000;
        } else {
            const QDateTime when = QDateTime::fromString(QString::fromLatin1(retryAfter).trimmed(), Qt::RFC2822Date);
            if (when.isValid())
                delay = qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
        }
    }
    if (m_clock.elapsed() + delay > options.retryBudgetMs)
        return false;
    ++m_attempt;
    m_client->countRetry();
    qCDebug(lcHttp).noquote() << m_request.method << loggable(m_url) << "retry" << m_attempt << "in" << delay << "ms";
    m_retryTimer.start(int(delay));
    return true;
}

void HttpCall::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    if (m_retryTimer.isActive()) {
        m_retryTimer.stop();
        finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
        return;
    }
    if (m_reply) {
        // Deleting the reply stops its transfer. QNetworkReply::abort() is not used: on a reply whose
        // answer has arrived but not yet been delivered, Qt would report the error twice.
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->deleteLater();
    }
    finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void HttpCall::finishWithoutRetrying()
{
    if (m_finished)
        return;
    if (!m_reply)
        return abort(); // nothing at the registry now: waiting for a token or for a retry's delay
    m_finalAttempt = true;
}

void HttpCall::send()
{
    // Every path that sends again (a retry, a redirect, the other scheme) comes here, except the
    // answer to a 401 challenge (below, in onFinished).
    if (m_finalAttempt) {
        finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
        return;
    }
    if (!m_sendAuthorization) {
        sendNow();
        return;
    }
    m_client->prepareAuthorization(m_request.registry, m_request.scopes, this, [this](Result<void> ready) {
        if (m_aborted) {
            finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
            return;
        }
        if (!ready.ok()) {
            finish(ready.error());
            return;
        }
        sendNow();
    });
}

void HttpCall::sendNow()
{
    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // HTTP/1.1 only: Qt 6.4's HTTP/2 stack hangs until the transfer timeout when a registry ends the
    // TLS 1.3 session with an alert (a client certificate it requires and did not get).
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setRawHeader("User-Agent", QByteArrayLiteral("restack/" RESTACK_VERSION));
    if (!m_request.streamBody)
        request.setTransferTimeout(m_client->options().transferTimeoutMs);
    for (const auto &header : m_request.headers)
        request.setRawHeader(header.first, header.second);
    m_usedAuthorization = false;
    if (m_sendAuthorization) {
        const QByteArray authorization = m_client->authorization(m_request.registry, m_request.scopes);
        if (!authorization.isEmpty()) {
            request.setRawHeader("Authorization", authorization);
            m_usedAuthorization = true;
        }
    }
    if (!m_request.body.isEmpty() || m_request.method == "PUT" || m_request.method == "POST"
        || m_request.method == "PATCH") {
        if (!request.hasRawHeader("Content-Type"))
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
        request.setHeader(QNetworkRequest::ContentLengthHeader, m_request.body.size());
    }
    if (m_url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(m_client->sslConfiguration(m_request.registry, m_url));

    m_body.clear();
    m_transferComplete = false;
    m_scheme = m_url.scheme();
    m_client->countRequest(m_request.kind, m_request.body.size());
    qCDebug(lcHttp).noquote() << m_request.method << loggable(m_url);
    m_attemptClock.start();

    QNetworkAccessManager *network = m_client->network();
    QNetworkReply *reply = nullptr;
    if (m_request.method == "GET")
        reply = network->get(request);
    else if (m_request.method == "HEAD")
        reply = network->head(request);
    else
        reply = network->sendCustomRequest(request, m_request.method, m_request.body);
    m_reply = reply;
    reply->setParent(this);
    if (m_request.streamBody) {
        // Back-pressure: Qt stops reading the socket once this much is buffered and unread.
        reply->setReadBufferSize(1024 * 1024);
        m_stallTimer.start(m_client->options().transferTimeoutMs);
    }
    connect(reply, &QNetworkReply::readyRead, this, &HttpCall::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &HttpCall::onFinished);
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        m_sslErrors = errors;
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] {
        if (!m_reply || m_request.maxBodyBytes < 0)
            return;
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (status >= 200 && status < 300 && m_request.method != "HEAD" && length > m_request.maxBodyBytes) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
}

int HttpCall::status() const
{
    return m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
}

bool HttpCall::streamingActive() const
{
    if (!m_request.streamBody || !m_reply)
        return false;
    const int s = status();
    return s >= 200 && s < 300;
}

void HttpCall::onReadyRead()
{
    // An aborted reply emits finished() synchronously and is closed: nothing is left to read.
    if (!m_reply || !m_reply->isOpen() || m_aborted || m_tooLarge)
        return;
    if (streamingActive()) {
        if (!m_consumerBusy)
            m_stallTimer.start(m_client->options().transferTimeoutMs);
        Q_EMIT dataAvailable();
        return;
    }
    const qint64 cap = m_request.streamBody ? MaxErrorBodyBytes : m_request.maxBodyBytes;
    const QByteArray chunk = m_reply->readAll();
    m_client->countReceived(chunk.size());
    if (cap >= 0 && m_body.size() + chunk.size() > cap) {
        const int s = status();
        if (s >= 200 && s < 300) {
            m_tooLarge = true;
            m_reply->abort();
            return;
        }
        // An oversized error page: keep its start, that is enough to report it.
        m_body += chunk.left(qMax<qint64>(0, cap - m_body.size()));
        return;
    }
    m_body += chunk;
}

qint64 HttpCall::bytesAvailable() const
{
    return streamingActive() ? m_reply->bytesAvailable() : 0;
}

QByteArray HttpCall::read(qint64 maxBytes)
{
    if (!streamingActive())
        return {};
    const QByteArray data = m_reply->read(maxBytes);
    m_client->countReceived(data.size());
    if (!data.isEmpty())
        m_delivered = true; // from here on a failure is the consumer's to recover from
    return data;
}

void HttpCall::setConsumerBusy(bool busy)
{
    m_consumerBusy = busy;
    if (!m_request.streamBody || m_transferComplete)
        return;
    if (busy)
        m_stallTimer.stop();
    else
        m_stallTimer.start(m_client->options().transferTimeoutMs);
}

void HttpCall::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_stallTimer.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString registry = m_request.registry;

    if (!m_request.streamBody || !streamingActive())
        onReadyRead(); // collect what is left of a buffered body

    if (lcHttp().isDebugEnabled()) {
        // "-> 404 Not Found (3 ms)"; a transport failure has no status: "-> Connection refused (1 ms)".
        const QString outcome = status != 0
            ? QString::number(status) + QLatin1Char(' ')
                + reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()
            : reply->errorString();
        qCDebug(lcHttp).noquote() << m_request.method << loggable(m_url) << "->" << outcome
                                  << QStringLiteral("(%1 ms)").arg(m_attemptClock.elapsed());
    }

    if (m_aborted) {
        reply->deleteLater();
        m_reply = nullptr;
        finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
        return;
    }
    if (m_tooLarge) {
        reply->deleteLater();
        m_reply = nullptr;
        finish(Error::make(Error::Kind::TooLarge,
                           QStringLiteral("%1 %2: the response is larger than the %3 bytes Restack accepts here")
                               .arg(QString::fromLatin1(m_request.method), loggable(m_url))
                               .arg(m_request.maxBodyBytes)));
        return;
    }
    if (status == 0) {
        // No HTTP answer at all.
        const QString url = loggable(m_url);
        reply->deleteLater();
        m_reply = nullptr;
        // TLS failures: certificate errors, a failed handshake, or an alert after it (TLS 1.3
        // reports a refused client certificate only on the first read).
        const bool tls = !m_sslErrors.isEmpty() || networkError == QNetworkReply::SslHandshakeFailedError
            || (m_scheme == QLatin1String("https") && reply->errorString().contains(QLatin1String("SSL routines")));
        const bool unreachable = networkError == QNetworkReply::ConnectionRefusedError
            || networkError == QNetworkReply::HostNotFoundError;
        const bool stalled = m_timedOut || networkError == QNetworkReply::OperationCanceledError
            || networkError == QNetworkReply::TimeoutError;
        // Something answered, but not in this scheme's protocol: a registry that may speak the
        // other one (loopback or --insecure) is asked again in it. A refused connection or a
        // stall says nothing about the scheme.
        if (!unreachable && !stalled && !m_request.url.isValid() && m_client->switchScheme(registry, m_scheme)) {
            m_url = targetUrl();
            send();
            return;
        }
        // A host that does not resolve will not; a refused connection gets one more chance (a
        // registry restarting); other transport failures the usual retries.
        const bool retryable = !tls && networkError != QNetworkReply::HostNotFoundError
            && !(networkError == QNetworkReply::ConnectionRefusedError && m_attempt >= 2);
        if (retryable && retryLater(0, {}))
            return;
        const QString attempts = m_attempt > 1 ? QStringLiteral(" (after %1 attempts)").arg(m_attempt) : QString();
        if (stalled) {
            finish(Error::make(Error::Kind::Timeout,
                               QStringLiteral("%1 %2: no data for %3 s (transfer timed out)%4")
                                   .arg(QString::fromLatin1(m_request.method), url)
                                   .arg(m_client->options().transferTimeoutMs / 1000.0)
                                   .arg(attempts),
                               QStringLiteral("check the network or the registry, then retry"))
                       .at(registry));
            return;
        }
        if (tls) {
            QStringList reasons;
            for (const QSslError &e : std::as_const(m_sslErrors))
                reasons << e.errorString();
            if (reasons.isEmpty())
                reasons << reply->errorString();
            const bool clientCertificate = reply->errorString().contains(QLatin1String("certificate"))
                && m_sslErrors.isEmpty();
            if (clientCertificate) {
                finish(Error::make(Error::Kind::Tls,
                                   QStringLiteral("%1 %2: TLS failed: the registry refused the connection (%3)")
                                       .arg(QString::fromLatin1(m_request.method), url, reasons.join(QStringLiteral("; "))),
                                   QStringLiteral("the registry may require a client certificate: pass --client-cert and "
                                                  "--client-key"))
                           .at(registry));
                return;
            }
            finish(Error::make(Error::Kind::Tls,
                               QStringLiteral("%1 %2: TLS failed: %3")
                                   .arg(QString::fromLatin1(m_request.method), url, reasons.join(QStringLiteral("; "))),
                               QStringLiteral("pass the registry's CA certificate with --ca-file (or install it system-wide); "
                                              "--insecure skips verification if you trust this registry"))
                       .at(registry));
            return;
        }
        QString hint = QStringLiteral("check that the registry address is right and the registry is running");
        if (networkError == QNetworkReply::HostNotFoundError)
            hint = QStringLiteral("check the registry host name");
        finish(Error::make(Error::Kind::Network,
                           QStringLiteral("%1 %2: %3%4").arg(QString::fromLatin1(m_request.method), url, reply->errorString(), attempts),
                           hint)
                   .at(registry));
        return;
    }

    if (status == 400 && m_scheme == QLatin1String("http") && !m_request.url.isValid()
        && !m_client->isSchemeConfirmed(registry) && !reply->hasRawHeader("Docker-Distribution-Api-Version")
        && m_client->switchScheme(registry, m_scheme)) {
        // A TLS port answering a plain-HTTP request ("Client sent an HTTP request to an HTTPS
        // server", "The plain HTTP request was sent to HTTPS port"; a HEAD gets no text at all):
        // a 400 without the registry API's header on first contact. Retry over HTTPS.
        reply->deleteLater();
        m_reply = nullptr;
        m_url = targetUrl();
        send();
        return;
    }
    m_client->confirmScheme(registry, m_scheme);

    if (status == 401 && m_sendAuthorization && !m_authRetried) {
        m_authRetried = true;
        Response unauthorized;
        unauthorized.status = status;
        unauthorized.url = m_url;
        unauthorized.headers = reply->rawHeaderPairs();
        unauthorized.body = m_body;
        const QByteArray challenge = reply->rawHeader("WWW-Authenticate");
        reply->deleteLater();
        m_reply = nullptr;
        m_client->answerChallenge(registry, challenge, m_request.scopes, m_usedAuthorization, this,
                                  [this, unauthorized](Result<bool> retry) {
                                      if (m_aborted || m_finalAttempt)
                                          finish(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
                                      else if (!retry.ok())
                                          finish(retry.error());
                                      else if (retry.value())
                                          sendNow();
                                      else
                                          finish(unauthorized);
                                  });
        return;
    }

    if (m_request.followRedirects && status >= 300 && status < 400 && status != 304) {
        const QByteArray location = reply->rawHeader("Location");
        reply->deleteLater();
        m_reply = nullptr;
        if (location.isEmpty()) {
            finish(Error::make(Error::Kind::Http, QStringLiteral("%1 %2: redirect %3 without a Location")
                                                      .arg(QString::fromLatin1(m_request.method), loggable(m_url))
                                                      .arg(status))
                       .at(registry));
            return;
        }
        if (++m_redirects > MaxRedirects) {
            finish(Error::make(Error::Kind::Http, QStringLiteral("%1 %2: more than %3 redirects")
                                                      .arg(QString::fromLatin1(m_request.method), loggable(m_url))
                                                      .arg(MaxRedirects))
                       .at(registry));
            return;
        }
        const QUrl next = m_url.resolved(QUrl::fromEncoded(location));
        if (next.scheme() != QLatin1String("https")
            && !(next.scheme() == QLatin1String("http") && (m_client->mayUsePlainHttp(registry) || m_scheme == QLatin1String("http")))) {
            finish(Error::make(Error::Kind::Http,
                               QStringLiteral("%1 %2: refusing a redirect to %3 (only https, or http for insecure registries)")
                                   .arg(QString::fromLatin1(m_request.method), loggable(m_url), loggable(next)))
                       .at(registry));
            return;
        }
        // Storage backends get pre-signed URLs: the registry's credentials must not follow.
        if (!isRegistryHost(next))
            m_sendAuthorization = false;
        m_url = next;
        send();
        return;
    }

    if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
        const QByteArray retryAfter = reply->rawHeader("Retry-After");
        if (retryLater(status, retryAfter)) {
            reply->deleteLater();
            m_reply = nullptr;
            return;
        }
    }

    if (m_request.streamBody && status >= 200 && status < 300) {
        // Keep the reply for reading; the consumer drains it.
        m_transferComplete = true;
        Response response;
        response.status = status;
        response.url = m_url;
        response.headers = reply->rawHeaderPairs();
        finish(response);
        return;
    }

    Response response;
    response.status = status;
    response.url = m_url;
    response.headers = reply->rawHeaderPairs();
    response.body = m_body;
    response.attempts = m_attempt;
    reply->deleteLater();
    m_reply = nullptr;
    finish(response);
}

void HttpCall::finish(Result<Response> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_stallTimer.stop();
    // Mark what this call's retries already covered, so that no operation around it starts over.
    if (!result.ok() && isTransient(result.error()) && retriesApply(0)) {
        Error error = result.error();
        error.retried = true;
        result = std::move(error);
    } else if (result.ok() && (result.value().status == 429 || result.value().status >= 500)
               && retriesApply(result.value().status)) {
        result.value().retried = true;
    }
    m_result = std::move(result);
    Q_EMIT finished();
}

} // namespace Restack::Registry
