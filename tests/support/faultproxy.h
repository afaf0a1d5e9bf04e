// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace Restack::Test
{

namespace Detail
{
struct FaultProxyState;
class FaultProxyServer;
} // namespace Detail

/** What FaultProxy does to a request a FaultRule selects. Make one with the static functions. */
struct Fault
{
    enum class Kind {
        TooManyRequests,       ///< answer 429 with Retry-After and a TOOMANYREQUESTS error body; nothing forwarded
        ServerError,           ///< answer 500, 502 or 503 with a registry-style error body; nothing forwarded
        ResetMidBody,          ///< forward; send the headers and bodyBytes of the body, then RST the connection
        Stall,                 ///< send nothing (or the upstream headers and bodyBytes) and hold the connection
        TruncateBody,          ///< forward; send the full Content-Length but only bodyBytes of the body, then FIN
        CorruptBody,           ///< forward; change one byte of the body, same length, headers untouched
        StripDigest,           ///< forward; remove Docker-Content-Digest from the response
        RedirectToStorage,     ///< GET/HEAD /v2/<name>/blobs/<digest>: 307 to the proxy's storage server on 127.0.0.2
        RewriteUploadLocation, ///< forward; make an upload Location relative or absolute, optionally without query
        PaginateListing,       ///< GET tags/list or _catalog: pages of pageSize linked by opaque next= tokens
        Delay,                 ///< forward; send the response durationMs later
    };

    /** The Location shapes of Fault::rewriteUploadLocation(). */
    enum class LocationStyle {
        Absolute, ///< "http://127.0.0.1:PROXYPORT/v2/<name>/blobs/uploads/<uuid>?_state=..."
        Relative, ///< "/v2/<name>/blobs/uploads/<uuid>?_state=..." (RFC 3986 absolute-path reference)
    };

    Kind kind = Kind::Delay;
    int status = 0;                ///< ServerError: the HTTP status
    int retryAfterSeconds = 1;     ///< TooManyRequests: the Retry-After value; negative: no Retry-After header
    qint64 bodyBytes = -1;         ///< ResetMidBody, TruncateBody, Stall: body bytes sent first; -1: half the body
    bool sendHeaders = false;      ///< Stall: forward the request and send the upstream's headers before holding
    int durationMs = 0;            ///< Stall: hold time before closing (0: until the client or stop()); Delay: delay
    LocationStyle location = LocationStyle::Absolute; ///< RewriteUploadLocation
    bool stripQuery = false;       ///< RewriteUploadLocation: drop the query (the proxy re-adds it upstream)
    int pageSize = 0;              ///< PaginateListing: entries per page

    /** 429 Too Many Requests, Retry-After: @p retryAfterSeconds (negative: no header). */
    static Fault tooManyRequests(int retryAfterSeconds = 1);
    /** @p status with a JSON error body: UNAVAILABLE for 502, 503 and 504, else UNKNOWN (e.g. a 404 refusing a mount). */
    static Fault serverError(int status = 500);
    /** Response headers and @p bodyBytes of the body (-1: half), then the connection is reset (SO_LINGER 0). */
    static Fault resetMidBody(qint64 bodyBytes = -1);
    /**
     * Holds the connection without sending. With @p sendHeaders the request is forwarded and the
     * upstream's status line and headers (and @p bodyBytes of its body) are sent first; without, the
     * request is not forwarded at all. After @p durationMs (0: never) the connection is closed.
     */
    static Fault stall(bool sendHeaders = false, int durationMs = 0, qint64 bodyBytes = 0);
    /** The upstream's Content-Length but only @p bodyBytes of the body (-1: half), then a normal close. */
    static Fault truncateBody(qint64 bodyBytes = -1);
    /**
     * One byte of the body changed, length kept. A JSON body (first byte '{') gets a hex digit of
     * its first "sha256:" digest changed, so it stays valid JSON and only its digest tells; any other
     * body gets its middle byte inverted.
     */
    static Fault corruptBody();
    /** The response without its Docker-Content-Digest header. */
    static Fault stripDigest();
    /**
     * 307 Temporary Redirect to http://127.0.0.2:PORT/storage/<name>/blobs/<digest>?X-Amz-Signature=...,
     * served by the proxy's storage server (see FaultProxy::storageHost()).
     */
    static Fault redirectToStorage();
    /**
     * An upload Location (POST/PATCH .../blobs/uploads/ answers) in @p style. With @p stripQuery the
     * query (the registry's _state) is removed; the proxy remembers it per upload UUID and appends the
     * missing parameters to the next request for that UUID, so that the upload keeps working.
     */
    static Fault rewriteUploadLocation(LocationStyle style, bool stripQuery = false);
    /**
     * Answers GET /v2/<name>/tags/list and GET /v2/_catalog from the upstream's full list in pages of
     * @p pageSize, each linked to the next with `Link: </v2/...?next=TOKEN>; rel="next"`, TOKEN being
     * opaque base64url. A request carrying `last=` or an unknown token gets 400 PAGINATION_NUMBER_INVALID,
     * so a client must follow the link verbatim. The client's `n` is ignored.
     */
    static Fault paginateListing(int pageSize);
    /** The upstream's response, sent @p ms milliseconds after it arrived. */
    static Fault delay(int ms);

    /** A short name for logs: "429", "503", "reset", "stall", "truncate", "corrupt", "strip-digest", ... */
    QString name() const;
};

/**
 * Which requests get a Fault. A request matches when its method and path match; among the matching
 * requests onlyNth, firstN and probability select those the fault is applied to. Rules are tried
 * in the order they were added, and the first one that selects a request applies its fault (one fault
 * per request); every rule still counts the requests it matches.
 */
struct FaultRule
{
    FaultRule() = default;
    /**
     * A rule applying @p fault to every request with @p method on a path matching @p pathPattern
     * (and, when not empty, a query matching @p queryPattern).
     */
    FaultRule(QString method, QString pathPattern, Fault fault, QString queryPattern = {});

    QString method;            ///< "GET", "HEAD", ... (case-insensitive); empty: every method
    QString pathPattern;       ///< regular expression matched against the whole path (no query); empty: any
    QString queryPattern;      ///< regular expression matched against the whole query (no '?'); empty: any
    int onlyNth = 0;           ///< > 0: only the Nth matching request (1-based)
    int firstN = 0;            ///< > 0: only the first N matching requests
    double probability = 1.0;  ///< < 1: each otherwise selected request with this probability
    quint32 seed = 1;          ///< seeds the rule's own QRandomGenerator: one draw per matching request
    Fault fault;
};

/** One request as FaultProxy received it, and what it did with it. */
struct ProxyRequest
{
    qint64 sequence = 0;    ///< 1, 2, ... in order of arrival, over the proxy's lifetime
    int connection = 0;     ///< number of the client connection it came on (1, 2, ...), for keep-alive checks
    QDateTime time;         ///< when it had been read whole (UTC)
    bool storage = false;   ///< received by the storage server (127.0.0.2), not the registry proxy
    QString method;
    QString uri;            ///< path and query as received
    QString path;           ///< uri without the query
    QList<QPair<QByteArray, QByteArray>> headers; ///< as received, in order
    bool hasAuthorization = false;
    qint64 bodySize = 0;    ///< request body bytes (after de-chunking)
    bool chunked = false;   ///< the request body came with Transfer-Encoding: chunked
    int ruleId = 0;         ///< the FaultRule applied, 0: none
    QString fault;          ///< Fault::name() of the applied fault; empty: none
    QString forwardedUri;   ///< path and query sent upstream (upload query re-added); empty: not forwarded
    bool upstreamChunked = false; ///< the upstream answered with Transfer-Encoding: chunked
    int status = 0;         ///< status line sent to the client; 0: none (yet), e.g. a silent stall

    /** The first header named @p name (case-insensitive); empty when absent. */
    QByteArray header(const QByteArray &name) const;
};

/**
 * A fault-injecting reverse proxy for a plain-HTTP registry (typically a RegistryFixture), for the
 * faults a real registry cannot produce. It listens on 127.0.0.1 (free port) and clients talk to
 * it as if it were the registry: http://host()/v2/... Each request is read whole (Content-Length or
 * chunked; "Expect: 100-continue" answered), forwarded on a fresh upstream connection (Host
 * rewritten, hop-by-hop headers dropped), the whole upstream response read (Content-Length,
 * chunked or until close), the fault applied, and the response re-framed with Content-Length on the
 * client's keep-alive connection. Absolute URLs pointing at the upstream in Location, Link and
 * WWW-Authenticate are rewritten to point at the proxy.
 *
 * A second listener on 127.0.0.2 (free port) plays object storage for Fault::redirectToStorage():
 * it serves GET/HEAD of the redirected blob (Range forwarded) from the upstream, with the
 * credentials of the redirected request, and answers 403 to any request that carries an
 * Authorization header (recorded: storageSawAuthorization()).
 *
 * The proxy serves from its own QThread, so it keeps answering while the test thread blocks (e.g.
 * QProcess::waitForFinished on the restack CLI or skopeo). Every public function is thread-safe.
 * Bodies are held in memory (tens of MiB are fine).
 */
class FaultProxy final
{
public:
    /** A proxy for @p upstreamHost ("127.0.0.1:PORT"); nothing listens until start(). */
    explicit FaultProxy(QString upstreamHost);
    /** stop()s. */
    ~FaultProxy();
    Q_DISABLE_COPY_MOVE(FaultProxy)

    /**
     * Starts the proxy thread and both listeners. Returns false and sets @p error (when not null)
     * if 127.0.0.1 cannot be listened on. A storage listener that cannot bind 127.0.0.2 is only a
     * warning: storageHost() is then empty and redirect faults do not apply. A no-op while running.
     */
    bool start(QString *error = nullptr);
    /** Closes every connection and both listeners and ends the thread. Rules and log are kept. */
    void stop();
    /** True between start() and stop(). */
    bool isRunning() const;

    /** "127.0.0.1:PORT", the registry host clients use. Empty before start(). */
    QString host() const;
    /** The proxy's port; 0 before start(). */
    quint16 port() const;
    /** "http://127.0.0.1:PORT". */
    QString baseUrl() const;
    /** "127.0.0.2:PORT" of the storage server; empty before start() or when it could not listen. */
    QString storageHost() const;
    /** The upstream given to the constructor. */
    QString upstreamHost() const;

    /** Adds @p rule after the existing ones; returns its id (> 0), or 0 for an invalid path pattern. */
    int addRule(const FaultRule &rule);
    /** Removes rule @p id (unknown ids are ignored). */
    void removeRule(int id);
    /** Removes every rule and forgets remembered upload queries; counters of removed rules are lost. */
    void clearRules();
    /** How many requests rule @p id matched (method and path); 0 for unknown ids. */
    int ruleMatches(int id) const;
    /** How many requests rule @p id applied its fault to; 0 for unknown ids. */
    int ruleHits(int id) const;

    /** Every request received since the last clearRequestLog(), oldest first. */
    QList<ProxyRequest> requestLog() const;
    /** Empties the request log (sequence numbers go on) and resets storageSawAuthorization(). */
    void clearRequestLog();
    /**
     * Waits up to @p timeoutMs milliseconds, processing the caller's events, for a logged request
     * satisfying @p predicate, and returns it (as it is then); nullopt on timeout.
     */
    std::optional<ProxyRequest> waitForRequest(const std::function<bool(const ProxyRequest &)> &predicate,
                                               int timeoutMs = 5000) const;
    /** One "#SEQ [storage] METHOD URI -> STATUS [fault]" line per logged request, for failure messages. */
    QString describeRequestLog() const;

    /** True when the storage server received a request with an Authorization header since the last clear. */
    bool storageSawAuthorization() const;

private:
    std::shared_ptr<Detail::FaultProxyState> m_state;
    std::unique_ptr<QThread> m_thread;
    Detail::FaultProxyServer *m_server = nullptr; ///< lives in m_thread, deleted when it finishes
};

} // namespace Restack::Test
