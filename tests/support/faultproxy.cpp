// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "faultproxy.h"

#include <sys/socket.h>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cctype>
#include <utility>

namespace Restack::Test
{

using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace
{

/** How long the proxy waits for an upstream answer before giving the client a 502. */
constexpr int UpstreamTimeoutMs = 60000;
/** The longest request/status line or header line accepted. */
constexpr qsizetype MaxLineBytes = 64 * 1024;

QByteArray findHeader(const Headers &headers, const QByteArray &name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool containsHeader(const Headers &headers, const QByteArray &name)
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void removeHeader(Headers *headers, const QByteArray &name)
{
    headers->removeIf([&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void addHeader(Headers *headers, const QByteArray &name, const QByteArray &value)
{
    headers->append(qMakePair(name, value));
}

void setHeader(Headers *headers, const QByteArray &name, const QByteArray &value)
{
    removeHeader(headers, name);
    addHeader(headers, name, value);
}

/** Headers that describe one connection or one message's framing (RFC 9110 §7.6.1), never forwarded. */
bool isHopByHop(const QByteArray &name)
{
    static const QByteArrayList names = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
                                         "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
                                         "content-length", "expect"};
    return names.contains(name.toLower());
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

/** One HTTP/1.1 message, request or response, with its body de-framed. */
struct HttpMessage
{
    QByteArray method;  ///< requests
    QByteArray target;  ///< requests: the request-target as sent
    QByteArray version; ///< "HTTP/1.1"
    int status = 0;     ///< responses
    QByteArray reason;  ///< responses
    Headers headers;
    QByteArray body;
    bool chunked = false; ///< the body came with Transfer-Encoding: chunked

    QByteArray header(const QByteArray &name) const { return findHeader(headers, name); }
    bool hasHeader(const QByteArray &name) const { return containsHeader(headers, name); }
};

/**
 * Incremental HTTP/1.1 message parser (RFC 9112): start line, header fields, then a body framed by
 * chunked transfer coding, Content-Length, or (responses only) the end of the connection. Requests
 * may be pipelined: every complete message is queued.
 */
class HttpReader
{
public:
    enum class Kind { Request, Response };

    explicit HttpReader(Kind kind)
        : m_kind(kind)
    {
    }

    /** Responses: the method of the request answered (a HEAD answer has no body). */
    void setRequestMethod(const QByteArray &method) { m_requestMethod = method; }

    void feed(const QByteArray &data)
    {
        m_buffer.append(data);
        parse();
    }

    /** The peer closed the connection: completes a body read until close, or fails a partial message. */
    void finish()
    {
        m_eof = true;
        parse();
        if (m_state != State::StartLine && m_state != State::Failed)
            fail(QStringLiteral("connection closed in the middle of a message"));
        else if (m_state == State::StartLine && m_pos < m_buffer.size())
            fail(QStringLiteral("connection closed in the middle of a start line"));
    }

    bool hasMessage() const { return !m_ready.isEmpty(); }
    HttpMessage take() { return m_ready.takeFirst(); }
    bool failed() const { return m_state == State::Failed; }
    QString errorString() const { return m_error; }

    /** True once per message whose head asked for "Expect: 100-continue" and whose body is still to come. */
    bool takeExpectContinue()
    {
        if (m_state == State::StartLine || m_state == State::Headers || m_state == State::Failed || m_continueTaken)
            return false;
        if (findHeader(m_message.headers, "Expect").compare("100-continue", Qt::CaseInsensitive) != 0)
            return false;
        m_continueTaken = true;
        return true;
    }

private:
    enum class State { StartLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Failed };

    qsizetype available() const { return m_buffer.size() - m_pos; }

    /** Takes one line (CRLF or bare LF) from the buffer; false when it is not complete yet. */
    bool readLine(QByteArray *line)
    {
        const qsizetype end = m_buffer.indexOf('\n', m_pos);
        if (end < 0) {
            if (available() > MaxLineBytes)
                fail(QStringLiteral("line longer than %1 bytes").arg(MaxLineBytes));
            return false;
        }
        qsizetype length = end - m_pos;
        if (length > 0 && m_buffer.at(end - 1) == '\r')
            --length;
        *line = m_buffer.mid(m_pos, length);
        m_pos = end + 1;
        return true;
    }

    void fail(const QString &message)
    {
        if (m_state == State::Failed)
            return;
        m_state = State::Failed;
        m_error = message;
    }

    bool parseStartLine(const QByteArray &line)
    {
        const QList<QByteArray> parts = line.split(' ');
        if (m_kind == Kind::Request) {
            if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1."))
                return false;
            m_message.method = parts.at(0);
            m_message.target = parts.at(1);
            m_message.version = parts.at(2);
            return true;
        }
        if (parts.size() < 2 || !parts.at(0).startsWith("HTTP/1."))
            return false;
        bool ok = false;
        m_message.version = parts.at(0);
        m_message.status = parts.at(1).toInt(&ok);
        m_message.reason = line.mid(parts.at(0).size() + parts.at(1).size() + 2);
        return ok && m_message.status >= 100 && m_message.status < 1000;
    }

    void beginBody()
    {
        if (m_kind == Kind::Response) {
            // Interim answers (100 Continue, 103 Early Hints) precede the real one.
            if (m_message.status >= 100 && m_message.status < 200 && m_message.status != 101) {
                m_message = {};
                m_state = State::StartLine;
                return;
            }
            if (m_requestMethod == "HEAD" || m_message.status == 204 || m_message.status == 304) {
                complete();
                return;
            }
        }
        if (m_message.header("Transfer-Encoding").toLower().contains("chunked")) {
            m_message.chunked = true;
            m_state = State::ChunkSize;
            return;
        }
        const QByteArray length = m_message.header("Content-Length");
        if (!length.isEmpty()) {
            bool ok = false;
            m_remaining = length.trimmed().toLongLong(&ok);
            if (!ok || m_remaining < 0) {
                fail(QStringLiteral("invalid Content-Length"));
                return;
            }
            m_message.body.reserve(qMin<qint64>(m_remaining, qint64(1) << 30));
            if (m_remaining == 0)
                complete();
            else
                m_state = State::Body;
            return;
        }
        if (m_kind == Kind::Request)
            complete();
        else
            m_state = State::UntilClose;
    }

    /** Moves up to m_remaining buffered bytes into the body; true when all of them were there. */
    bool readBodyBytes()
    {
        const qint64 count = qMin<qint64>(m_remaining, available());
        m_message.body.append(m_buffer.constData() + m_pos, count);
        m_pos += count;
        m_remaining -= count;
        return m_remaining == 0;
    }

    void complete()
    {
        m_ready.append(std::move(m_message));
        m_message = {};
        m_continueTaken = false;
        m_state = State::StartLine;
    }

    void parse()
    {
        bool progress = true;
        while (progress && m_state != State::Failed) {
            QByteArray line;
            switch (m_state) {
            case State::StartLine:
                // Requests start with a method token: anything else (a TLS ClientHello) fails at once.
                if (m_kind == Kind::Request && available() > 0 && m_pos < m_buffer.size()) {
                    const char first = m_buffer.at(m_pos);
                    if (!((first >= 'A' && first <= 'Z') || first == '\r' || first == '\n')) {
                        fail(QStringLiteral("not an HTTP request"));
                        break;
                    }
                }
                progress = readLine(&line);
                if (progress && !line.isEmpty()) { // empty lines before a message are ignored (RFC 9112 §2.2)
                    if (parseStartLine(line))
                        m_state = State::Headers;
                    else
                        fail(QStringLiteral("invalid start line"));
                }
                break;
            case State::Headers:
                progress = readLine(&line);
                if (!progress)
                    break;
                if (line.isEmpty()) {
                    beginBody();
                } else {
                    const qsizetype colon = line.indexOf(':');
                    if (colon <= 0)
                        fail(QStringLiteral("invalid header line"));
                    else
                        addHeader(&m_message.headers, line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
                }
                break;
            case State::Body:
                progress = readBodyBytes();
                if (progress)
                    complete();
                break;
            case State::ChunkSize: {
                progress = readLine(&line);
                if (!progress)
                    break;
                const qsizetype semicolon = line.indexOf(';');
                bool ok = false;
                m_remaining = (semicolon >= 0 ? line.left(semicolon) : line).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0)
                    fail(QStringLiteral("invalid chunk size"));
                else
                    m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
                break;
            }
            case State::ChunkData:
                progress = readBodyBytes();
                if (progress)
                    m_state = State::ChunkDataEnd;
                break;
            case State::ChunkDataEnd:
                progress = readLine(&line);
                if (progress) {
                    if (line.isEmpty())
                        m_state = State::ChunkSize;
                    else
                        fail(QStringLiteral("chunk data longer than its size"));
                }
                break;
            case State::Trailers:
                progress = readLine(&line);
                if (progress && line.isEmpty())
                    complete();
                break;
            case State::UntilClose:
                m_message.body.append(m_buffer.constData() + m_pos, available());
                m_pos = m_buffer.size();
                if (m_eof)
                    complete();
                progress = false;
                break;
            case State::Failed:
                progress = false;
                break;
            }
            if (m_eof && m_state == State::StartLine && m_pos >= m_buffer.size())
                break;
        }
        // Drop what was consumed (Qt 6 removes at the front without moving the rest when it can).
        if (m_pos > 0) {
            m_buffer.remove(0, m_pos);
            m_pos = 0;
        }
    }

    Kind m_kind;
    State m_state = State::StartLine;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    bool m_eof = false;
    bool m_continueTaken = false;
    qint64 m_remaining = 0;
    QByteArray m_requestMethod;
    HttpMessage m_message;
    QList<HttpMessage> m_ready;
    QString m_error;
};

QByteArray jsonError(const QByteArray &code, const QString &message)
{
    const QJsonObject error{{QStringLiteral("code"), QString::fromLatin1(code)},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("detail"), QStringLiteral("injected by the test suite's FaultProxy")}};
    return QJsonDocument(QJsonObject{{QStringLiteral("errors"), QJsonArray{error}}}).toJson(QJsonDocument::Compact);
}

HttpMessage makeResponse(int status, const QByteArray &body = {}, const QByteArray &contentType = {})
{
    HttpMessage response;
    response.version = "HTTP/1.1";
    response.status = status;
    response.reason = reasonPhrase(status);
    response.body = body;
    if (!contentType.isEmpty())
        addHeader(&response.headers, "Content-Type", contentType);
    return response;
}

HttpMessage errorResponse(int status, const QByteArray &code, const QString &message)
{
    HttpMessage response = makeResponse(status, jsonError(code, message), "application/json; charset=utf-8");
    addHeader(&response.headers, "Docker-Distribution-Api-Version", "registry/2.0");
    return response;
}

/** "/v2/<name>/blobs/uploads/<uuid>" → uuid; empty for other paths. */
QString uploadUuid(const QString &path)
{
    static const QRegularExpression pattern(QStringLiteral("/v2/.+/blobs/uploads/([^/?#]+)$"));
    const QRegularExpressionMatch match = pattern.match(path);
    return match.hasMatch() ? match.captured(1) : QString();
}

/** The path of a URL or URL reference (scheme and authority dropped, query and fragment cut). */
QString pathOf(const QString &reference)
{
    QString path = reference.section(QLatin1Char('?'), 0, 0).section(QLatin1Char('#'), 0, 0);
    if (path.startsWith(QLatin1String("http://")) || path.startsWith(QLatin1String("https://"))) {
        const qsizetype slash = path.indexOf(QLatin1Char('/'), path.indexOf(QLatin1String("//")) + 2);
        path = slash < 0 ? QStringLiteral("/") : path.mid(slash);
    }
    return path;
}

QString queryOf(const QString &reference)
{
    const qsizetype question = reference.indexOf(QLatin1Char('?'));
    return question < 0 ? QString() : reference.mid(question + 1).section(QLatin1Char('#'), 0, 0);
}

/** Appends to raw query @p query the parameters of @p remembered whose names it lacks, encodings kept. */
QString mergeQuery(const QString &query, const QString &remembered)
{
    QStringList items = query.isEmpty() ? QStringList() : query.split(QLatin1Char('&'));
    QStringList names;
    for (const QString &item : std::as_const(items))
        names.append(item.section(QLatin1Char('='), 0, 0));
    for (const QString &item : remembered.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        if (!names.contains(item.section(QLatin1Char('='), 0, 0)))
            items.append(item);
    }
    return items.join(QLatin1Char('&'));
}

/** See Fault::corruptBody(). */
void corrupt(QByteArray *body)
{
    if (body->isEmpty())
        return;
    if (body->startsWith('{')) {
        const qsizetype digest = body->indexOf("sha256:");
        const qsizetype at = digest + 7;
        if (digest >= 0 && at < body->size() && std::isxdigit(static_cast<unsigned char>(body->at(at)))) {
            (*body)[at] = body->at(at) == '0' ? '1' : '0';
            return;
        }
    }
    const qsizetype middle = body->size() / 2;
    (*body)[middle] = static_cast<char>(~static_cast<unsigned char>(body->at(middle)));
}

QByteArray pageTokenChecksum(const QString &path, qsizetype offset)
{
    return QCryptographicHash::hash(QByteArray(path.toUtf8() + '\n' + QByteArray::number(offset)),
                                    QCryptographicHash::Sha256)
        .toHex()
        .left(12);
}

/** An opaque next-page token for listing @p path from @p offset (base64url of "rsp1.OFFSET.CHECKSUM"). */
QByteArray pageToken(const QString &path, qsizetype offset)
{
    return QByteArray("rsp1." + QByteArray::number(offset) + '.' + pageTokenChecksum(path, offset))
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

/** The offset a pageToken() for @p path stands for; nullopt when it is not one. */
std::optional<qsizetype> pageOffset(const QString &path, const QByteArray &token)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        token, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QList<QByteArray> parts = decoded.decoded.split('.');
    if (parts.size() != 3 || parts.at(0) != "rsp1")
        return std::nullopt;
    bool ok = false;
    const qsizetype offset = parts.at(1).toLongLong(&ok);
    if (!ok || offset < 0 || parts.at(2) != pageTokenChecksum(path, offset))
        return std::nullopt;
    return offset;
}

/** The rel="next" target of a Link header value, or empty. Enough for what a registry writes. */
QString nextLinkTarget(const QByteArray &link)
{
    for (const QByteArray &entry : link.split(',')) {
        const qsizetype open = entry.indexOf('<');
        const qsizetype close = entry.indexOf('>', open + 1);
        if (open < 0 || close < 0)
            continue;
        const QByteArray params = entry.mid(close + 1).toLower().replace(' ', QByteArray());
        if (params.contains("rel=\"next\"") || params.contains("rel=next"))
            return QString::fromUtf8(entry.mid(open + 1, close - open - 1));
    }
    return {};
}

/** Where a storage redirect points and with which credentials the storage server fetches it. */
struct StorageObject
{
    QString repository;
    QString digest;
    QByteArray authorization; ///< of the redirected request, used upstream only
};

struct RuleState
{
    int id = 0;
    FaultRule rule;
    QRegularExpression path;
    QRegularExpression query;
    QRandomGenerator random;
    int matches = 0;
    int hits = 0;
};

/** The outcome of matching one request against the rules. */
struct Selection
{
    int ruleId = 0; ///< 0: no fault
    Fault fault;
};

/** Whether @p fault can do anything to @p method on @p path (redirects need a blob GET, ...). */
bool faultApplies(const Fault &fault, const QString &method, const QString &path, bool storageAvailable)
{
    static const QRegularExpression blob(QStringLiteral("^/v2/.+/blobs/[^/]+$"));
    static const QRegularExpression listing(QStringLiteral("^/v2/(.+/tags/list|_catalog)$"));
    switch (fault.kind) {
    case Fault::Kind::RedirectToStorage:
        return storageAvailable && (method == QLatin1String("GET") || method == QLatin1String("HEAD"))
            && blob.match(path).hasMatch() && !path.contains(QLatin1String("/blobs/uploads"));
    case Fault::Kind::PaginateListing:
        return method == QLatin1String("GET") && listing.match(path).hasMatch() && fault.pageSize > 0;
    default:
        return true;
    }
}

} // namespace

namespace Detail
{

/** Everything the test thread and the proxy thread share, behind one mutex. */
struct FaultProxyState
{
    mutable QMutex mutex;
    const QString upstreamHost;
    QString proxyHost;   ///< "127.0.0.1:PORT" while running
    QString storageHost; ///< "127.0.0.2:PORT" while running, if it could listen
    quint16 proxyPort = 0;

    QList<RuleState> rules;
    int nextRuleId = 1;
    QList<ProxyRequest> log;
    qint64 nextSequence = 1;
    int nextConnection = 1;
    bool storageSawAuthorization = false;
    QHash<QString, QString> uploadQueries; ///< upload UUID -> raw query the client was not shown
    QHash<QString, StorageObject> storageObjects; ///< token -> redirected blob
    quint64 nextToken = 1;

    explicit FaultProxyState(QString upstream)
        : upstreamHost(std::move(upstream))
    {
    }

    qint64 logRequest(int connection, bool storage, const HttpMessage &request, const QString &uri)
    {
        ProxyRequest entry;
        entry.connection = connection;
        entry.time = QDateTime::currentDateTimeUtc();
        entry.storage = storage;
        entry.method = QString::fromLatin1(request.method);
        entry.uri = uri;
        entry.path = uri.section(QLatin1Char('?'), 0, 0);
        entry.headers = request.headers;
        entry.hasAuthorization = request.hasHeader("Authorization");
        entry.bodySize = request.body.size();
        entry.chunked = request.chunked;
        const QMutexLocker locker(&mutex);
        entry.sequence = nextSequence++;
        if (storage && entry.hasAuthorization)
            storageSawAuthorization = true;
        log.append(entry);
        return entry.sequence;
    }

    /** Applies @p update to the log entry @p sequence, if it is still in the log. */
    void updateEntry(qint64 sequence, const std::function<void(ProxyRequest &)> &update)
    {
        const QMutexLocker locker(&mutex);
        for (qsizetype i = log.size() - 1; i >= 0; --i) {
            if (log.at(i).sequence == sequence) {
                update(log[i]);
                return;
            }
            if (log.at(i).sequence < sequence)
                return;
        }
    }

    /** The counter @p counter of rule @p id; 0 for unknown ids. */
    int ruleCounter(int id, int RuleState::*counter) const
    {
        const QMutexLocker locker(&mutex);
        for (const RuleState &rule : rules) {
            if (rule.id == id)
                return rule.*counter;
        }
        return 0;
    }

    Selection select(const QString &method, const QString &path, const QString &query)
    {
        const QMutexLocker locker(&mutex);
        Selection selection;
        for (RuleState &rule : rules) {
            if (!rule.rule.method.isEmpty() && rule.rule.method.compare(method, Qt::CaseInsensitive) != 0)
                continue;
            if (!rule.rule.pathPattern.isEmpty() && !rule.path.match(path).hasMatch())
                continue;
            if (!rule.rule.queryPattern.isEmpty() && !rule.query.match(query).hasMatch())
                continue;
            if (!faultApplies(rule.rule.fault, method, path, !storageHost.isEmpty()))
                continue;
            ++rule.matches;
            bool fire = (rule.rule.onlyNth <= 0 || rule.matches == rule.rule.onlyNth)
                && (rule.rule.firstN <= 0 || rule.matches <= rule.rule.firstN);
            // One draw per matching request, fired or not: the sequence depends on the seed alone.
            if (rule.rule.probability < 1.0)
                fire = rule.random.generateDouble() < rule.rule.probability && fire;
            if (fire && selection.ruleId == 0) {
                ++rule.hits;
                selection.ruleId = rule.id;
                selection.fault = rule.rule.fault;
            }
        }
        return selection;
    }
};

/** A connection to the upstream for one request: sends it, reads the whole answer, reports once. */
class UpstreamCall final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const HttpMessage &response, const QString &error)>;

    UpstreamCall(const QString &upstreamHost, const HttpMessage &request, Done done, QObject *parent)
        : QObject(parent)
        , m_reader(HttpReader::Kind::Response)
        , m_done(std::move(done))
        , m_socket(new QTcpSocket(this))
    {
        m_reader.setRequestMethod(request.method);
        m_request = serialize(upstreamHost, request);
        connect(m_socket, &QTcpSocket::connected, this, [this] { m_socket->write(m_request); });
        connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamCall::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            m_reader.feed(m_socket->readAll());
            m_reader.finish();
            if (m_reader.hasMessage())
                finish(m_reader.take(), {});
            else
                finish({}, QStringLiteral("upstream closed the connection: %1").arg(m_reader.errorString()));
        });
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                finish({}, QStringLiteral("upstream: %1").arg(m_socket->errorString()));
        });
        QTimer::singleShot(UpstreamTimeoutMs, this, [this] { finish({}, QStringLiteral("upstream timed out")); });
        const QString host = upstreamHost.section(QLatin1Char(':'), 0, -2);
        m_socket->connectToHost(host, upstreamHost.section(QLatin1Char(':'), -1).toUShort());
    }

    /** @p request as sent upstream: Host replaced, hop-by-hop headers dropped, Content-Length, close. */
    static QByteArray serialize(const QString &upstreamHost, const HttpMessage &request)
    {
        QByteArray out = request.method + ' ' + request.target + " HTTP/1.1\r\n";
        out += "Host: " + upstreamHost.toLatin1() + "\r\n";
        for (const auto &[name, value] : request.headers) {
            if (!isHopByHop(name) && name.compare("Host", Qt::CaseInsensitive) != 0)
                out += name + ": " + value + "\r\n";
        }
        if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH")
            out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
        out += "Connection: close\r\n\r\n";
        out += request.body;
        return out;
    }

private:
    void onReadyRead()
    {
        m_reader.feed(m_socket->readAll());
        if (m_reader.hasMessage())
            finish(m_reader.take(), {});
        else if (m_reader.failed())
            finish({}, QStringLiteral("invalid upstream answer: %1").arg(m_reader.errorString()));
    }

    void finish(const HttpMessage &response, const QString &error)
    {
        if (!m_done)
            return;
        const Done done = std::exchange(m_done, nullptr);
        m_socket->disconnect(this);
        m_socket->abort();
        deleteLater();
        done(response, error);
    }

    HttpReader m_reader;
    Done m_done;
    QTcpSocket *m_socket;
    QByteArray m_request;
};

/** What to send a client for one request, and how. */
struct Reply
{
    enum class Delivery {
        Full,     ///< the whole response
        Truncate, ///< head and `cut` body bytes, then a normal close
        Reset,    ///< head and `cut` body bytes, then RST
        Stall,    ///< head and `cut` body bytes, then nothing
        Silent,   ///< nothing at all
    };

    HttpMessage response;
    Delivery delivery = Delivery::Full;
    qint64 cut = 0;
    int holdMs = 0;  ///< Stall, Silent: close after this long; 0: never
    int delayMs = 0; ///< send this much later
};

/** One client connection, to the proxy or to the storage server; requests are answered in order. */
class ClientConnection final : public QObject
{
    Q_OBJECT

public:
    enum class Role { Proxy, Storage };

    ClientConnection(QTcpSocket *socket, Role role, std::shared_ptr<FaultProxyState> state, QObject *parent)
        : QObject(parent)
        , m_socket(socket)
        , m_role(role)
        , m_state(std::move(state))
        , m_reader(HttpReader::Kind::Request)
    {
        m_socket->setParent(this);
        {
            const QMutexLocker locker(&m_state->mutex);
            m_id = m_state->nextConnection++;
        }
        connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            m_gone = true;
            deleteLater();
        });
        onReadyRead();
    }

private:
    void onReadyRead()
    {
        if (m_gone)
            return;
        m_reader.feed(m_socket->readAll());
        processNext();
    }

    void processNext()
    {
        if (m_busy || m_gone || m_held)
            return;
        if (!m_reader.hasMessage() && m_reader.takeExpectContinue())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (!m_reader.hasMessage()) {
            if (m_reader.failed()) {
                // Garbage (e.g. a TLS ClientHello from a client probing https): answer like a plain server.
                m_held = true;
                m_socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                m_socket->disconnectFromHost();
            }
            return;
        }
        HttpMessage request = m_reader.take();
        m_busy = true;
        m_head = request.method == "HEAD";
        const QByteArray connection = request.header("Connection").toLower();
        m_closeAfter = connection.contains("close")
            || (request.version == "HTTP/1.0" && !connection.contains("keep-alive"));
        // A request-target in absolute form (as sent to a forward proxy) is reduced to its path and query.
        QString uri = QString::fromLatin1(request.target);
        if (uri.startsWith(QLatin1String("http://")) || uri.startsWith(QLatin1String("https://"))) {
            const QString query = queryOf(uri);
            uri = pathOf(uri) + (query.isEmpty() ? QString() : QLatin1Char('?') + query);
        }
        const qint64 sequence = m_state->logRequest(m_id, m_role == Role::Storage, request, uri);
        if (m_role == Role::Storage)
            serveStorage(request, uri, sequence);
        else
            serveProxy(request, uri, sequence);
    }

    void serveProxy(HttpMessage request, const QString &uri, qint64 sequence)
    {
        const QString path = uri.section(QLatin1Char('?'), 0, 0);
        const QString method = QString::fromLatin1(request.method);
        const Selection selection = m_state->select(method, path, uri.section(QLatin1Char('?'), 1));
        const Fault &fault = selection.fault;
        if (selection.ruleId != 0) {
            m_state->updateEntry(sequence, [&selection](ProxyRequest &entry) {
                entry.ruleId = selection.ruleId;
                entry.fault = selection.fault.name();
            });
            switch (fault.kind) {
            case Fault::Kind::TooManyRequests: {
                Reply reply;
                reply.response = errorResponse(429, "TOOMANYREQUESTS", QStringLiteral("too many requests"));
                if (fault.retryAfterSeconds >= 0)
                    addHeader(&reply.response.headers, "Retry-After", QByteArray::number(fault.retryAfterSeconds));
                deliver(reply, sequence);
                return;
            }
            case Fault::Kind::ServerError: {
                Reply reply;
                const bool unavailable = fault.status == 502 || fault.status == 503 || fault.status == 504;
                reply.response = errorResponse(fault.status, unavailable ? "UNAVAILABLE" : "UNKNOWN",
                                               unavailable ? QStringLiteral("service unavailable")
                                                           : QStringLiteral("unknown error"));
                deliver(reply, sequence);
                return;
            }
            case Fault::Kind::Stall:
                if (!fault.sendHeaders) {
                    Reply reply;
                    reply.delivery = Reply::Delivery::Silent;
                    reply.holdMs = fault.durationMs;
                    deliver(reply, sequence);
                    return;
                }
                break;
            case Fault::Kind::RedirectToStorage:
                redirectToStorage(request, path, sequence);
                return;
            case Fault::Kind::PaginateListing:
                servePage(request, uri, fault.pageSize, sequence);
                return;
            default:
                break;
            }
        }

        // Forward, with the query of an upload whose Location lost it put back.
        QString forwarded = uri;
        const QString uuid = uploadUuid(path);
        if (!uuid.isEmpty()) {
            const QMutexLocker locker(&m_state->mutex);
            const auto remembered = m_state->uploadQueries.constFind(uuid);
            if (remembered != m_state->uploadQueries.cend()) {
                const QString query = mergeQuery(queryOf(uri), *remembered);
                forwarded = path + (query.isEmpty() ? QString() : QLatin1Char('?') + query);
            }
        }
        request.target = forwarded.toLatin1();
        m_state->updateEntry(sequence, [&forwarded](ProxyRequest &entry) { entry.forwardedUri = forwarded; });
        callUpstream(request, [this, selection, sequence](const HttpMessage &response, const QString &error) {
            if (!error.isEmpty()) {
                Reply reply;
                reply.response = errorResponse(502, "UNAVAILABLE", QStringLiteral("FaultProxy: %1").arg(error));
                deliver(reply, sequence);
                return;
            }
            m_state->updateEntry(sequence,
                                 [&response](ProxyRequest &entry) { entry.upstreamChunked = response.chunked; });
            deliver(applyFault(rewriteUrls(response), selection), sequence);
        });
    }

    /** The upstream's answer as the client gets it, given the fault selected for the request. */
    Reply applyFault(HttpMessage response, const Selection &selection)
    {
        Reply reply;
        const Fault &fault = selection.fault;
        const qint64 size = response.body.size();
        const qint64 cut = fault.bodyBytes < 0 ? size / 2 : qMin(fault.bodyBytes, size);
        if (selection.ruleId != 0) {
            switch (fault.kind) {
            case Fault::Kind::ResetMidBody:
                reply.delivery = Reply::Delivery::Reset;
                reply.cut = cut;
                break;
            case Fault::Kind::TruncateBody:
                reply.delivery = Reply::Delivery::Truncate;
                reply.cut = size > 0 ? qMin(cut, size - 1) : 0;
                break;
            case Fault::Kind::Stall:
                reply.delivery = Reply::Delivery::Stall;
                reply.cut = qMin(qMax<qint64>(fault.bodyBytes, 0), size);
                reply.holdMs = fault.durationMs;
                break;
            case Fault::Kind::CorruptBody:
                corrupt(&response.body);
                break;
            case Fault::Kind::StripDigest:
                removeHeader(&response.headers, "Docker-Content-Digest");
                break;
            case Fault::Kind::RewriteUploadLocation:
                rewriteUploadLocation(&response, fault);
                break;
            case Fault::Kind::Delay:
                reply.delayMs = fault.durationMs;
                break;
            default:
                break;
            }
        }
        reply.response = std::move(response);
        return reply;
    }

    /** Points the absolute URLs of Location, Link and WWW-Authenticate that name the upstream at the proxy. */
    HttpMessage rewriteUrls(HttpMessage response)
    {
        QByteArray upstream;
        QByteArray proxy;
        {
            const QMutexLocker locker(&m_state->mutex);
            upstream = "//" + m_state->upstreamHost.toLatin1();
            proxy = "//" + m_state->proxyHost.toLatin1();
        }
        for (auto &[name, value] : response.headers) {
            if (name.compare("Location", Qt::CaseInsensitive) == 0 || name.compare("Link", Qt::CaseInsensitive) == 0
                || name.compare("WWW-Authenticate", Qt::CaseInsensitive) == 0)
                value.replace(upstream, proxy);
        }
        // Keep the remembered query of an upload whose Location lost it up to date: _state changes with
        // every chunk (it carries the offset).
        const QString location = QString::fromLatin1(response.header("Location"));
        const QString uuid = uploadUuid(pathOf(location));
        if (!uuid.isEmpty()) {
            const QMutexLocker locker(&m_state->mutex);
            if (m_state->uploadQueries.contains(uuid))
                m_state->uploadQueries.insert(uuid, queryOf(location));
        }
        return response;
    }

    void rewriteUploadLocation(HttpMessage *response, const Fault &fault)
    {
        QString location = QString::fromLatin1(response->header("Location"));
        const QString uuid = uploadUuid(pathOf(location));
        if (uuid.isEmpty())
            return;
        QString proxyBase;
        {
            const QMutexLocker locker(&m_state->mutex);
            proxyBase = QStringLiteral("http://") + m_state->proxyHost;
            if (fault.stripQuery)
                m_state->uploadQueries.insert(uuid, queryOf(location));
        }
        const QString query = queryOf(location);
        location = pathOf(location);
        if (fault.location == Fault::LocationStyle::Absolute)
            location.prepend(proxyBase);
        if (!fault.stripQuery && !query.isEmpty())
            location += QLatin1Char('?') + query;
        setHeader(&response->headers, "Location", location.toLatin1());
    }

    void redirectToStorage(const HttpMessage &request, const QString &path, qint64 sequence)
    {
        static const QRegularExpression blob(QStringLiteral("^/v2/(.+)/blobs/([^/]+)$"));
        const QRegularExpressionMatch match = blob.match(path);
        StorageObject object{match.captured(1), match.captured(2), request.header("Authorization")};
        QString storageHost;
        QByteArray token;
        {
            const QMutexLocker locker(&m_state->mutex);
            storageHost = m_state->storageHost;
            token = QCryptographicHash::hash(QByteArray(QByteArray::number(m_state->nextToken++) + path.toUtf8()),
                                             QCryptographicHash::Sha256)
                        .toHex()
                        .left(32);
            m_state->storageObjects.insert(QString::fromLatin1(token), object);
        }
        const QByteArray location = "http://" + storageHost.toLatin1() + "/storage/" + object.repository.toUtf8()
            + "/blobs/" + object.digest.toUtf8() + "?X-Amz-Expires=1200&X-Amz-Signature=" + token;
        Reply reply;
        // What Go's http.Redirect writes for a GET.
        reply.response = makeResponse(307, "<a href=\"" + location + "\">Temporary Redirect</a>.\n\n",
                                      "text/html; charset=utf-8");
        addHeader(&reply.response.headers, "Location", location);
        addHeader(&reply.response.headers, "Docker-Distribution-Api-Version", "registry/2.0");
        deliver(reply, sequence);
    }

    void servePage(const HttpMessage &request, const QString &uri, int pageSize, qint64 sequence)
    {
        const QString path = uri.section(QLatin1Char('?'), 0, 0);
        const bool catalog = path == QLatin1String("/v2/_catalog");
        const QString key = catalog ? QStringLiteral("repositories") : QStringLiteral("tags");
        qsizetype offset = 0;
        bool valid = true;
        for (const QString &item : queryOf(uri).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            const QString name = item.section(QLatin1Char('='), 0, 0);
            if (name == QLatin1String("last")) {
                valid = false;
            } else if (name == QLatin1String("next")) {
                const QString token = QUrl::fromPercentEncoding(item.section(QLatin1Char('='), 1).toLatin1());
                const auto decoded = pageOffset(path, token.toLatin1());
                valid = valid && decoded.has_value();
                offset = decoded.value_or(0);
            }
        }
        if (!valid) {
            Reply reply;
            reply.response = errorResponse(400, "PAGINATION_NUMBER_INVALID",
                                           QStringLiteral("this registry pages with opaque next tokens: follow the "
                                                          "Link header as given"));
            deliver(reply, sequence);
            return;
        }

        // Collect the upstream's whole list, following its own (standard) pagination if it has any.
        auto listing = std::make_shared<Listing>();
        listing->catalog = catalog;
        listing->key = key;
        listing->path = path;
        listing->offset = offset;
        listing->pageSize = pageSize;
        listing->sequence = sequence;
        listing->request.method = "GET";
        listing->request.version = "HTTP/1.1";
        listing->request.headers = request.headers;
        fetchListing(listing, catalog ? QStringLiteral("/v2/_catalog?n=1000") : path);
    }

    /** A listing being collected from the upstream for servePage(). */
    struct Listing
    {
        bool catalog = false;
        QString key;  ///< "tags" or "repositories"
        QString path; ///< the client's request path
        QString name; ///< the upstream's "name" (tags)
        QJsonArray entries;
        qsizetype offset = 0;
        int pageSize = 0;
        qint64 sequence = 0;
        HttpMessage request; ///< the client's request, target replaced per upstream page
    };

    void fetchListing(const std::shared_ptr<Listing> &listing, const QString &target)
    {
        HttpMessage call = listing->request;
        call.target = target.toLatin1();
        m_state->updateEntry(listing->sequence, [&target](ProxyRequest &entry) {
            entry.forwardedUri += (entry.forwardedUri.isEmpty() ? QString() : QStringLiteral(" ")) + target;
        });
        callUpstream(call, [this, listing](const HttpMessage &response, const QString &error) {
            if (!error.isEmpty() || response.status != 200) {
                Reply reply;
                if (error.isEmpty())
                    reply.response = rewriteUrls(response);
                else
                    reply.response = errorResponse(502, "UNAVAILABLE", QStringLiteral("FaultProxy: %1").arg(error));
                deliver(reply, listing->sequence);
                return;
            }
            m_state->updateEntry(listing->sequence, [&response](ProxyRequest &entry) {
                entry.upstreamChunked = entry.upstreamChunked || response.chunked;
            });
            const QJsonObject page = QJsonDocument::fromJson(response.body).object();
            listing->name = page.value(QLatin1String("name")).toString();
            for (const QJsonValue &value : page.value(listing->key).toArray())
                listing->entries.append(value);
            const QString next = nextLinkTarget(response.header("Link"));
            if (next.isEmpty())
                sendPage(*listing);
            else
                fetchListing(listing, pathOf(next) + QLatin1Char('?') + queryOf(next));
        });
    }

    void sendPage(const Listing &listing)
    {
        const qsizetype offset = listing.offset;
        const int pageSize = listing.pageSize;
        QJsonArray page;
        for (qsizetype i = offset; i < listing.entries.size() && i < offset + pageSize; ++i)
            page.append(listing.entries.at(i));
        QJsonObject body;
        if (!listing.catalog)
            body.insert(QStringLiteral("name"), listing.name);
        body.insert(listing.key, page);
        Reply reply;
        reply.response = makeResponse(200, QJsonDocument(body).toJson(QJsonDocument::Compact),
                                      "application/json; charset=utf-8");
        addHeader(&reply.response.headers, "Docker-Distribution-Api-Version", "registry/2.0");
        if (offset + pageSize < listing.entries.size()) {
            const QByteArray next = listing.path.toUtf8() + "?next=" + pageToken(listing.path, offset + pageSize);
            addHeader(&reply.response.headers, "Link", "<" + next + ">; rel=\"next\"");
        }
        deliver(reply, listing.sequence);
    }

    void serveStorage(const HttpMessage &request, const QString &uri, qint64 sequence)
    {
        Reply reply;
        reply.response = makeResponse(403, {}, "application/xml");
        const QByteArray denied = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                                  "<Message>%1</Message></Error>\n";
        if (request.hasHeader("Authorization")) {
            // Pre-signed URLs carry their own credentials: an Authorization header is another auth
            // mechanism, which object stores refuse.
            reply.response.body = QByteArray(denied).replace(
                "%1", "Only one auth mechanism allowed: the Authorization header must not be sent");
            deliver(reply, sequence);
            return;
        }
        if (request.method != "GET" && request.method != "HEAD") {
            reply.response.status = 405;
            reply.response.reason = reasonPhrase(405);
            deliver(reply, sequence);
            return;
        }
        QString token;
        for (const QString &item : queryOf(uri).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            if (item.startsWith(QLatin1String("X-Amz-Signature=")))
                token = item.section(QLatin1Char('='), 1);
        }
        std::optional<StorageObject> object;
        {
            const QMutexLocker locker(&m_state->mutex);
            const auto found = m_state->storageObjects.constFind(token);
            if (found != m_state->storageObjects.cend())
                object = *found;
        }
        const QString expectedPath =
            object ? QStringLiteral("/storage/%1/blobs/%2").arg(object->repository, object->digest) : QString();
        if (!object || uri.section(QLatin1Char('?'), 0, 0) != expectedPath) {
            reply.response.body = QByteArray(denied).replace("%1", "The request signature does not match");
            deliver(reply, sequence);
            return;
        }
        HttpMessage upstream;
        upstream.method = request.method;
        upstream.version = "HTTP/1.1";
        upstream.target = QStringLiteral("/v2/%1/blobs/%2").arg(object->repository, object->digest).toUtf8();
        for (const QByteArray &name : {QByteArray("Range"), QByteArray("If-Range"), QByteArray("User-Agent")}) {
            if (request.hasHeader(name))
                addHeader(&upstream.headers, name, request.header(name));
        }
        if (!object->authorization.isEmpty())
            addHeader(&upstream.headers, "Authorization", object->authorization);
        m_state->updateEntry(sequence, [&upstream](ProxyRequest &entry) {
            entry.forwardedUri = QString::fromUtf8(upstream.target);
        });
        callUpstream(upstream, [this, sequence](const HttpMessage &response, const QString &error) {
            Reply answer;
            if (!error.isEmpty()) {
                answer.response = makeResponse(502, error.toUtf8(), "text/plain");
            } else {
                answer.response = response;
                // Object storage does not speak the distribution API.
                answer.response.headers.removeIf([](const auto &h) { return h.first.toLower().startsWith("docker-"); });
                m_state->updateEntry(sequence,
                                     [&response](ProxyRequest &entry) { entry.upstreamChunked = response.chunked; });
            }
            deliver(answer, sequence);
        });
    }

    void callUpstream(const HttpMessage &request, UpstreamCall::Done done)
    {
        QString upstream;
        {
            const QMutexLocker locker(&m_state->mutex);
            upstream = m_state->upstreamHost;
        }
        new UpstreamCall(upstream, request, std::move(done), this);
    }

    /** The status line and headers for @p response, framed with Content-Length for @p body. */
    QByteArray head(const HttpMessage &response, qint64 bodySize) const
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
            + (response.reason.isEmpty() ? reasonPhrase(response.status) : response.reason) + "\r\n";
        for (const auto &[name, value] : response.headers) {
            if (!isHopByHop(name))
                out += name + ": " + value + "\r\n";
        }
        const bool bodiless = (response.status >= 100 && response.status < 200) || response.status == 204
            || response.status == 304;
        if (m_head && response.hasHeader("Content-Length"))
            out += "Content-Length: " + response.header("Content-Length") + "\r\n"; // what a GET would get
        else if (!bodiless)
            out += "Content-Length: " + QByteArray::number(bodySize) + "\r\n";
        if (m_closeAfter)
            out += "Connection: close\r\n";
        out += "\r\n";
        return out;
    }

    void deliver(Reply reply, qint64 sequence)
    {
        if (m_gone)
            return;
        if (reply.delayMs > 0) {
            const int delay = std::exchange(reply.delayMs, 0);
            QTimer::singleShot(delay, this, [this, reply, sequence] { deliver(reply, sequence); });
            return;
        }
        const HttpMessage &response = reply.response;
        if (reply.delivery == Reply::Delivery::Silent) {
            hold(reply.holdMs);
            return;
        }
        m_state->updateEntry(sequence, [&response](ProxyRequest &entry) { entry.status = response.status; });
        const QByteArray &body = response.body;
        if (reply.delivery == Reply::Delivery::Full) {
            m_socket->write(head(response, body.size()));
            if (!m_head)
                m_socket->write(body);
            m_busy = false;
            if (m_closeAfter) {
                m_held = true;
                m_socket->disconnectFromHost();
            } else {
                // Later pipelined requests are served from the event loop, not from this call.
                QTimer::singleShot(0, this, &ClientConnection::processNext);
            }
            return;
        }
        m_socket->write(head(response, body.size()));
        if (!m_head)
            m_socket->write(body.left(reply.cut));
        switch (reply.delivery) {
        case Reply::Delivery::Truncate:
            m_held = true;
            m_socket->disconnectFromHost(); // after the buffered bytes are written
            break;
        case Reply::Delivery::Reset:
            m_held = true;
            resetWhenWritten();
            break;
        case Reply::Delivery::Stall:
            hold(reply.holdMs);
            break;
        default:
            break;
        }
    }

    /** Stops answering; closes the connection after @p ms milliseconds unless 0. */
    void hold(int ms)
    {
        m_held = true;
        if (ms > 0)
            QTimer::singleShot(ms, this, [this] { m_socket->abort(); });
    }

    /** Resets the connection (RST, not FIN) once what was written has left the socket's buffer. */
    void resetWhenWritten()
    {
        m_socket->flush();
        if (m_socket->bytesToWrite() > 0) {
            connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
                if (m_socket->bytesToWrite() == 0 && !m_resetting)
                    resetWhenWritten();
            });
            return;
        }
        m_resetting = true;
        // Give the peer a moment to read what was sent: an RST may make it drop unread data.
        QTimer::singleShot(50, this, [this] {
            const linger option{1, 0};
            const qintptr fd = m_socket->socketDescriptor();
            if (fd >= 0)
                ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
            m_socket->abort();
        });
    }

    QTcpSocket *m_socket;
    Role m_role;
    std::shared_ptr<FaultProxyState> m_state;
    HttpReader m_reader;
    int m_id = 0;
    bool m_busy = false;       ///< a request is being answered
    bool m_held = false;       ///< no more requests are answered on this connection
    bool m_gone = false;       ///< the client closed
    bool m_head = false;       ///< the request being answered is a HEAD
    bool m_closeAfter = false; ///< the client asked to close after the answer
    bool m_resetting = false;
};

/** Lives in the proxy thread: the two listeners and their connections. */
class FaultProxyServer final : public QObject
{
    Q_OBJECT

public:
    explicit FaultProxyServer(std::shared_ptr<FaultProxyState> state)
        : m_state(std::move(state))
    {
    }

    /** Listens on 127.0.0.1 and 127.0.0.2; false (with @p error) if the first fails. */
    bool listen(QString *error)
    {
        m_proxy = new QTcpServer(this);
        if (!m_proxy->listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("FaultProxy cannot listen on 127.0.0.1: %1").arg(m_proxy->errorString());
            return false;
        }
        connect(m_proxy, &QTcpServer::newConnection, this, [this] { accept(m_proxy, ClientConnection::Role::Proxy); });
        m_storage = new QTcpServer(this);
        QString storageHost;
        if (m_storage->listen(QHostAddress(QStringLiteral("127.0.0.2")), 0)) {
            connect(m_storage, &QTcpServer::newConnection, this,
                    [this] { accept(m_storage, ClientConnection::Role::Storage); });
            storageHost = QStringLiteral("127.0.0.2:%1").arg(m_storage->serverPort());
        } else {
            qWarning("FaultProxy: no storage server, cannot listen on 127.0.0.2: %s",
                     qPrintable(m_storage->errorString()));
        }
        const QMutexLocker locker(&m_state->mutex);
        m_state->proxyPort = m_proxy->serverPort();
        m_state->proxyHost = QStringLiteral("127.0.0.1:%1").arg(m_proxy->serverPort());
        m_state->storageHost = storageHost;
        return true;
    }

    /** Closes the listeners and every connection. */
    void shutdown()
    {
        if (m_proxy)
            m_proxy->close();
        if (m_storage)
            m_storage->close();
        qDeleteAll(findChildren<ClientConnection *>(Qt::FindDirectChildrenOnly));
        const QMutexLocker locker(&m_state->mutex);
        m_state->proxyPort = 0;
        m_state->proxyHost.clear();
        m_state->storageHost.clear();
    }

private:
    void accept(QTcpServer *server, ClientConnection::Role role)
    {
        while (QTcpSocket *socket = server->nextPendingConnection())
            new ClientConnection(socket, role, m_state, this);
    }

    std::shared_ptr<FaultProxyState> m_state;
    QTcpServer *m_proxy = nullptr;
    QTcpServer *m_storage = nullptr;
};

} // namespace Detail

// Fault ---------------------------------------------------------------------------------------

Fault Fault::tooManyRequests(int retryAfterSeconds)
{
    return {.kind = Kind::TooManyRequests, .retryAfterSeconds = retryAfterSeconds};
}

Fault Fault::serverError(int status)
{
    return {.kind = Kind::ServerError, .status = status};
}

Fault Fault::resetMidBody(qint64 bodyBytes)
{
    return {.kind = Kind::ResetMidBody, .bodyBytes = bodyBytes};
}

Fault Fault::stall(bool sendHeaders, int durationMs, qint64 bodyBytes)
{
    return {.kind = Kind::Stall, .bodyBytes = bodyBytes, .sendHeaders = sendHeaders, .durationMs = durationMs};
}

Fault Fault::truncateBody(qint64 bodyBytes)
{
    return {.kind = Kind::TruncateBody, .bodyBytes = bodyBytes};
}

Fault Fault::corruptBody()
{
    return {.kind = Kind::CorruptBody};
}

Fault Fault::stripDigest()
{
    return {.kind = Kind::StripDigest};
}

Fault Fault::redirectToStorage()
{
    return {.kind = Kind::RedirectToStorage};
}

Fault Fault::rewriteUploadLocation(LocationStyle style, bool stripQuery)
{
    return {.kind = Kind::RewriteUploadLocation, .location = style, .stripQuery = stripQuery};
}

Fault Fault::paginateListing(int pageSize)
{
    return {.kind = Kind::PaginateListing, .pageSize = pageSize};
}

Fault Fault::delay(int ms)
{
    return {.kind = Kind::Delay, .durationMs = ms};
}

QString Fault::name() const
{
    switch (kind) {
    case Kind::TooManyRequests: return QStringLiteral("429");
    case Kind::ServerError: return QString::number(status);
    case Kind::ResetMidBody: return QStringLiteral("reset");
    case Kind::Stall: return sendHeaders ? QStringLiteral("stall-after-headers") : QStringLiteral("stall");
    case Kind::TruncateBody: return QStringLiteral("truncate");
    case Kind::CorruptBody: return QStringLiteral("corrupt");
    case Kind::StripDigest: return QStringLiteral("strip-digest");
    case Kind::RedirectToStorage: return QStringLiteral("redirect");
    case Kind::RewriteUploadLocation:
        return (location == LocationStyle::Relative ? QStringLiteral("location-relative")
                                                    : QStringLiteral("location-absolute"))
            + (stripQuery ? QStringLiteral("-no-query") : QString());
    case Kind::PaginateListing: return QStringLiteral("paginate");
    case Kind::Delay: return QStringLiteral("delay");
    }
    return {};
}

FaultRule::FaultRule(QString method_, QString pathPattern_, Fault fault_, QString queryPattern_)
    : method(std::move(method_))
    , pathPattern(std::move(pathPattern_))
    , queryPattern(std::move(queryPattern_))
    , fault(fault_)
{
}

QByteArray ProxyRequest::header(const QByteArray &name) const
{
    return findHeader(headers, name);
}

// FaultProxy ----------------------------------------------------------------------------------

FaultProxy::FaultProxy(QString upstreamHost)
    : m_state(std::make_shared<Detail::FaultProxyState>(std::move(upstreamHost)))
{
}

FaultProxy::~FaultProxy()
{
    stop();
}

bool FaultProxy::start(QString *error)
{
    if (m_thread)
        return true;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("FaultProxy"));
    auto *server = new Detail::FaultProxyServer(m_state);
    server->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, server, &QObject::deleteLater);
    m_thread->start();
    bool listening = false;
    QString message;
    QMetaObject::invokeMethod(
        server, [server, &listening, &message] { listening = server->listen(&message); }, Qt::BlockingQueuedConnection);
    m_server = server;
    if (!listening) {
        stop();
        if (error)
            *error = message;
        return false;
    }
    return true;
}

void FaultProxy::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_server, [server = m_server] { server->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_server = nullptr; // deleted by the thread's finished()
}

bool FaultProxy::isRunning() const
{
    return m_thread != nullptr;
}

QString FaultProxy::host() const
{
    const QMutexLocker locker(&m_state->mutex);
    return m_state->proxyHost;
}

quint16 FaultProxy::port() const
{
    const QMutexLocker locker(&m_state->mutex);
    return m_state->proxyPort;
}

QString FaultProxy::baseUrl() const
{
    return QStringLiteral("http://") + host();
}

QString FaultProxy::storageHost() const
{
    const QMutexLocker locker(&m_state->mutex);
    return m_state->storageHost;
}

QString FaultProxy::upstreamHost() const
{
    return m_state->upstreamHost;
}

int FaultProxy::addRule(const FaultRule &rule)
{
    RuleState state;
    state.rule = rule;
    state.path = QRegularExpression(QRegularExpression::anchoredPattern(rule.pathPattern));
    if (!state.path.isValid()) {
        qWarning("FaultProxy: invalid path pattern %s: %s", qPrintable(rule.pathPattern),
                 qPrintable(state.path.errorString()));
        return 0;
    }
    state.query = QRegularExpression(QRegularExpression::anchoredPattern(rule.queryPattern));
    if (!state.query.isValid()) {
        qWarning("FaultProxy: invalid query pattern %s: %s", qPrintable(rule.queryPattern),
                 qPrintable(state.query.errorString()));
        return 0;
    }
    state.random.seed(rule.seed);
    const QMutexLocker locker(&m_state->mutex);
    state.id = m_state->nextRuleId++;
    m_state->rules.append(state);
    return state.id;
}

void FaultProxy::removeRule(int id)
{
    const QMutexLocker locker(&m_state->mutex);
    m_state->rules.removeIf([id](const RuleState &rule) { return rule.id == id; });
}

void FaultProxy::clearRules()
{
    const QMutexLocker locker(&m_state->mutex);
    m_state->rules.clear();
    m_state->uploadQueries.clear();
}

int FaultProxy::ruleMatches(int id) const
{
    return m_state->ruleCounter(id, &RuleState::matches);
}

int FaultProxy::ruleHits(int id) const
{
    return m_state->ruleCounter(id, &RuleState::hits);
}

QList<ProxyRequest> FaultProxy::requestLog() const
{
    const QMutexLocker locker(&m_state->mutex);
    return m_state->log;
}

void FaultProxy::clearRequestLog()
{
    const QMutexLocker locker(&m_state->mutex);
    m_state->log.clear();
    m_state->storageSawAuthorization = false;
}

std::optional<ProxyRequest> FaultProxy::waitForRequest(const std::function<bool(const ProxyRequest &)> &predicate,
                                                       int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (true) {
        const QList<ProxyRequest> entries = requestLog();
        for (const ProxyRequest &entry : entries) {
            if (predicate(entry))
                return entry;
        }
        if (deadline.hasExpired())
            return std::nullopt;
        // The caller's own clients (a QNetworkAccessManager, a QProcess) may need its event loop.
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(10);
    }
}

QString FaultProxy::describeRequestLog() const
{
    QStringList lines;
    for (const ProxyRequest &entry : requestLog()) {
        lines.append(QStringLiteral("#%1 %2%3 %4 -> %5%6")
                         .arg(entry.sequence)
                         .arg(entry.storage ? QStringLiteral("[storage] ") : QString(), entry.method, entry.uri)
                         .arg(entry.status)
                         .arg(entry.fault.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(entry.fault)));
    }
    return lines.join(QLatin1Char('\n'));
}

bool FaultProxy::storageSawAuthorization() const
{
    const QMutexLocker locker(&m_state->mutex);
    return m_state->storageSawAuthorization;
}

} // namespace Restack::Test

#include "faultproxy.moc"
