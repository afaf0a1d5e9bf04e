// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Self-test of FaultProxy in front of a real registry: skopeo and raw HTTP pass through unchanged
// (keep-alive, chunked requests and responses, tens of MiB), and each fault is seen by a plain
// QNetworkAccessManager client as documented.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtEndian>
#include <QtTest>

#include "faultproxy.h"
#include "imagefactory.h"
#include "rawpusher.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

Q_DECLARE_METATYPE(Restack::Test::Fault::LocationStyle)

namespace
{

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

const QByteArray ManifestAccept = "application/vnd.oci.image.manifest.v1+json, "
                                  "application/vnd.oci.image.index.v1+json, "
                                  "application/vnd.docker.distribution.manifest.v2+json, "
                                  "application/vnd.docker.distribution.manifest.list.v2+json";

/** What a QNetworkAccessManager request got. */
struct Answer
{
    int status = 0; ///< HttpStatusCodeAttribute (set as soon as headers arrived, even on a later error)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QByteArray body; ///< everything read, also when the transfer failed
    QList<QNetworkReply::RawHeaderPair> headers;
    qint64 elapsedMs = 0;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &header : headers) {
            if (header.first.compare(name, Qt::CaseInsensitive) == 0)
                return header.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        return std::any_of(headers.cbegin(), headers.cend(),
                           [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
    /** errors[0].code of a registry error body. */
    QString errorCode() const
    {
        return QJsonDocument::fromJson(body)
            .object()
            .value(QLatin1String("errors"))
            .toArray()
            .first()
            .toObject()
            .value(QLatin1String("code"))
            .toString();
    }
    QString describe() const
    {
        return QStringLiteral("status %1, error %2 (%3), %4 body bytes: %5")
            .arg(status)
            .arg(int(error))
            .arg(errorString)
            .arg(body.size())
            .arg(QString::fromUtf8(body.left(300)));
    }
};

/** Sends one request with @p network and waits for its end (test code: a local event loop is fine). */
Answer send(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url, const QByteArray &body = {},
            const RawHeaders &headers = {}, int timeoutMs = 15000,
            QNetworkRequest::RedirectPolicy redirects = QNetworkRequest::ManualRedirectPolicy)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, redirects);
    request.setTransferTimeout(timeoutMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (method == "PUT" || method == "POST" || method == "PATCH") {
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        if (!request.hasRawHeader("Content-Type"))
            request.setRawHeader("Content-Type", "application/octet-stream");
    }
    QElapsedTimer timer;
    timer.start();
    // A custom "HEAD" verb would make Qt wait for a body of Content-Length bytes: HEAD has its own call.
    QNetworkReply *reply = method == "HEAD" ? network.head(request) : network.sendCustomRequest(request, method, body);
    Answer answer;
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, &answer] { answer.body += reply->readAll(); });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    if (reply->isOpen())
        answer.body += reply->readAll();
    answer.elapsedMs = timer.elapsed();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = reply->error();
    answer.errorString = reply->errorString();
    answer.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return answer;
}

/** One response read from a raw socket (the proxy always frames with Content-Length). */
struct RawAnswer
{
    int status = 0;
    RawHeaders headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &header : headers) {
            if (header.first.compare(name, Qt::CaseInsensitive) == 0)
                return header.second;
        }
        return {};
    }
};

/** Writes @p request on @p socket and reads one response (blocking: the proxy runs in its own thread). */
std::optional<RawAnswer> exchange(QTcpSocket &socket, const QByteArray &request)
{
    socket.write(request);
    QByteArray buffer;
    qsizetype headEnd = -1;
    while ((headEnd = buffer.indexOf("\r\n\r\n")) < 0) {
        if (!socket.waitForReadyRead(10000))
            return std::nullopt;
        buffer += socket.readAll();
    }
    RawAnswer answer;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    answer.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        answer.headers.append(qMakePair(line.left(colon).trimmed(), line.mid(colon + 1).trimmed()));
    }
    const qsizetype length = answer.header("Content-Length").toLongLong();
    buffer.remove(0, headEnd + 4);
    while (buffer.size() < length) {
        if (!socket.waitForReadyRead(10000))
            return std::nullopt;
        buffer += socket.readAll();
    }
    answer.body = buffer.left(length);
    return answer;
}

/** How a connection ended, seen with plain POSIX calls (Qt reports a reset and a close alike). */
struct RawEnd
{
    QByteArray data; ///< everything received
    int error = -1;  ///< 0: orderly close (FIN); ECONNRESET: reset (RST); else the errno of the failure
};

/** Sends @p request to 127.0.0.1:@p port and reads until the peer ends the connection (at most 10 s). */
RawEnd readUntilEnd(quint16 port, const QByteArray &request)
{
    RawEnd end;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = qToBigEndian(port);
    address.sin_addr.s_addr = qToBigEndian(quint32(0x7f000001));
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        || ::send(fd, request.constData(), size_t(request.size()), 0) != request.size()) {
        end.error = errno;
        ::close(fd);
        return end;
    }
    char buffer[65536];
    while (true) {
        const ssize_t received = ::recv(fd, buffer, sizeof buffer, 0);
        if (received <= 0) {
            end.error = received == 0 ? 0 : errno;
            break;
        }
        end.data.append(buffer, received);
    }
    ::close(fd);
    return end;
}

/** A minimal GET request for @p path. */
QByteArray rawGet(const QString &path)
{
    return "GET " + path.toLatin1() + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

/** The body part of a raw HTTP response. */
QByteArray rawBody(const QByteArray &response)
{
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    return headEnd < 0 ? QByteArray() : response.mid(headEnd + 4);
}

/** Path and query of an absolute or relative URL. */
QByteArray pathAndQuery(const QByteArray &location)
{
    const QUrl url(QString::fromLatin1(location));
    const QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    return url.hasQuery() ? path + '?' + url.query(QUrl::FullyEncoded).toLatin1() : path;
}

/** The target between '<' and '>' of a rel="next" Link header value; empty when there is none. */
QString nextLink(const QByteArray &link)
{
    if (!link.contains("rel=\"next\""))
        return {};
    return QString::fromLatin1(link.mid(link.indexOf('<') + 1, link.indexOf('>') - link.indexOf('<') - 1));
}

} // namespace

class FaultProxyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void skopeoThroughTheProxy();
    void largeBodies();
    void keepAliveAndChunkedUpload();
    void tooManyRequests();
    void serverErrors_data();
    void serverErrors();
    void resetMidBody();
    void truncatedBody();
    void stallUntilTheClientGivesUp_data();
    void stallUntilTheClientGivesUp();
    void stallThenClose();
    void corruptBody();
    void stripDigest();
    void redirectToStorage();
    void uploadLocation_data();
    void uploadLocation();
    void paginatedListings();
    void delay();
    void onlyNthAndFirstN();
    void probabilityIsReproducible();
    void requestLog();
    void wwwAuthenticateRealm();
    void cleanupTestCase();

private:
    QUrl url(const QString &path) const { return QUrl(m_proxy->baseUrl() + path); }
    QString blobPath(const QString &digest) const { return QStringLiteral("/v2/demo/app/blobs/") + digest; }
    Answer get(const QString &path, const RawHeaders &headers = {}, int timeoutMs = 15000)
    {
        return send(*m_network, "GET", url(path), {}, headers, timeoutMs);
    }

    RegistryFixture m_registry;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
    ImageFactory m_factory;
    QString m_appDigest;
    QByteArray m_manifest;
    QByteArray m_bigBlob;
    QString m_bigDigest;
    QStringList m_tags; ///< every tag of demo/app, sorted
};

void FaultProxyTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_proxy = std::make_unique<FaultProxy>(m_registry.host());
    QVERIFY2(m_proxy->start(&error), qPrintable(error));
    QVERIFY(m_proxy->host().startsWith(QLatin1String("127.0.0.1:")));
    QVERIFY(m_proxy->host() != m_registry.host());
    QVERIFY2(m_proxy->storageHost().startsWith(QLatin1String("127.0.0.2:")), "127.0.0.2 is loopback on Linux");
    QCOMPARE(m_proxy->upstreamHost(), m_registry.host());

    ImageSpec app;
    app.addLayer({{QStringLiteral("/etc/motd"), QByteArrayLiteral("through the fault proxy\n")}},
                 QStringLiteral("COPY motd /etc/"));
    app.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    const auto pushed =
        m_factory.buildAndPush(QStringLiteral("app"), app, m_registry.host() + QStringLiteral("/demo/app:1.0"));
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    m_appDigest = *pushed;

    RawPusher direct(m_registry.host());
    const auto manifest = direct.manifest(QStringLiteral("demo/app"), QStringLiteral("1.0"));
    QVERIFY(manifest.ok());
    m_manifest = *manifest;
    QCOMPARE(sha256Digest(m_manifest), m_appDigest);

    m_bigBlob = randomBytes(4 * 1024 * 1024 + 123, 5);
    const auto big = direct.pushBlob(QStringLiteral("demo/app"), m_bigBlob);
    QVERIFY(big.ok());
    m_bigDigest = *big;

    // Enough tags, with long names, for the registry to answer tags/list with a chunked body (Go's
    // net/http chunks what a handler writes beyond 2 KiB without a Content-Length).
    const QString mediaType = QJsonDocument::fromJson(m_manifest).object().value(QLatin1String("mediaType")).toString();
    m_tags.append(QStringLiteral("1.0"));
    for (int i = 0; i < 100; ++i) {
        const QString tag = QStringLiteral("release-2026.01.%1-build").arg(i, 3, 10, QLatin1Char('0'));
        const auto tagged = direct.pushManifest(QStringLiteral("demo/app"), tag, m_manifest, mediaType);
        QVERIFY2(tagged.ok(), qPrintable(tagged.ok() ? QString() : tagged.error().toString()));
        m_tags.append(tag);
    }
    m_tags.sort();

    // A few more repositories for the catalog.
    const QByteArray config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
    for (int i = 1; i <= 5; ++i) {
        const QString repository = QStringLiteral("catalog/r%1").arg(i);
        const auto configDigest = direct.pushBlob(repository, config);
        QVERIFY(configDigest.ok());
        const QJsonObject configDescriptor{
            {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.config.v1+json")},
            {QStringLiteral("digest"), *configDigest},
            {QStringLiteral("size"), config.size()}};
        const QJsonObject empty{
            {QStringLiteral("schemaVersion"), 2},
            {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
            {QStringLiteral("config"), configDescriptor},
            {QStringLiteral("layers"), QJsonArray()}};
        const auto tagged = direct.pushManifest(repository, QStringLiteral("1"), RawPusher::json(empty),
                                                QStringLiteral("application/vnd.oci.image.manifest.v1+json"));
        QVERIFY2(tagged.ok(), qPrintable(tagged.ok() ? QString() : tagged.error().toString()));
    }
}

void FaultProxyTest::init()
{
    m_proxy->clearRules();
    m_proxy->clearRequestLog();
    // A fresh client per test: connections a fault broke or left stalled are not reused.
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy);
}

void FaultProxyTest::skopeoThroughTheProxy()
{
    const QString proxy = m_proxy->host();
    const auto inspected = runTool(QStringLiteral("skopeo"),
                                   {QStringLiteral("inspect"), QStringLiteral("--tls-verify=false"),
                                    QStringLiteral("docker://%1/demo/app:1.0").arg(proxy)});
    QVERIFY2(inspected.ok(), qPrintable(inspected.ok() ? QString() : inspected.error().toString()));
    QCOMPARE(QJsonDocument::fromJson(inspected->standardOutput).object().value(QLatin1String("Digest")).toString(),
             m_appDigest);

    // Upload through the proxy (POST, PATCH, PUT ?digest=, manifest PUT), then download through it
    // into an OCI layout (skopeo verifies every digest).
    const auto pushed = m_factory.push(QStringLiteral("app"), proxy + QStringLiteral("/via-proxy/app:1"));
    QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    QCOMPARE(*pushed, m_appDigest);
    const auto dir = makeTempDir(QStringLiteral("faultproxy"));
    const auto copied = runTool(QStringLiteral("skopeo"),
                                {QStringLiteral("copy"), QStringLiteral("--src-tls-verify=false"),
                                 QStringLiteral("docker://%1/via-proxy/app:1").arg(proxy),
                                 QStringLiteral("oci:%1/layout:copy").arg(dir->path())});
    QVERIFY2(copied.ok(), qPrintable(copied.ok() ? QString() : copied.error().toString()));
    const auto descriptor = ociTagDescriptor(dir->path() + QStringLiteral("/layout"), QStringLiteral("copy"));
    QVERIFY(descriptor.ok());
    QCOMPARE(descriptor->value(QLatin1String("digest")).toString(), m_appDigest);

    // The registry got it, and the proxy saw every step.
    const auto stored = RawPusher(m_registry.host()).manifest(QStringLiteral("via-proxy/app"), QStringLiteral("1"));
    QVERIFY(stored.ok());
    QCOMPARE(*stored, m_manifest);
    const QList<ProxyRequest> log = m_proxy->requestLog();
    const auto seen = [&log](const QString &method, const QString &pattern, int status) {
        const QRegularExpression path(QRegularExpression::anchoredPattern(pattern));
        return std::any_of(log.cbegin(), log.cend(), [&](const ProxyRequest &r) {
            return r.method == method && path.match(r.path).hasMatch() && r.status == status;
        });
    };
    QVERIFY2(seen(QStringLiteral("POST"), QStringLiteral("/v2/via-proxy/app/blobs/uploads/"), 202),
             qPrintable(m_proxy->describeRequestLog()));
    QVERIFY2(seen(QStringLiteral("PUT"), QStringLiteral("/v2/via-proxy/app/manifests/1"), 201),
             qPrintable(m_proxy->describeRequestLog()));
    QVERIFY2(seen(QStringLiteral("GET"), QStringLiteral("/v2/via-proxy/app/blobs/sha256:[0-9a-f]{64}"), 200),
             qPrintable(m_proxy->describeRequestLog()));
    QVERIFY(std::none_of(log.cbegin(), log.cend(),
                         [](const ProxyRequest &r) { return r.hasAuthorization || !r.fault.isEmpty(); }));
    // Every upload Location pointed at the proxy, never at the registry behind it.
    QVERIFY(std::none_of(log.cbegin(), log.cend(),
                         [this](const ProxyRequest &r) { return r.uri.contains(m_registry.host()); }));
}

void FaultProxyTest::largeBodies()
{
    const QByteArray data = randomBytes(24 * 1024 * 1024, 11);
    const auto digest = RawPusher(m_proxy->host()).pushBlob(QStringLiteral("demo/big"), data);
    QVERIFY2(digest.ok(), qPrintable(digest.ok() ? QString() : digest.error().toString()));
    QCOMPARE(*digest, sha256Digest(data));
    const Answer answer = get(QStringLiteral("/v2/demo/big/blobs/") + *digest);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.body.size(), data.size());
    QVERIFY(answer.body == data);
    QCOMPARE(answer.header("Docker-Content-Digest"), digest->toLatin1());
}

void FaultProxyTest::keepAliveAndChunkedUpload()
{
    const QByteArray payload = randomBytes(300000, 3);
    const QByteArray digest = sha256Digest(payload).toLatin1();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_proxy->port());
    QVERIFY(socket.waitForConnected(5000));

    const auto opened =
        exchange(socket, "POST /v2/demo/chunked/blobs/uploads/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(opened);
    QCOMPARE(opened->status, 202);
    const QByteArray location = opened->header("Location");
    QVERIFY2(location.startsWith(QByteArray(m_proxy->baseUrl().toLatin1() + "/v2/demo/chunked/blobs/uploads/")),
             location.constData());

    // The body in three chunks, with a chunk extension and a trailer, as Go clients may send.
    QByteArray chunked;
    for (const QByteArray &part : {payload.left(100000), payload.mid(100000, 150000), payload.mid(250000)})
        chunked += QByteArray::number(part.size(), 16) + ";ext=1\r\n" + part + "\r\n";
    chunked += "0\r\nX-Trailer: yes\r\n\r\n";
    const auto patched = exchange(socket, "PATCH " + pathAndQuery(location)
                                              + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                                                "Transfer-Encoding: chunked\r\n\r\n"
                                              + chunked);
    QVERIFY(patched);
    QCOMPARE(patched->status, 202);
    QCOMPARE(patched->header("Range"), QByteArray("0-299999"));

    const QByteArray put =
        pathAndQuery(patched->header("Location")) + "&digest=" + QUrl::toPercentEncoding(QString::fromLatin1(digest));
    const auto closed = exchange(socket, "PUT " + put + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(closed);
    QCOMPARE(closed->status, 201);
    QCOMPARE(closed->header("Docker-Content-Digest"), digest);

    // Two pipelined requests on the same connection are answered in order.
    socket.write("HEAD /v2/demo/chunked/blobs/" + digest + " HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray pipelined;
    while (pipelined.count("HTTP/1.1 200") < 2 || !pipelined.endsWith("{}")) {
        QVERIFY2(socket.waitForReadyRead(5000), pipelined.constData());
        pipelined += socket.readAll();
    }
    QVERIFY2(pipelined.startsWith("HTTP/1.1 200 OK\r\n"), pipelined.constData());
    QVERIFY2(pipelined.contains("Content-Length: 300000\r\n"), pipelined.constData()); // HEAD: the GET's length

    const QList<ProxyRequest> log = m_proxy->requestLog();
    QCOMPARE(log.size(), 5);
    QVERIFY(std::all_of(log.cbegin(), log.cend(),
                        [&log](const ProxyRequest &r) { return r.connection == log.first().connection; }));
    QCOMPARE(log.at(1).method, QStringLiteral("PATCH"));
    QVERIFY(log.at(1).chunked);
    QCOMPARE(log.at(1).bodySize, payload.size());

    const Answer stored = get(QStringLiteral("/v2/demo/chunked/blobs/") + QString::fromLatin1(digest));
    QCOMPARE(stored.status, 200);
    QVERIFY(stored.body == payload);
}

void FaultProxyTest::tooManyRequests()
{
    FaultRule rule(QStringLiteral("GET"), QStringLiteral("/v2/demo/app/manifests/.*"), Fault::tooManyRequests(7));
    rule.firstN = 1;
    const int id = m_proxy->addRule(rule);
    QVERIFY(id > 0);

    const Answer limited = get(QStringLiteral("/v2/demo/app/manifests/1.0"), {{"Accept", ManifestAccept}});
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("Retry-After"), QByteArray("7"));
    QCOMPARE(limited.errorCode(), QStringLiteral("TOOMANYREQUESTS"));
    QVERIFY(limited.header("Content-Type").startsWith("application/json"));

    const Answer second = get(QStringLiteral("/v2/demo/app/manifests/1.0"), {{"Accept", ManifestAccept}});
    QCOMPARE(second.status, 200);
    QVERIFY(second.body == m_manifest);
    QCOMPARE(m_proxy->ruleMatches(id), 2);
    QCOMPARE(m_proxy->ruleHits(id), 1);
}

void FaultProxyTest::serverErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("500") << 500 << QStringLiteral("UNKNOWN");
    QTest::newRow("502") << 502 << QStringLiteral("UNAVAILABLE");
    QTest::newRow("503") << 503 << QStringLiteral("UNAVAILABLE");
}

void FaultProxyTest::serverErrors()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    m_proxy->addRule(FaultRule(QStringLiteral("HEAD"), {}, Fault::serverError(status)));
    const Answer head = send(*m_network, "HEAD", url(blobPath(m_bigDigest)));
    QCOMPARE(head.status, status);
    QVERIFY(head.body.isEmpty());
    const Answer answer = get(blobPath(m_bigDigest) + QStringLiteral("?probe=get"));
    QCOMPARE(answer.status, 200); // only HEAD requests are broken
    m_proxy->addRule(FaultRule({}, QStringLiteral("/v2/demo/app/manifests/.*"), Fault::serverError(status)));
    const Answer manifest = get(QStringLiteral("/v2/demo/app/manifests/1.0"));
    QCOMPARE(manifest.status, status);
    QCOMPARE(manifest.errorCode(), code);
}

void FaultProxyTest::resetMidBody()
{
    m_proxy->addRule(
        FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/.+/blobs/.+"), Fault::resetMidBody(1024 * 1024)));
    const Answer answer = get(blobPath(m_bigDigest));
    QVERIFY2(answer.error != QNetworkReply::NoError, qPrintable(answer.describe()));
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.body.size() < m_bigBlob.size(), qPrintable(answer.describe()));
    QVERIFY(m_bigBlob.startsWith(answer.body));
    qInfo("reset after 1 MiB: Qt reports error %d \"%s\" after %lld body bytes", int(answer.error),
          qPrintable(answer.errorString), qint64(answer.body.size()));
    const auto entry = m_proxy->waitForRequest([](const ProxyRequest &r) { return r.fault == QLatin1String("reset"); });
    QVERIFY(entry);
    QCOMPARE(entry->status, 200);

    // Underneath, the connection really is reset (RST), after the headers and the first MiB.
    const RawEnd end = readUntilEnd(m_proxy->port(), rawGet(blobPath(m_bigDigest)));
    QCOMPARE(end.error, ECONNRESET);
    QVERIFY2(end.data.startsWith("HTTP/1.1 200 OK\r\n"), end.data.left(200).constData());
    QVERIFY(end.data.contains(QByteArray("Content-Length: " + QByteArray::number(m_bigBlob.size()) + "\r\n")));
    QCOMPARE(rawBody(end.data), m_bigBlob.left(1024 * 1024));
}

void FaultProxyTest::truncatedBody()
{
    FaultRule rule(QStringLiteral("GET"), QStringLiteral("/v2/.+/blobs/.+"), Fault::truncateBody(1000));
    rule.firstN = 2;
    m_proxy->addRule(rule);
    const Answer answer = get(blobPath(m_bigDigest));
    QVERIFY2(answer.error != QNetworkReply::NoError, qPrintable(answer.describe()));
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.body.size() <= 1000, qPrintable(answer.describe()));
    qInfo("truncated after 1000 bytes: Qt reports error %d \"%s\" after %lld body bytes", int(answer.error),
          qPrintable(answer.errorString), qint64(answer.body.size()));
    // Underneath, a normal close (FIN) after 1000 bytes of the declared length.
    const RawEnd end = readUntilEnd(m_proxy->port(), rawGet(blobPath(m_bigDigest)));
    QCOMPARE(end.error, 0);
    QVERIFY(end.data.contains(QByteArray("Content-Length: " + QByteArray::number(m_bigBlob.size()) + "\r\n")));
    QCOMPARE(rawBody(end.data), m_bigBlob.left(1000));

    // The rule fired twice: the next download is whole.
    const Answer whole = get(blobPath(m_bigDigest));
    QCOMPARE(whole.status, 200);
    QVERIFY(whole.body == m_bigBlob);
}

void FaultProxyTest::stallUntilTheClientGivesUp_data()
{
    QTest::addColumn<bool>("sendHeaders");
    QTest::newRow("nothing sent") << false;
    QTest::newRow("headers and 100 bytes sent") << true;
}

void FaultProxyTest::stallUntilTheClientGivesUp()
{
    QFETCH(bool, sendHeaders);
    m_proxy->addRule(
        FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/.+/blobs/.+"), Fault::stall(sendHeaders, 0, 100)));
    const Answer answer = get(blobPath(m_bigDigest), {}, 600);
    QCOMPARE(answer.error, QNetworkReply::OperationCanceledError); // Qt's transfer timeout
    QVERIFY2(answer.elapsedMs >= 550, qPrintable(QString::number(answer.elapsedMs)));
    QCOMPARE(answer.status, sendHeaders ? 200 : 0);
    QCOMPARE(answer.body.size(), sendHeaders ? 100 : 0);
    const QList<ProxyRequest> log = m_proxy->requestLog();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().status, sendHeaders ? 200 : 0);
    QCOMPARE(log.first().forwardedUri.isEmpty(), !sendHeaders); // a silent stall forwards nothing
}

void FaultProxyTest::stallThenClose()
{
    FaultRule rule(QStringLiteral("GET"), QStringLiteral("/v2/"), Fault::stall(false, 300));
    rule.firstN = 1;
    const int id = m_proxy->addRule(rule);
    const Answer answer = get(QStringLiteral("/v2/"));
    // The connection closed without an answer: Qt resends an idempotent request once by itself,
    // and the resent one is not stalled.
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.elapsedMs >= 250, qPrintable(QString::number(answer.elapsedMs)));
    QCOMPARE(m_proxy->ruleMatches(id), 2);
    QCOMPARE(m_proxy->ruleHits(id), 1);
}

void FaultProxyTest::corruptBody()
{
    m_proxy->addRule(FaultRule(QStringLiteral("GET"), {}, Fault::corruptBody()));
    const Answer manifest = get(QStringLiteral("/v2/demo/app/manifests/1.0"), {{"Accept", ManifestAccept}});
    QCOMPARE(manifest.status, 200);
    QCOMPARE(manifest.body.size(), m_manifest.size());
    QVERIFY(manifest.body != m_manifest);
    QVERIFY(sha256Digest(manifest.body) != m_appDigest);
    QCOMPARE(manifest.header("Docker-Content-Digest"), m_appDigest.toLatin1()); // the header still tells the truth
    QVERIFY(!QJsonDocument::fromJson(manifest.body).isNull());                  // and the body is still JSON

    const Answer blob = get(blobPath(m_bigDigest));
    QCOMPARE(blob.status, 200);
    QCOMPARE(blob.body.size(), m_bigBlob.size());
    QVERIFY(blob.body != m_bigBlob);
    QVERIFY(sha256Digest(blob.body) != m_bigDigest);
}

void FaultProxyTest::stripDigest()
{
    const QUrl manifest = url(QStringLiteral("/v2/demo/app/manifests/1.0"));
    const Answer before = send(*m_network, "HEAD", manifest, {}, {{"Accept", ManifestAccept}});
    QCOMPARE(before.header("Docker-Content-Digest"), m_appDigest.toLatin1());
    m_proxy->addRule(FaultRule({}, QStringLiteral("/v2/demo/app/manifests/.*"), Fault::stripDigest()));
    const Answer head = send(*m_network, "HEAD", manifest, {}, {{"Accept", ManifestAccept}});
    QCOMPARE(head.status, 200);
    QVERIFY(!head.hasHeader("Docker-Content-Digest"));
    QCOMPARE(head.header("Content-Length"), QByteArray::number(m_manifest.size()));
    const Answer answer = get(QStringLiteral("/v2/demo/app/manifests/1.0"), {{"Accept", ManifestAccept}});
    QCOMPARE(answer.status, 200);
    QVERIFY(!answer.hasHeader("Docker-Content-Digest"));
    QVERIFY(answer.body == m_manifest);
}

void FaultProxyTest::redirectToStorage()
{
    m_proxy->addRule(FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/.+/blobs/.+"), Fault::redirectToStorage()));
    const RawHeaders bearer{{"Authorization", "Bearer registry-token"}};
    const Answer redirect = get(blobPath(m_bigDigest), bearer);
    QCOMPARE(redirect.status, 307);
    const QUrl location(QString::fromLatin1(redirect.header("Location")));
    QCOMPARE(location.host(), QStringLiteral("127.0.0.2"));
    QCOMPARE(QStringLiteral("%1:%2").arg(location.host()).arg(location.port()), m_proxy->storageHost());
    QVERIFY(location.path().endsWith(m_bigDigest));
    QVERIFY(!m_proxy->storageSawAuthorization());

    // Object storage refuses the registry's credentials...
    const Answer withAuthorization = send(*m_network, "GET", location, {}, bearer);
    QCOMPARE(withAuthorization.status, 403);
    QVERIFY(withAuthorization.body.contains("AccessDenied"));
    QVERIFY(m_proxy->storageSawAuthorization());

    // ...and serves the blob, ranges too, to a client that dropped them.
    m_proxy->clearRequestLog();
    QVERIFY(!m_proxy->storageSawAuthorization());
    const Answer blob = send(*m_network, "GET", location);
    QCOMPARE(blob.status, 200);
    QVERIFY(blob.body == m_bigBlob);
    QVERIFY(!blob.hasHeader("Docker-Content-Digest"));
    const Answer range = send(*m_network, "GET", location, {}, {{"Range", "bytes=10-19"}});
    QCOMPARE(range.status, 206);
    QVERIFY(range.body == m_bigBlob.mid(10, 10));
    const Answer head = send(*m_network, "HEAD", location);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Length"), QByteArray::number(m_bigBlob.size()));
    QVERIFY(!m_proxy->storageSawAuthorization());
    const QList<ProxyRequest> log = m_proxy->requestLog();
    QCOMPARE(log.size(), 3);
    QVERIFY(std::all_of(log.cbegin(), log.cend(),
                        [](const ProxyRequest &r) { return r.storage && !r.hasAuthorization; }));

    // A storage URL is only good for the blob it was made for.
    QUrl forged = location;
    forged.setPath(location.path().replace(m_bigDigest, m_appDigest));
    QCOMPARE(send(*m_network, "GET", forged).status, 403);

    // What Qt's own redirect handling does with the Authorization header on a host change.
    m_proxy->clearRequestLog();
    const Answer followed = send(*m_network, "GET", url(blobPath(m_bigDigest)), {}, bearer, 15000,
                                 QNetworkRequest::NoLessSafeRedirectPolicy);
    qInfo("QNAM following the redirect itself: status %d, Authorization sent to storage: %s", followed.status,
          m_proxy->storageSawAuthorization() ? "yes" : "no");
    QVERIFY(followed.status == 200 || followed.status == 403);
    QCOMPARE(m_proxy->storageSawAuthorization(), followed.status == 403);
}

void FaultProxyTest::uploadLocation_data()
{
    QTest::addColumn<Fault::LocationStyle>("style");
    QTest::addColumn<bool>("stripQuery");
    QTest::newRow("absolute") << Fault::LocationStyle::Absolute << false;
    QTest::newRow("relative") << Fault::LocationStyle::Relative << false;
    QTest::newRow("absolute-no-query") << Fault::LocationStyle::Absolute << true;
    QTest::newRow("relative-no-query") << Fault::LocationStyle::Relative << true;
}

void FaultProxyTest::uploadLocation()
{
    QFETCH(Fault::LocationStyle, style);
    QFETCH(bool, stripQuery);
    const int id = m_proxy->addRule(FaultRule(QStringLiteral("POST"), QStringLiteral("/v2/.+/blobs/uploads/"),
                                              Fault::rewriteUploadLocation(style, stripQuery)));
    const QString repository = QStringLiteral("upload/") + QString::fromLatin1(QTest::currentDataTag());
    const QByteArray data = randomBytes(70000, 9);
    const QString digest = sha256Digest(data);

    const Answer opened = send(*m_network, "POST", url(QStringLiteral("/v2/%1/blobs/uploads/").arg(repository)));
    QCOMPARE(opened.status, 202);
    const QString location = QString::fromLatin1(opened.header("Location"));
    if (style == Fault::LocationStyle::Relative)
        QVERIFY2(location.startsWith(QStringLiteral("/v2/%1/blobs/uploads/").arg(repository)), qPrintable(location));
    else
        QVERIFY2(location.startsWith(m_proxy->baseUrl() + QStringLiteral("/v2/%1/blobs/uploads/").arg(repository)),
                 qPrintable(location));
    QCOMPARE(location.contains(QLatin1Char('?')), !stripQuery);
    QCOMPARE(m_proxy->ruleHits(id), 1);

    // The client resolves the Location and adds digest=, keeping whatever query there is.
    QUrl target = QUrl(m_proxy->baseUrl() + QStringLiteral("/")).resolved(QUrl(location));
    QUrlQuery query(target);
    query.addQueryItem(QStringLiteral("digest"), digest);
    target.setQuery(query);
    const Answer closed = send(*m_network, "PUT", target, data);
    QVERIFY2(closed.status == 201, qPrintable(closed.describe()));
    QCOMPARE(closed.header("Docker-Content-Digest"), digest.toLatin1());
    const Answer stored = get(QStringLiteral("/v2/%1/blobs/%2").arg(repository, digest));
    QCOMPARE(stored.status, 200);
    QVERIFY(stored.body == data);

    const auto put = m_proxy->waitForRequest([](const ProxyRequest &r) { return r.method == QLatin1String("PUT"); });
    QVERIFY(put);
    QCOMPARE(put->uri.contains(QLatin1String("_state=")), !stripQuery);
    QVERIFY2(put->forwardedUri.contains(QLatin1String("_state=")), qPrintable(put->forwardedUri)); // re-added
    QVERIFY(put->forwardedUri.contains(QLatin1String("digest=")));
}

void FaultProxyTest::paginatedListings()
{
    const int tagsRule = m_proxy->addRule(FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/.+/tags/list"),
                                                    Fault::paginateListing(30)));
    QStringList tags;
    QUrl next = url(QStringLiteral("/v2/demo/app/tags/list?n=1000"));
    int pages = 0;
    while (next.isValid() && pages < 10) {
        const Answer page = send(*m_network, "GET", next);
        QVERIFY2(page.status == 200, qPrintable(page.describe()));
        const QJsonObject body = QJsonDocument::fromJson(page.body).object();
        QCOMPARE(body.value(QLatin1String("name")).toString(), QStringLiteral("demo/app"));
        const QJsonArray entries = body.value(QLatin1String("tags")).toArray();
        QVERIFY(entries.size() <= 30);
        for (const QJsonValue &tag : entries)
            tags.append(tag.toString());
        ++pages;
        const QString link = nextLink(page.header("Link"));
        QVERIFY2(link.isEmpty() || (link.contains(QLatin1String("next=")) && !link.contains(QLatin1String("last="))),
                 qPrintable(link));
        next = link.isEmpty() ? QUrl() : next.resolved(QUrl(link)); // verbatim
    }
    QCOMPARE(pages, 4);
    tags.sort(); // distribution 2.8 lists tags in directory order, the proxy keeps it
    QCOMPARE(tags, m_tags);
    QCOMPARE(m_proxy->ruleHits(tagsRule), 4);
    // The registry sent its ~3 KiB list chunked; the proxy de-chunked it.
    const QList<ProxyRequest> log = m_proxy->requestLog();
    QVERIFY(std::all_of(log.cbegin(), log.cend(), [](const ProxyRequest &r) { return r.upstreamChunked; }));

    // A client rebuilding the query with the standard last= fails, and so does a made-up token.
    const Answer rebuilt = get(QStringLiteral("/v2/demo/app/tags/list?n=30&last=") + tags.at(29));
    QCOMPARE(rebuilt.status, 400);
    QCOMPARE(rebuilt.errorCode(), QStringLiteral("PAGINATION_NUMBER_INVALID"));
    QCOMPARE(get(QStringLiteral("/v2/demo/app/tags/list?next=bm90LWEtdG9rZW4")).status, 400);
    // An unknown repository is the registry's own answer.
    const Answer unknown = get(QStringLiteral("/v2/no/such/tags/list"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorCode(), QStringLiteral("NAME_UNKNOWN"));

    // The catalog, in pages of 2, against the registry's own unpaginated answer.
    m_proxy->addRule(FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/_catalog"), Fault::paginateListing(2)));
    QNetworkAccessManager direct;
    direct.setProxy(QNetworkProxy::NoProxy);
    const Answer whole = send(direct, "GET", QUrl(m_registry.baseUrl() + QStringLiteral("/v2/_catalog?n=1000")));
    QCOMPARE(whole.status, 200);
    QStringList expected;
    const QJsonObject wholeBody = QJsonDocument::fromJson(whole.body).object();
    for (const QJsonValue &repository : wholeBody.value(QLatin1String("repositories")).toArray())
        expected.append(repository.toString());
    QVERIFY(expected.contains(QStringLiteral("catalog/r5")));
    QStringList repositories;
    next = url(QStringLiteral("/v2/_catalog"));
    pages = 0;
    while (next.isValid() && pages < 50) {
        const Answer page = send(*m_network, "GET", next);
        QVERIFY2(page.status == 200, qPrintable(page.describe()));
        const QJsonArray entries =
            QJsonDocument::fromJson(page.body).object().value(QLatin1String("repositories")).toArray();
        QVERIFY(entries.size() <= 2);
        for (const QJsonValue &repository : entries)
            repositories.append(repository.toString());
        ++pages;
        const QString link = nextLink(page.header("Link"));
        next = link.isEmpty() ? QUrl() : next.resolved(QUrl(link));
    }
    QCOMPARE(repositories, expected);
    QCOMPARE(pages, int((expected.size() + 1) / 2));
}

void FaultProxyTest::delay()
{
    m_proxy->addRule(FaultRule(QStringLiteral("GET"), QStringLiteral("/v2/"), Fault::delay(400)));
    const Answer slow = get(QStringLiteral("/v2/"));
    QCOMPARE(slow.status, 200);
    QVERIFY2(slow.elapsedMs >= 400, qPrintable(QString::number(slow.elapsedMs)));
    const Answer head = send(*m_network, "HEAD", url(QStringLiteral("/v2/")));
    QCOMPARE(head.status, 200);
    QVERIFY2(head.elapsedMs < 400, qPrintable(QString::number(head.elapsedMs)));
}

void FaultProxyTest::onlyNthAndFirstN()
{
    const auto statuses = [this](int count) {
        QList<int> result;
        for (int i = 0; i < count; ++i)
            result.append(get(QStringLiteral("/v2/")).status);
        return result;
    };
    FaultRule third(QStringLiteral("GET"), QStringLiteral("/v2/"), Fault::serverError(503));
    third.onlyNth = 3;
    const int thirdId = m_proxy->addRule(third);
    QCOMPARE(statuses(5), (QList<int>{200, 200, 503, 200, 200}));
    QCOMPARE(m_proxy->ruleMatches(thirdId), 5);
    QCOMPARE(m_proxy->ruleHits(thirdId), 1);

    m_proxy->removeRule(thirdId);
    QCOMPARE(m_proxy->ruleMatches(thirdId), 0);
    FaultRule firstTwo(QStringLiteral("get"), QStringLiteral("/v2/"), Fault::serverError(502));
    firstTwo.firstN = 2;
    const int firstTwoId = m_proxy->addRule(firstTwo);
    // A later rule matching the same requests: it only fires once the first one no longer does.
    const int laterId = m_proxy->addRule(FaultRule({}, QStringLiteral("/v2/"), Fault::tooManyRequests()));
    QCOMPARE(statuses(3), (QList<int>{502, 502, 429}));
    QCOMPARE(m_proxy->ruleHits(firstTwoId), 2);
    QCOMPARE(m_proxy->ruleMatches(laterId), 3);
    QCOMPARE(m_proxy->ruleHits(laterId), 1);

    m_proxy->clearRules();
    QCOMPARE(statuses(1), QList<int>{200});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("invalid path pattern")));
    QCOMPARE(m_proxy->addRule(FaultRule({}, QStringLiteral("(unclosed"), Fault::delay(1))), 0);
}

void FaultProxyTest::probabilityIsReproducible()
{
    const auto pattern = [this](quint32 seed) {
        m_proxy->clearRules();
        FaultRule rule(QStringLiteral("GET"), QStringLiteral("/v2/"), Fault::serverError(503));
        rule.probability = 0.5;
        rule.seed = seed;
        const int id = m_proxy->addRule(rule);
        QString result;
        for (int i = 0; i < 24; ++i)
            result += get(QStringLiteral("/v2/")).status == 503 ? QLatin1Char('x') : QLatin1Char('.');
        return std::make_pair(result, m_proxy->ruleHits(id));
    };
    const auto [first, hits] = pattern(42);
    const auto [again, hitsAgain] = pattern(42);
    QCOMPARE(again, first);
    QVERIFY2(first.contains(QLatin1Char('x')) && first.contains(QLatin1Char('.')), qPrintable(first));
    QCOMPARE(hits, int(first.count(QLatin1Char('x'))));
    QCOMPARE(hitsAgain, hits);
    const auto [other, otherHits] = pattern(7);
    qInfo("seed 42: %s, seed 7: %s", qPrintable(first), qPrintable(other));
    QVERIFY(other != first);
}

void FaultProxyTest::requestLog()
{
    const int id = m_proxy->addRule(FaultRule(QStringLiteral("HEAD"), QStringLiteral("/v2/demo/app/manifests/.*"),
                                              Fault::serverError(503)));
    QCOMPARE(get(QStringLiteral("/v2/?probe=1"), {{"Authorization", "Basic YWxpY2U6c2VjcmV0"}}).status, 200);
    QCOMPARE(send(*m_network, "HEAD", url(QStringLiteral("/v2/demo/app/manifests/1.0"))).status, 503);

    const QList<ProxyRequest> log = m_proxy->requestLog();
    QCOMPARE(log.size(), 2);
    const ProxyRequest &probe = log.at(0);
    QCOMPARE(probe.method, QStringLiteral("GET"));
    QCOMPARE(probe.uri, QStringLiteral("/v2/?probe=1"));
    QCOMPARE(probe.path, QStringLiteral("/v2/"));
    QVERIFY(probe.hasAuthorization);
    QCOMPARE(probe.header("authorization"), QByteArray("Basic YWxpY2U6c2VjcmV0"));
    QVERIFY(!probe.header("User-Agent").isEmpty());
    QVERIFY(!probe.storage);
    QCOMPARE(probe.ruleId, 0);
    QVERIFY(probe.fault.isEmpty());
    QCOMPARE(probe.forwardedUri, QStringLiteral("/v2/?probe=1"));
    QCOMPARE(probe.status, 200);
    QVERIFY(probe.connection > 0);
    QVERIFY(probe.time.isValid());

    const ProxyRequest &head = log.at(1);
    QCOMPARE(head.sequence, probe.sequence + 1);
    QCOMPARE(head.method, QStringLiteral("HEAD"));
    QVERIFY(!head.hasAuthorization);
    QCOMPARE(head.ruleId, id);
    QCOMPARE(head.fault, QStringLiteral("503"));
    QVERIFY(head.forwardedUri.isEmpty());
    QCOMPARE(head.status, 503);
    QVERIFY(m_proxy->describeRequestLog().contains(QLatin1String("HEAD /v2/demo/app/manifests/1.0 -> 503 [503]")));

    m_proxy->clearRequestLog();
    QVERIFY(m_proxy->requestLog().isEmpty());
    QVERIFY(m_proxy->describeRequestLog().isEmpty());

    // The registry's own access log agrees: the faulted HEAD never reached it.
    m_registry.markAccessLog();
    QCOMPARE(get(QStringLiteral("/v2/?probe=2")).status, 200);
    const auto seen =
        m_proxy->waitForRequest([](const ProxyRequest &r) { return r.uri.endsWith(QLatin1String("probe=2")); });
    QVERIFY(seen);
    QVERIFY(seen->sequence > head.sequence);
    QVERIFY(m_registry.waitForAccessLog(
        [](const AccessLogEntry &e) { return e.uri == QLatin1String("/v2/?probe=2"); }));
    QVERIFY(!m_proxy->waitForRequest(
        [](const ProxyRequest &r) { return r.uri.endsWith(QLatin1String("probe=3")); }, 50));
}

void FaultProxyTest::wwwAuthenticateRealm()
{
    // A token-auth registry ("silly" auth) whose realm is on its own host: a free port, chosen first.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    RegistryOptions options;
    options.port = port;
    options.auth = QStringLiteral("silly:\n  realm: \"http://127.0.0.1:%1/token\"\n  service: faultproxy").arg(port);
    RegistryFixture registry(options);
    QString error;
    QVERIFY2(registry.start(&error), qPrintable(error));
    FaultProxy proxy(registry.host());
    QVERIFY2(proxy.start(&error), qPrintable(error));

    const Answer answer = send(*m_network, "GET", QUrl(proxy.baseUrl() + QStringLiteral("/v2/")));
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.header("WWW-Authenticate"),
             QByteArray("Bearer realm=\"http://" + proxy.host().toLatin1() + "/token\",service=\"faultproxy\""));
    proxy.stop();
    QVERIFY(!proxy.isRunning());
    QVERIFY(proxy.host().isEmpty());
}

void FaultProxyTest::cleanupTestCase()
{
    m_network.reset();
    if (m_proxy)
        m_proxy->stop();
}

QTEST_GUILESS_MAIN(FaultProxyTest)
#include "tst_faultproxy.moc"
