// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

#include "common/result.h"
#include "image/descriptor.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "registry/httpcall.h"
#include "registry/scopes.h"
#include "registry/stats.h"
#include "registry/task.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace Restack::Registry
{

/** A username and its secret (password or token) for one registry. */
struct Credential
{
    QString username;
    QString secret;
    /**
     * The secret is an identity token: an OAuth2 refresh token (Docker's "identitytoken",
     * distribution docs/spec/auth/oauth.md), exchanged at the token realm with
     * grant_type=refresh_token instead of being sent as a password.
     */
    bool identityToken = false;
};

/**
 * Supplies the credential for a registry when the client first needs one (the registry sent a
 * challenge and no credential was set): calls @p done exactly once, with the credential, nullopt
 * for none (anonymous), or an Error that fails the request (a keychain that cannot be read, a
 * failing credential helper). Asked at most once per registry and client.
 */
using CredentialProvider =
    std::function<void(const QString &registry, QObject *context, Callback<std::optional<Credential>> done)>;

struct ClientOptions
{
    int transferTimeoutMs = 60'000;          ///< a transfer with no progress for this long fails as Timeout
    /**
     * Chunk size of streamed blob copies: one chunk uploads while the next is read, so a copy
     * holds about two chunks plus a 1 MiB network buffer, whatever the blob's size.
     */
    qint64 uploadChunkBytes = 16 * 1024 * 1024;
    qint64 maxInMemoryBlobBytes = 64 * 1024 * 1024; ///< fetchBlob() refuses larger blobs (configs are small)
    int pageSize = 1000;                     ///< n= for tags/list and _catalog
    /**
     * Retries: an idempotent request (GET, HEAD, manifest PUT, DELETE) that fails in transport or
     * gets 5xx, and any request answered 429, is sent again up to maxAttempts times in all, after
     * an exponential backoff with jitter (retryBaseDelayMs doubling, capped at retryMaxDelayMs) or
     * the registry's Retry-After, as long as the whole call stays within retryBudgetMs.
     */
    int maxAttempts = 5;
    int retryBaseDelayMs = 250;
    int retryMaxDelayMs = 8'000;
    int retryBudgetMs = 60'000;
    /**
     * Operations that cannot be retried request by request (a verified download, an upload
     * session, a streamed copy) start over when they fail transiently, up to this many attempts.
     */
    int maxOperationAttempts = 3;
};

/** A PEM client certificate and its private key, presented to a registry during the TLS handshake. */
struct ClientIdentity
{
    QSslCertificate certificate;
    QSslKey key;
};

/**
 * TLS settings of one registry beyond the system's: extra trusted CAs and a client certificate.
 * Empty by default without touching Qt's TLS backend: a default-constructed QSslCertificate or
 * QSslKey loads the backend and the system's CA store (~10 ms), which a plain-HTTP registry never needs.
 */
struct TlsOptions
{
    QList<QSslCertificate> caCertificates; ///< trusted in addition to the system CAs
    std::optional<ClientIdentity> client;  ///< presented to the registry itself (never to storage hosts)
};

/** What happened to a blob that had to be made present in a repository. */
enum class BlobTransfer {
    Mounted,        ///< cross-repository mount (201), no bytes moved
    Copied,         ///< streamed from the source repository into an upload
    AlreadyPresent, ///< the target repository had it already (found when a mount was refused), nothing moved
};

/** What a caller of Client::transferBlob() knows about the blob in the target repository. */
enum class TargetState {
    Absent,  ///< a HEAD said 404: mount, else copy
    Unknown, ///< not asked: mount first (one request where it works); when refused, HEAD before copying
};

/**
 * Asynchronous client for the OCI distribution spec v1.1 / Docker Registry HTTP API v2, built on
 * one QNetworkAccessManager (injected; never a global). It keeps per registry: the scheme
 * (HTTPS; plain HTTP only for loopback or --insecure registries), the authentication scheme
 * learned from WWW-Authenticate (Basic or Bearer), credentials, and bearer tokens cached per
 * scope set until their expires_in (default 60 s).
 *
 * Every operation returns a Task owned by @p context and calls its callback exactly once unless
 * the context is destroyed first. Every manifest and blob fetched is verified against the digest
 * asked for (sha256 or sha512); Docker-Content-Digest is checked when sent but never required.
 */
class Client final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)

public:
    explicit Client(QNetworkAccessManager *network, ClientOptions options = {}, QObject *parent = nullptr);
    ~Client() override;

    const ClientOptions &options() const { return m_options; }
    QNetworkAccessManager *network() const { return m_network; }

    /** Uses @p credential for Basic auth and token requests to @p registry. */
    void setCredential(const QString &registry, const Credential &credential);
    /** Extra CAs and a client certificate for @p registry (the CLI's --ca-file, --client-cert). */
    void setTls(const QString &registry, const TlsOptions &tls);
    /**
     * The TLS configuration for a request to @p url on behalf of @p registry: system CAs plus the
     * registry's, the client certificate when @p url is the registry's own host, and no peer
     * verification only for a registry set insecure.
     */
    QSslConfiguration sslConfiguration(const QString &registry, const QUrl &url) const;
    /** True when a credential is set (or was provided) for @p registry. */
    bool hasCredential(const QString &registry) const;
    /** True once @p registry answered a request with a Basic or Bearer challenge. */
    bool requiresAuthentication(const QString &registry) const;
    /**
     * Asks @p provider for a registry's credential the first time that registry challenges a
     * request without one; registries that never ask (anonymous access) never reach it.
     */
    void setCredentialProvider(CredentialProvider provider);
    /** Permits plain HTTP and unverified TLS for @p registry (the CLI's --insecure). */
    void setInsecure(const QString &registry, bool insecure = true);
    bool isInsecure(const QString &registry) const;
    /** True when @p registry may be reached over plain HTTP (insecure, or loopback as Docker allows). */
    bool mayUsePlainHttp(const QString &registry) const;

    /**
     * Declares scopes an operation will need on @p registry ("repository:NAME:pull,push"), so that
     * the first token requested covers all of them (a mount needs target push and source pull in
     * one token).
     */
    void addScopes(const QString &registry, const QStringList &scopes);

    const Stats &stats() const { return m_stats; }
    /** Forgets the cached content (manifests and blobs by digest, blobs known to be present). */
    void clearCache();
    void resetStats() { m_stats = {}; }

    /** GET /v2/: checks that @p registry speaks the API and that our credentials are accepted. */
    Task *ping(const QString &registry, QObject *context, Callback<void> done);

    /**
     * GET /v2/NAME/manifests/REFERENCE with every supported manifest type in Accept. The bytes are
     * verified against the reference's digest (or against Docker-Content-Digest when fetched by
     * tag and the header is present). Errors: NotFound, Unauthorized, DigestMismatch, TooLarge
     * (over 4 MiB, checked before reading the body when Content-Length says so), InvalidContent,
     * Unsupported, and transport errors.
     */
    Task *fetchManifest(const Image::Reference &ref, QObject *context, Callback<Image::Manifest> done);

    /** HEAD /v2/NAME/manifests/REFERENCE: the descriptor, or nullopt when the registry says 404. */
    Task *headManifest(const Image::Reference &ref, QObject *context,
                       Callback<std::optional<Image::Descriptor>> done);

    /**
     * GET /v2/NAME/blobs/DIGEST into memory (for configs): size-capped by the descriptor's size and
     * ClientOptions::maxInMemoryBlobBytes, verified against the digest. Follows redirects to
     * storage hosts without sending Authorization there.
     */
    Task *fetchBlob(const Image::Reference &repository, const Image::Descriptor &blob, QObject *context,
                    Callback<QByteArray> done);

    /** HEAD /v2/NAME/blobs/DIGEST: the size in bytes when the repository has it, nullopt on 404. */
    Task *blobExists(const Image::Reference &repository, const Image::Digest &digest, QObject *context,
                     Callback<std::optional<qint64>> done);

    /**
     * Makes @p blob present in @p target, taking it from @p source: a cross-repository mount
     * (POST ?mount=DIGEST&from=SOURCE) when both are in the same registry; when the registry
     * answers 202 (an upload session instead of a mount) the blob is streamed into that session;
     * on 401/403/404 or across registries it is copied: streamed from the source (GET, following
     * redirects) into a chunked upload (PATCH ... PUT ?digest=), never held whole in memory and
     * verified against its digest before the upload is committed. @p progress reports bytes
     * copied so far.
     */
    Task *transferBlob(const Image::Reference &source, const Image::Reference &target, const Image::Descriptor &blob,
                       QObject *context, Callback<BlobTransfer> done,
                       std::function<void(qint64 bytes)> progress = {}, TargetState targetState = TargetState::Absent);

    /**
     * Monolithic upload of @p data (POST, then PUT ?digest=) into @p repository (distribution spec
     * "Pushing a blob monolithically", POST then PUT). Takes an upload session opened by
     * prepareUpload() when one is ready or in flight, so that only the PUT is left to wait for.
     */
    Task *uploadBlob(const Image::Reference &repository, const QByteArray &data, QObject *context,
                     Callback<Image::Digest> done);

    /**
     * Opens an upload session in @p repository now (POST /v2/NAME/blobs/uploads/), ahead of the
     * uploadBlob() that will use it, so that the POST's round trip overlaps the reads that decide
     * what to upload. The next uploadBlob() into @p repository takes it; when the POST failed, that
     * upload opens its own session and reports its own error. The session belongs to @p owner
     * until an upload takes it: discardPreparedUploads(@p owner), or destroying @p owner, cancels it.
     */
    void prepareUpload(const Image::Reference &repository, const QObject *owner);
    /**
     * Cancels (DELETE, in the background) the sessions prepareUpload() opened for @p owner that no
     * upload took; sessions still being opened are cancelled once the registry answers.
     */
    void discardPreparedUploads(const QObject *owner);
    /**
     * Best-effort requests still in flight (opening or cancelling upload sessions): a process
     * about to exit, or code about to destroy this client, waits for backgroundCallsFinished() so
     * that the registry is left with no stray session; destroying the client drops them.
     */
    bool hasBackgroundCalls() const;
    /**
     * Calls @p then once, from the event loop, when no background call is left or after
     * @p timeoutMs milliseconds, whichever comes first (unless @p context is gone by then).
     */
    void afterBackgroundCalls(int timeoutMs, QObject *context, std::function<void()> then);
    /**
     * Sends @p request as a best-effort background call owned by this client (see
     * hasBackgroundCalls()); @p done, when set, gets its result.
     */
    void callInBackground(Request request, std::function<void(const Result<Response> &)> done = {});

    /**
     * PUT /v2/NAME/manifests/REFERENCE with exactly @p raw and Content-Type @p mediaType. The
     * reference is the target's tag (or digest). Returns the digest the registry reports, which
     * must equal the sha256 of @p raw (DigestMismatch otherwise).
     */
    Task *pushManifest(const Image::Reference &target, const QByteArray &raw, const QString &mediaType,
                       QObject *context, Callback<Image::Digest> done);

    /**
     * GET /v2/NAME/tags/list following Link rel="next" to the end. @p page (optional) receives each
     * page as it arrives. A page size over the registry's cap (PAGINATION_NUMBER_INVALID) is
     * retried with a smaller one.
     */
    Task *listTags(const Image::Reference &repository, QObject *context, Callback<QStringList> done,
                   std::function<void(const QStringList &)> page = {});

    /** GET /v2/_catalog, all pages; otherwise as listTags(). */
    Task *listCatalog(const QString &registry, QObject *context, Callback<QStringList> done,
                      std::function<void(const QStringList &)> page = {});

    /** Low-level: a request with auth, redirects and scheme handling; the caller maps statuses. */
    HttpCall *call(Request request, QObject *context, std::function<void(const Result<Response> &)> done);

    // --- used by HttpCall ---------------------------------------------------------------------
    /** Base URL "scheme://apiHost" of @p registry with the scheme currently believed to work. */
    QUrl baseUrl(const QString &registry) const;
    /** Records that @p scheme answered for @p registry (stops trying the other one). */
    void confirmScheme(const QString &registry, const QString &scheme);
    /**
     * After a failure to reach @p registry over @p scheme (no HTTP answer, or a plain-HTTP request
     * refused by a TLS port): switches to the other scheme when that is allowed and not yet tried.
     * Loopback registries are tried over HTTP first, others over HTTPS; HTTP is only ever used for
     * loopback or --insecure registries.
     */
    bool switchScheme(const QString &registry, const QString &scheme);
    bool isSchemeConfirmed(const QString &registry) const;
    /** The Authorization header value to send now for @p scopes (may be empty). */
    QByteArray authorization(const QString &registry, const QStringList &scopes) const;
    /** Calls @p ready once a request needing @p scopes can be authorised (fetches a token if needed). */
    void prepareAuthorization(const QString &registry, const QStringList &scopes, QObject *context,
                              Callback<void> ready);
    /**
     * Handles a 401: learns the challenge, then fetches a fresh token or switches to Basic. Calls
     * @p ready with true when the request should be sent again, false when the 401 stands (no
     * credentials for Basic, credentials already rejected, insufficient scope), or an Error when
     * a token could not be obtained.
     */
    void answerChallenge(const QString &registry, const QByteArray &wwwAuthenticate, const QStringList &scopes,
                         bool hadAuthorization, QObject *context, Callback<bool> ready);
    void countRequest(const QString &kind, qint64 bytesSent);
    void countReceived(qint64 bytes) { m_stats.bytesReceived += bytes; }
    void countRetry() { ++m_stats.retries; }
    void countRestart() { ++m_stats.restarts; }
    void countLayerBytes(qint64 received, qint64 sent)
    {
        m_stats.layerBytesReceived += received;
        m_stats.layerBytesSent += sent;
    }

private:
    /** Wraps @p attempt in a RestartingTask with this client's limits. */
    template<typename T>
    Task *restarting(QObject *context, Callback<T> done, typename RestartingTask<T>::Attempt attempt);
    /**
     * Runs @p start once for all concurrent callers asking for the same @p key: later callers join
     * the operation in flight instead of repeating it (registries race when one blob is committed
     * twice at once into one repository).
     */
    template<typename T>
    struct Shared
    {
        QPointer<Task> task;
        QList<QPointer<JoinTask<T>>> joiners;
    };
    template<typename T>
    Task *joined(QHash<QString, Shared<T>> &inFlight, const QString &key, QObject *context, Callback<T> done,
                 std::function<Task *(Callback<T>)> start);
    /** A task delivering @p result from the event loop, as if it had come from the network. */
    template<typename T>
    Task *immediately(QObject *context, Callback<T> done, Result<T> result);
    /** "registry/repository@digest": the key of immutable content. */
    static QString contentKey(const Image::Reference &repository, const Image::Digest &digest);
    void rememberBlob(const QString &key, qint64 size);
    Task *fetchManifestOnce(const Image::Reference &ref, QObject *context, Callback<Image::Manifest> done);
    Task *fetchBlobOnce(const Image::Reference &repository, const Image::Descriptor &blob, QObject *context,
                        Callback<QByteArray> done);

    struct Token
    {
        Scopes::ScopeSet scopes; ///< granted: from the JWT's "access" claim when readable, else as requested
        QByteArray value;
        qint64 expiresAtMs = 0;
    };
    struct TokenWaiter
    {
        QStringList scopes;
        QPointer<QObject> context;
        Callback<void> ready;
        bool included = false;     ///< its scopes were part of the token request in flight
        bool askedAlone = false;   ///< a token was requested for its own scopes only
    };
    enum class AuthMode { None, Basic, Bearer };
    struct RegistryState
    {
        QString scheme;
        bool schemeConfirmed = false;
        QSet<QString> schemesTried;
        bool insecure = false;
        TlsOptions tls;
        std::optional<Credential> credential;
        bool credentialAsked = false;          ///< the provider answered (or is asked) for this registry
        QList<std::function<void()>> credentialWaiters; ///< challenges waiting for the provider
        std::optional<Error> credentialError;  ///< what the provider failed with
        AuthMode mode = AuthMode::None;
        QString realm;
        QString service;
        QList<Token> tokens;
        Scopes::ScopeSet wantedScopes;
        bool fetchingToken = false;
        QList<TokenWaiter> waiters;
    };

    RegistryState &state(const QString &registry);
    const RegistryState *findState(const QString &registry) const;
    /**
     * A valid token granting @p scopes; with @p partial, failing that, the newest valid token
     * granting something on one of their resources (the registry then decides, and says
     * insufficient_scope when it is not enough).
     */
    const Token *coveringToken(const RegistryState &s, const QStringList &scopes, bool partial = false) const;
    void withCredential(const QString &registry, QObject *context, std::function<void(Result<void>)> then);
    void fetchToken(const QString &registry, const QStringList &scopes, bool alone = false);
    QNetworkReply *requestToken(const QString &registry, const QStringList &scopes);
    void finishTokenFetch(const QString &registry, const Result<void> &outcome);

    QNetworkAccessManager *m_network;
    ClientOptions m_options;
    QHash<QString, RegistryState> m_registries;
    QHash<QString, Shared<Image::Digest>> m_uploadsInFlight;
    QHash<QString, Shared<BlobTransfer>> m_transfersInFlight;
    QHash<QString, Shared<Image::Manifest>> m_manifestsInFlight;
    QHash<QString, Shared<QByteArray>> m_blobsInFlight;
    // Content is immutable under its digest: manifests and small blobs fetched once are kept
    // (bounded, by bytes), and blobs a repository was seen to hold are not asked about again.
    QCache<QString, Image::Manifest> m_manifestCache;
    QCache<QString, QByteArray> m_blobCache;
    QHash<QString, qint64> m_presentBlobs;
    CredentialProvider m_credentialProvider;
    Stats m_stats;

    /** An upload session opened by prepareUpload(): its Location once the POST is answered. */
    struct PreparedUpload
    {
        std::optional<Result<QUrl>> location;          ///< set once the registry answered
        std::function<void(Result<QUrl>)> waiter;       ///< the upload that took it before the answer
        bool discarded = false;                         ///< cancel the session once answered
        const QObject *owner = nullptr;                 ///< compared only, never dereferenced
        Image::Reference repository;
    };
    /**
     * Takes a session prepared in @p repository: calls @p then with its Location (or the POST's
     * error) now or once answered, unless @p context is gone by then. False when none is prepared.
     */
    bool takePreparedUpload(const Image::Reference &repository, QObject *context, std::function<void(Result<QUrl>)> then);
    QHash<QString, QList<std::shared_ptr<PreparedUpload>>> m_preparedUploads; ///< by repository name
    int m_backgroundCalls = 0;

    friend class BlobUploadTask;

Q_SIGNALS:
    /** The last background call (see hasBackgroundCalls()) finished. */
    void backgroundCallsFinished();
};

} // namespace Restack::Registry
