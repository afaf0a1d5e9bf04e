// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/blobtransfer.h"

#include <QLoggingCategory>

#include "registry/client.h"
#include "registry/registryerror.h"
#include "registry/scopes.h"

Q_LOGGING_CATEGORY(lcTransfer, "restack.registry.transfer", QtWarningMsg)

namespace Restack::Registry
{

using Image::Descriptor;
using Image::Digest;
using Image::Reference;

QUrl uploadLocation(const Response &response)
{
    const QByteArray location = response.header("Location");
    if (location.isEmpty())
        return {};
    return response.url.resolved(QUrl::fromEncoded(location));
}

QUrl withDigestParameter(const QUrl &location, const Digest &digest)
{
    QUrl url = location;
    // Keep the registry's opaque query (upload state) byte for byte; only append.
    QString query = location.query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        query += QLatin1Char('&');
    query += QStringLiteral("digest=") + QString::fromLatin1(QUrl::toPercentEncoding(digest.toString()));
    url.setQuery(query, QUrl::StrictMode);
    return url;
}

Request uploadSessionRequest(const Reference &repository, const QStringList &extraScopes)
{
    Request request;
    request.method = "POST";
    request.registry = repository.registry();
    request.path = QStringLiteral("/v2/%1/blobs/uploads/").arg(repository.repository());
    request.scopes = QStringList{Scopes::pullPush(repository.repository())} + extraScopes;
    request.kind = QStringLiteral("blob upload");
    request.maxBodyBytes = 1024 * 1024;
    return request;
}

Result<QUrl> uploadSessionFrom(const Result<Response> &r, const Reference &where, const QString &what)
{
    if (!r.ok())
        return Error(r.error()).at(where.registry(), where.repository(), where.identifier());
    if (r->status != 202)
        return errorFromResponse(r.value(), what, where.registry(), where.repository(), where.identifier());
    const QUrl location = uploadLocation(r.value());
    if (!location.isValid())
        return Error::make(Error::Kind::Http, QStringLiteral("the registry opened an upload without a Location"))
            .at(where.registry(), where.repository());
    return location;
}

void cancelUploadSession(Client *client, const Reference &repository, const QUrl &location)
{
    if (!location.isValid())
        return;
    Request request;
    request.method = "DELETE";
    request.registry = repository.registry();
    request.url = location;
    request.scopes = {Scopes::pullPush(repository.repository())};
    request.kind = QStringLiteral("upload DELETE");
    client->callInBackground(request);
}

// --- BlobUploadTask ----------------------------------------------------------------------------

BlobUploadTask::BlobUploadTask(Client *client, Reference repository, QByteArray data, Callback<Digest> done,
                               QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_repository(std::move(repository))
    , m_data(std::move(data))
    , m_digest(Digest::of(m_data))
{
}

void BlobUploadTask::start()
{
    // A session opened ahead by Client::prepareUpload(): only the PUT is left.
    const bool prepared = m_client->takePreparedUpload(m_repository, this, [this](Result<QUrl> location) {
        if (isFinished()) {
            if (location.ok())
                cancelUploadSession(m_client, m_repository, location.value());
            return;
        }
        if (location.ok())
            return put(location.value());
        qCDebug(lcTransfer).noquote() << "prepared upload session failed, opening another:" << location.error().toString();
        openSession();
    });
    if (!prepared)
        openSession();
}

void BlobUploadTask::openSession()
{
    const Reference where = m_repository.withDigest(m_digest);
    m_current = m_client->call(uploadSessionRequest(m_repository), this, [this, where](const Result<Response> &r) {
        auto location = uploadSessionFrom(r, where, QStringLiteral("start upload of %1").arg(m_digest.toString()));
        if (!location.ok())
            return complete(location.error());
        put(location.value());
    });
}

void BlobUploadTask::put(const QUrl &location)
{
    const Reference where = m_repository.withDigest(m_digest);
    Request put;
    put.method = "PUT";
    put.registry = m_repository.registry();
    put.url = withDigestParameter(location, m_digest);
    put.body = m_data;
    put.scopes = {Scopes::pullPush(m_repository.repository())};
    put.kind = QStringLiteral("blob upload");
    put.maxBodyBytes = 1024 * 1024;
    m_current = m_client->call(put, this, [this, where, location](const Result<Response> &r) {
        if (!r.ok()) {
            cancelUploadSession(m_client, m_repository, location);
            return complete(Error(r.error()).at(where.registry(), where.repository(), where.identifier()));
        }
        if (r->status != 201 && r->status != 204) {
            cancelUploadSession(m_client, m_repository, location);
            return complete(errorFromResponse(r.value(), QStringLiteral("upload of %1").arg(m_digest.toString()),
                                              where.registry(), where.repository(), where.identifier()));
        }
        complete(m_digest);
    });
}

// --- BlobCopyTask ------------------------------------------------------------------------------

BlobCopyTask::BlobCopyTask(Client *client, Reference source, Reference target, Descriptor blob, QUrl location,
                           std::function<void(qint64)> progress, Callback<void> done, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_source(std::move(source))
    , m_target(std::move(target))
    , m_blob(std::move(blob))
    , m_location(std::move(location))
    , m_progress(std::move(progress))
    , m_hasher(std::make_unique<Image::DigestHasher>(m_blob.digest.algorithm()))
{
}

void BlobCopyTask::start()
{
    if (m_location.isValid())
        startDownload();
    else
        openSession();
}

void BlobCopyTask::openSession()
{
    const Reference where = m_target.withDigest(m_blob.digest);
    m_upload = m_client->call(uploadSessionRequest(m_target), this, [this, where](const Result<Response> &r) {
        m_upload = nullptr;
        auto location = uploadSessionFrom(r, where, QStringLiteral("start upload of %1").arg(m_blob.digest.toString()));
        if (!location.ok())
            return fail(location.error());
        m_location = location.value();
        startDownload();
    });
}

void BlobCopyTask::startDownload()
{
    Request request;
    request.registry = m_source.registry();
    request.path = QStringLiteral("/v2/%1/blobs/%2").arg(m_source.repository(), m_blob.digest.toString());
    request.scopes = {Scopes::pull(m_source.repository())};
    request.kind = QStringLiteral("blob GET");
    request.followRedirects = true;
    request.streamBody = true;
    auto *download = new HttpCall(m_client, request, this);
    m_download = download;
    connect(download, &HttpCall::dataAvailable, this, &BlobCopyTask::pump);
    connect(download, &Task::finished, this, [this, download] {
        const Result<Response> &r = download->result();
        if (!r.ok())
            return fail(r.error());
        if (r->status != 200)
            return fail(errorFromResponse(r.value(), QStringLiteral("GET blob %1").arg(m_blob.digest.toString()),
                                          m_source.registry(), m_source.repository(), m_blob.digest.toString()));
        m_downloadDone = true;
        pump();
    });
    download->start();
}

void BlobCopyTask::pump()
{
    if (isFinished() || !m_download)
        return;
    const qint64 chunk = m_client->options().uploadChunkBytes;
    if (m_buffer.capacity() < chunk)
        m_buffer.reserve(chunk); // one allocation per chunk, not one per slice
    // Hash at most a slice per event-loop turn, so that a copy never holds the (GUI) thread for
    // long: the rest is taken on the next turn. The next chunk fills while the previous one uploads.
    constexpr qint64 Slice = 1024 * 1024;
    qint64 taken = 0;
    while (m_download->bytesAvailable() > 0 && m_buffer.size() < chunk) {
        if (taken >= Slice) {
            QMetaObject::invokeMethod(this, &BlobCopyTask::pump, Qt::QueuedConnection);
            return;
        }
        const QByteArray data = m_download->read(qMin(chunk - m_buffer.size(), Slice));
        if (data.isEmpty())
            break;
        taken += data.size();
        m_hasher->addData(data);
        m_buffer += data;
        if (m_hasher->bytes() > m_blob.size)
            return fail(Error::make(Error::Kind::DigestMismatch,
                                    QStringLiteral("blob %1 is longer than its descriptor's %2 bytes")
                                        .arg(m_blob.digest.toString())
                                        .arg(m_blob.size))
                            .at(m_source.registry(), m_source.repository(), m_blob.digest.toString()));
        if (m_progress)
            m_progress(m_hasher->bytes());
    }
    const bool full = m_buffer.size() >= chunk;
    const bool allRead = m_downloadDone && m_download->bytesAvailable() == 0;
    if (m_upload) {
        // Both buffers in use: stop reading; the download waits (its stall timer too).
        m_download->setConsumerBusy(full);
        return;
    }
    m_download->setConsumerBusy(false);
    if (full && !allRead)
        sendChunk(false);
    else if (allRead)
        sendChunk(true);
}

void BlobCopyTask::sendChunk(bool last)
{
    if (last) {
        const Digest actual = m_hasher->result();
        if (actual != m_blob.digest || m_hasher->bytes() != m_blob.size)
            return fail(Error::make(Error::Kind::DigestMismatch,
                                    QStringLiteral("blob %1 arrived as %2 bytes hashing to %3 (expected %4 bytes)")
                                        .arg(m_blob.digest.toString())
                                        .arg(m_hasher->bytes())
                                        .arg(actual.toString())
                                        .arg(m_blob.size),
                                    QStringLiteral("the source registry or a proxy altered the content; retry"))
                            .at(m_source.registry(), m_source.repository(), m_blob.digest.toString()));
    }
    Request request;
    request.registry = m_target.registry();
    request.scopes = {Scopes::pullPush(m_target.repository())};
    request.kind = QStringLiteral("blob upload");
    request.maxBodyBytes = 1024 * 1024;
    request.body = std::exchange(m_buffer, QByteArray()); // the next chunk fills a new buffer meanwhile
    const qint64 sent = request.body.size();
    if (last) {
        request.method = "PUT";
        request.url = withDigestParameter(m_location, m_blob.digest);
    } else {
        request.method = "PATCH";
        request.url = m_location;
        request.headers = {{"Content-Range", QStringLiteral("%1-%2").arg(m_uploaded).arg(m_uploaded + sent - 1).toLatin1()}};
    }
    m_upload = m_client->call(request, this, [this, last, sent](const Result<Response> &r) {
        m_upload = nullptr;
        if (!r.ok())
            return fail(r.error());
        const int expected = last ? 201 : 202;
        if (r->status != expected && !(last && r->status == 204))
            return fail(errorFromResponse(r.value(), QStringLiteral("upload of %1").arg(m_blob.digest.toString()),
                                          m_target.registry(), m_target.repository(), m_blob.digest.toString()));
        m_uploaded += sent;
        m_client->countLayerBytes(sent, sent);
        if (last)
            return complete(Result<void>());
        const QUrl next = uploadLocation(r.value());
        if (next.isValid())
            m_location = next;
        pump();
    });
    if (!last)
        QMetaObject::invokeMethod(this, &BlobCopyTask::pump, Qt::QueuedConnection); // keep reading meanwhile
}

void BlobCopyTask::abort()
{
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void BlobCopyTask::fail(Error error)
{
    if (isFinished())
        return;
    qCDebug(lcTransfer).noquote() << "copy of" << m_blob.digest.toString() << "failed:" << error.toString();
    if (m_upload)
        m_upload->abort();
    if (m_download)
        m_download->abort();
    cancelUploadSession(m_client, m_target, m_location);
    if (error.registry.isEmpty())
        error.at(m_target.registry(), m_target.repository(), m_blob.digest.toString());
    complete(error);
}

// --- BlobTransferTask --------------------------------------------------------------------------

BlobTransferTask::BlobTransferTask(Client *client, Reference source, Reference target, Descriptor blob,
                                   TargetState targetState, Callback<BlobTransfer> done,
                                   std::function<void(qint64)> progress, QObject *parent)
    : CompositeTask(std::move(done), parent)
    , m_client(client)
    , m_source(std::move(source))
    , m_target(std::move(target))
    , m_blob(std::move(blob))
    , m_targetState(targetState)
    , m_progress(std::move(progress))
{
}

void BlobTransferTask::start()
{
    if (m_source.registry() != m_target.registry() || m_source.repository() == m_target.repository()) {
        copyUnlessPresent(QUrl());
        return;
    }
    Request request = uploadSessionRequest(m_target, {Scopes::pull(m_source.repository())});
    request.path += QStringLiteral("?mount=%1&from=%2")
                        .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_blob.digest.toString())),
                             QString::fromLatin1(QUrl::toPercentEncoding(m_source.repository(), "/")));
    request.kind = QStringLiteral("blob mount");
    m_current = m_client->call(request, this, [this](const Result<Response> &r) {
        m_current = nullptr;
        if (!r.ok())
            return complete(r.error());
        const int status = r->status;
        if (status == 201)
            return complete(BlobTransfer::Mounted);
        if (status == 202) {
            // The registry opened an upload session instead of mounting: finish it as a copy.
            return copyUnlessPresent(uploadLocation(r.value()));
        }
        if (status == 401 || status == 403 || status == 404)
            return copyUnlessPresent(QUrl());
        complete(errorFromResponse(r.value(), QStringLiteral("mount of %1 from %2").arg(m_blob.digest.toString(), m_source.repository()),
                                   m_target.registry(), m_target.repository(), m_blob.digest.toString()));
    });
}

void BlobTransferTask::copyUnlessPresent(const QUrl &location)
{
    if (m_targetState == TargetState::Absent)
        return copy(location);
    m_targetState = TargetState::Absent; // asked once
    m_current = m_client->blobExists(m_target, m_blob.digest, this, [this, location](Result<std::optional<qint64>> r) {
        m_current = nullptr;
        if (!r.ok()) {
            cancelUploadSession(m_client, m_target, location);
            return complete(r.error());
        }
        if (r->has_value()) {
            cancelUploadSession(m_client, m_target, location);
            return complete(BlobTransfer::AlreadyPresent);
        }
        copy(location);
    });
}

void BlobTransferTask::copy(const QUrl &location)
{
    auto *task = new BlobCopyTask(m_client, m_source, m_target, m_blob, location, m_progress,
                                  [this](Result<void> r) {
                                      m_current = nullptr;
                                      if (!r.ok())
                                          return complete(r.error());
                                      complete(BlobTransfer::Copied);
                                  },
                                  this);
    m_current = task;
    task->start();
}

} // namespace Restack::Registry
