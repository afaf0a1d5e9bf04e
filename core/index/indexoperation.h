// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

#include <optional>

#include "common/result.h"
#include "index/indexrequest.h"
#include "rebase/plan.h"
#include "registry/blobsync.h"
#include "registry/task.h"

namespace Restack::Registry
{
class Client;
}

namespace Restack::Index
{

/** One image of the assembled index. */
struct IndexChild
{
    IndexEntry entry;
    Rebase::ImageData image;           ///< the image manifest and config (the chosen child of an index entry)
    Image::Descriptor descriptor;      ///< as it appears in the index: media type, digest, size, platform
    QList<Registry::BlobItem> blobs;   ///< its config and layers, and how they got into the target repository
    bool manifestCopied = false;       ///< its manifest was pushed into the target repository by digest
};

struct IndexOutcome
{
    Image::Reference target;
    QStringList tags;                  ///< every tag pushed (the target's first)
    QByteArray index;                  ///< the exact bytes pushed
    QString mediaType;
    Image::Digest digest;
    QList<IndexChild> children;
    bool dryRun = false;
};

/**
 * Assembles an OCI image index or Docker manifest list from images (OCI image spec
 * image-index.md; Docker manifest-v2-2.md "Manifest List") and pushes it: each image's platform
 * is read from its config (os, architecture, variant, os.version, os.features) with the entry's
 * overrides applied; duplicate platforms are rejected; images from other repositories or
 * registries are brought into the target repository first (blobs mounted or copied, then the
 * manifest pushed by digest, byte for byte); the index goes to the target tag and the extra tags
 * last. The type is the request's, else the children's family (a mix needs an explicit type; a
 * Docker manifest list cannot hold OCI manifests).
 */
class IndexOperation final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IndexOperation)

public:
    IndexOperation(Registry::Client *client, IndexRequest request, QObject *parent = nullptr);
    ~IndexOperation() override;

    void start();
    /**
     * Stops the work and reports Kind::Cancelled, saying which tags (if any) already point at the
     * index. A tag PUT already sent is let finish first (the registry may be storing it; aborting
     * could leave the tag changed while reporting it unchanged), and no further tag is pushed.
     */
    void cancel();
    /** Valid after finished(). */
    const Result<IndexOutcome> &result() const { return m_result; }
    /** One line saying what is happening, for progress output. */
    QString status() const { return m_status; }

Q_SIGNALS:
    void statusChanged();
    void finished();

private:
    void onResolved();
    void pushChildren();
    void pushIndex();
    void pushNextTag();
    /** "REGISTRY/REPOSITORY:TAG, ..." for @p tags of the target's repository. */
    QString references(const QStringList &tags) const;
    Result<QByteArray> buildIndex();
    void setStatus(const QString &status);
    void fail(Error error);
    void track(Registry::Task *task);

    Registry::Client *m_client;
    IndexRequest m_request;
    QList<std::optional<Rebase::ImageData>> m_images;
    IndexOutcome m_outcome;
    Result<IndexOutcome> m_result = Error::make(Error::Kind::Internal, QStringLiteral("not finished"));
    QList<QPointer<Registry::Task>> m_tasks;
    QStringList m_tagsToPush;
    QString m_status;
    int m_resolved = 0;
    bool m_finished = false;
    /** The tag PUT in flight (null between tags): on cancel it ends without retrying. */
    QPointer<Registry::Task> m_tagPut;
    bool m_cancelRequested = false;
};

} // namespace Restack::Index
