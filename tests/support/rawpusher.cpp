// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawpusher.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

#include "tools.h"

namespace Restack::Test
{

namespace
{
struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray location;
    QString error;
};

// Test code: a local event loop per request is fine here (core never does this).
Answer send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
            const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(30000);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (!body.isEmpty() || method == "PUT" || method == "POST")
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
    if (!request.hasRawHeader("Content-Type") && (method == "PUT" || method == "POST"))
        request.setRawHeader("Content-Type", "application/octet-stream");
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.location = reply->rawHeader("Location");
    if (answer.status == 0)
        answer.error = reply->errorString();
    reply->deleteLater();
    return answer;
}

Error failure(const QByteArray &method, const QUrl &url, const Answer &answer)
{
    return supportError(QStringLiteral("%1 %2 -> %3 %4 %5")
                            .arg(QString::fromLatin1(method), url.toString())
                            .arg(answer.status)
                            .arg(answer.error, QString::fromUtf8(answer.body.left(500))));
}
} // namespace

RawPusher::RawPusher(QString host)
    : m_host(std::move(host))
{
}

QByteArray RawPusher::json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<QString> RawPusher::pushBlob(const QString &repository, const QByteArray &data)
{
    const QString digest = sha256Digest(data);
    const QUrl start(QStringLiteral("http://%1/v2/%2/blobs/uploads/").arg(m_host, repository));
    const Answer opened = send("POST", start);
    if (opened.status != 202)
        return failure("POST", start, opened);
    QUrl location = start.resolved(QUrl::fromEncoded(opened.location));
    const QString query = location.query(QUrl::FullyEncoded);
    location.setQuery((query.isEmpty() ? QString() : query + QLatin1Char('&')) + QStringLiteral("digest=")
                          + QString::fromLatin1(QUrl::toPercentEncoding(digest)),
                      QUrl::StrictMode);
    const Answer put = send("PUT", location, data);
    if (put.status != 201)
        return failure("PUT", location, put);
    return digest;
}

Result<QString> RawPusher::pushManifest(const QString &repository, const QString &reference, const QByteArray &manifest,
                                        const QString &mediaType)
{
    const QUrl url(QStringLiteral("http://%1/v2/%2/manifests/%3").arg(m_host, repository, reference));
    const Answer put = send("PUT", url, manifest, {{"Content-Type", mediaType.toLatin1()}});
    if (put.status != 201)
        return failure("PUT", url, put);
    return sha256Digest(manifest);
}

Result<QByteArray> RawPusher::manifest(const QString &repository, const QString &reference)
{
    const QUrl url(QStringLiteral("http://%1/v2/%2/manifests/%3").arg(m_host, repository, reference));
    const Answer got = send("GET", url, {},
                            {{"Accept", "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
                                        "application/vnd.docker.distribution.manifest.list.v2+json, "
                                        "application/vnd.docker.distribution.manifest.v2+json"}});
    if (got.status != 200)
        return failure("GET", url, got);
    return got.body;
}

} // namespace Restack::Test
