// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

#include "common/result.h"
#include "image/descriptor.h"
#include "image/reference.h"
#include "registry/httpcall.h"
#include "registry/task.h"

namespace Restack::Registry
{

class Client;
enum class BlobTransfer;
enum class TargetState;

/** The upload URL a registry answered with (Location resolved against the request URL). */
QUrl uploadLocation(const Response &response);
/** @p location with "digest=DIGEST" appended to its query, which is kept exactly as sent. */
QUrl withDigestParameter(const QUrl &location, const Image::Digest &digest);
/** POST /v2/NAME/blobs/uploads/ (push on @p repository, plus @p extraScopes): opens an upload session. */
Request uploadSessionRequest(const Image::Reference &repository, const QStringList &extraScopes = {});
/**
 * The Location of the session a POST to /v2/NAME/blobs/uploads/ opened (202), or the error to
 * report (transport error, another status, no Location), located at @p where.
 */
Result<QUrl> uploadSessionFrom(const Result<Response> &r, const Image::Reference &where, const QString &what);
/** Cancels the upload session at @p location (DELETE), best effort, as a background call of @p client. */
void cancelUploadSession(Client *client, const Image::Reference &repository, const QUrl &location);

/** Monolithic blob upload: POST /v2/NAME/blobs/uploads/, then PUT LOCATION?digest= with the bytes. Internal to Client. */
class BlobUploadTask final : public CompositeTask<Image::Digest>
{
public:
    BlobUploadTask(Client *client, Image::Reference repository, QByteArray data, Callback<Image::Digest> done,
                   QObject *parent);
    void start();

private:
    void openSession();
    void put(const QUrl &location);

    Client *m_client;
    Image::Reference m_repository;
    QByteArray m_data;
    Image::Digest m_digest;
};

/**
 * Streams one blob from a source repository into an upload session of a target repository:
 * GET (following redirects to storage) read in chunks of ClientOptions::uploadChunkBytes, each
 * sent as PATCH with Content-Range while the next one is read, then PUT ?digest= once the
 * streamed bytes were verified against the descriptor's digest and size. At most two chunks and
 * a 1 MiB network buffer are in memory. A failed copy cancels its upload session (DELETE).
 * Internal to Client.
 */
class BlobCopyTask final : public CompositeTask<void>
{
public:
    BlobCopyTask(Client *client, Image::Reference source, Image::Reference target, Image::Descriptor blob,
                 QUrl location, std::function<void(qint64)> progress, Callback<void> done, QObject *parent);
    void start();
    void abort() override;

private:
    void openSession();
    void startDownload();
    void pump();
    void sendChunk(bool last);
    void fail(Error error);

    Client *m_client;
    Image::Reference m_source;
    Image::Reference m_target;
    Image::Descriptor m_blob;
    QUrl m_location;
    std::function<void(qint64)> m_progress;
    QPointer<HttpCall> m_download;
    QPointer<HttpCall> m_upload;
    std::unique_ptr<Image::DigestHasher> m_hasher;
    QByteArray m_buffer;
    qint64 m_uploaded = 0;
    bool m_downloadDone = false;
};

/**
 * Makes a blob present in a target repository: mount from the source repository of the same
 * registry (201), finish a 202's upload session as a copy, fall back to a copy on 401/403/404,
 * or copy across registries. When the caller did not HEAD the target first (TargetState::Unknown),
 * a refused mount is followed by a HEAD, so that a blob the target has is never copied.
 * Internal to Client.
 */
class BlobTransferTask final : public CompositeTask<BlobTransfer>
{
public:
    BlobTransferTask(Client *client, Image::Reference source, Image::Reference target, Image::Descriptor blob,
                     TargetState targetState, Callback<BlobTransfer> done, std::function<void(qint64)> progress,
                     QObject *parent);
    void start();

private:
    /** After a refused mount: copies, first asking the target (HEAD) when nobody did. */
    void copyUnlessPresent(const QUrl &location);
    void copy(const QUrl &location);

    Client *m_client;
    Image::Reference m_source;
    Image::Reference m_target;
    Image::Descriptor m_blob;
    TargetState m_targetState;
    std::function<void(qint64)> m_progress;
};

} // namespace Restack::Registry
