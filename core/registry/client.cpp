// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/client.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

#include "image/mediatypes.h"
#include "registry/blobtransfer.h"
#include "registry/pagedlist.h"
#include "registry/registryerror.h"
#include "registry/wwwauthenticate.h"

Q_LOGGING_CATEGORY(lcAuth, "restack.registry.auth", QtWarningMsg)

namespace Restack::Registry
{

using Image::Descriptor;
using Image::Digest;
using Image::Manifest;
using Image::Reference;

namespace
{
constexpr int DefaultTokenLifetimeSeconds = 60;
constexpr qint64 MaxTokenResponseBytes = 1024 * 1024;

QString manifestPath(const Reference &ref)
{
    return QStringLiteral("/v2/%1/manifests/%2").arg(ref.repository(), ref.identifier());
}

QString blobPath(const Reference &repository, const Digest &digest)
{
    return QStringLiteral("/v2/%1/blobs/%2").arg(repository.repository(), digest.toString());
}

Error located(Error error, const Reference &ref)
{
    return error.at(ref.registry(), ref.repository(), ref.hasDigest() || !ref.tag().isEmpty() ? ref.identifier() : QString());
}

bool isLoopbackHost(const QString &host)
{
    return Reference::isLoopbackRegistry(host);
}

} // namespace

Client::Client(QNetworkAccessManager *network, ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
    , m_manifestCache(64 * 1024 * 1024) // costs in bytes
    , m_blobCache(32 * 1024 * 1024)
{
    Q_ASSERT(network);
}

Client::~Client() = default;

Client::RegistryState &Client::state(const QString &registry)
{
    return m_registries[registry];
}

const Client::RegistryState *Client::findState(const QString &registry) const
{
    const auto it = m_registries.constFind(registry);
    return it == m_registries.cend() ? nullptr : &it.value();
}

void Client::setCredential(const QString &registry, const Credential &credential)
{
    RegistryState &s = state(registry);
    s.credential = credential;
    s.credentialAsked = true;
    s.credentialError.reset();
    s.tokens.clear();
}

void Client::setInsecure(const QString &registry, bool insecure)
{
    state(registry).insecure = insecure;
}

void Client::setTls(const QString &registry, const TlsOptions &tls)
{
    state(registry).tls = tls;
}

QSslConfiguration Client::sslConfiguration(const QString &registry, const QUrl &url) const
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    const RegistryState *s = findState(registry);
    if (!s)
        return ssl;
    if (s->insecure) {
        // Only for registries the user named as insecure: accept any certificate.
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    if (!s->tls.caCertificates.isEmpty())
        ssl.setCaCertificates(ssl.caCertificates() + s->tls.caCertificates);
    const QString apiHost = Reference::apiHostFor(registry);
    const bool registryHost = url.host().compare(QUrl(QStringLiteral("//") + apiHost).host(), Qt::CaseInsensitive) == 0;
    if (registryHost && s->tls.client) {
        ssl.setLocalCertificate(s->tls.client->certificate);
        ssl.setPrivateKey(s->tls.client->key);
    }
    return ssl;
}

bool Client::isInsecure(const QString &registry) const
{
    const RegistryState *s = findState(registry);
    return s && s->insecure;
}

bool Client::mayUsePlainHttp(const QString &registry) const
{
    return isInsecure(registry) || Reference::isLoopbackRegistry(registry);
}

void Client::addScopes(const QString &registry, const QStringList &scopes)
{
    Scopes::merge(state(registry).wantedScopes, scopes);
}

QUrl Client::baseUrl(const QString &registry) const
{
    const RegistryState *s = findState(registry);
    QString scheme = s ? s->scheme : QString();
    if (scheme.isEmpty()) {
        // As Docker allows, a loopback registry may speak plain HTTP; trying it first spares
        // loading TLS for the usual local registry. Everything else starts (and, unless
        // --insecure, stays) on HTTPS.
        scheme = Reference::isLoopbackRegistry(registry) ? QStringLiteral("http") : QStringLiteral("https");
    }
    return QUrl(scheme + QStringLiteral("://") + Reference::apiHostFor(registry));
}

bool Client::isSchemeConfirmed(const QString &registry) const
{
    const RegistryState *s = findState(registry);
    return s && s->schemeConfirmed;
}

void Client::confirmScheme(const QString &registry, const QString &scheme)
{
    RegistryState &s = state(registry);
    if (s.schemeConfirmed)
        return;
    s.scheme = scheme;
    s.schemeConfirmed = true;
}

bool Client::switchScheme(const QString &registry, const QString &scheme)
{
    if (!mayUsePlainHttp(registry))
        return false;
    RegistryState &s = state(registry);
    s.schemesTried.insert(scheme);
    const QString other = scheme == QLatin1String("http") ? QStringLiteral("https") : QStringLiteral("http");
    if (s.schemeConfirmed || s.schemesTried.contains(other))
        return false;
    qCDebug(lcAuth).noquote() << registry << "did not answer over" << scheme << "; trying" << other;
    s.scheme = other;
    return true;
}

void Client::countRequest(const QString &kind, qint64 bytesSent)
{
    m_stats.requestsByKind[kind.isEmpty() ? QStringLiteral("other") : kind] += 1;
    m_stats.bytesSent += bytesSent;
}

// --- authentication ------------------------------------------------------------------------

namespace
{
// The scopes a token grants, from its JWT "access" claim (distribution docs/spec/auth/jwt.md), read
// without verifying the signature: only the registry needs to trust the token, the client just
// avoids asking again for what the token server refused. nullopt for opaque tokens.
std::optional<Scopes::ScopeSet> grantedScopes(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return std::nullopt;
    const QByteArray payload =
        QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    if (!claims.contains(QLatin1String("access")))
        return std::nullopt;
    Scopes::ScopeSet granted;
    for (const QJsonValue &value : claims.value(QLatin1String("access")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString resource = entry.value(QLatin1String("type")).toString() + QLatin1Char(':')
            + entry.value(QLatin1String("name")).toString();
        QSet<QString> &actions = granted[resource];
        for (const QJsonValue &action : entry.value(QLatin1String("actions")).toArray())
            actions.insert(action.toString());
    }
    return granted;
}

QByteArray basicAuthorization(const Credential &credential)
{
    return QByteArrayLiteral("Basic ") + (credential.username + QLatin1Char(':') + credential.secret).toUtf8().toBase64();
}
} // namespace

bool Client::hasCredential(const QString &registry) const
{
    const RegistryState *s = findState(registry);
    return s && s->credential;
}

bool Client::requiresAuthentication(const QString &registry) const
{
    const RegistryState *s = findState(registry);
    return s && s->mode != AuthMode::None;
}

void Client::setCredentialProvider(CredentialProvider provider)
{
    m_credentialProvider = std::move(provider);
}

const Client::Token *Client::coveringToken(const RegistryState &s, const QStringList &scopes, bool partial) const
{
    const Scopes::ScopeSet needed = Scopes::parse(scopes);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Token &token : s.tokens) {
        if (token.expiresAtMs > now && Scopes::covers(token.scopes, needed))
            return &token;
    }
    if (!partial)
        return nullptr;
    for (auto it = s.tokens.crbegin(); it != s.tokens.crend(); ++it) {
        if (it->expiresAtMs <= now)
            continue;
        for (auto resource = needed.cbegin(); resource != needed.cend(); ++resource) {
            if (it->scopes.contains(resource.key()))
                return &*it;
        }
    }
    return nullptr;
}

QByteArray Client::authorization(const QString &registry, const QStringList &scopes) const
{
    const RegistryState *s = findState(registry);
    if (!s)
        return {};
    if (s->mode == AuthMode::Basic && s->credential && !s->credential->identityToken)
        return basicAuthorization(*s->credential);
    if (s->mode == AuthMode::Bearer) {
        if (const Token *token = coveringToken(*s, scopes, true))
            return QByteArrayLiteral("Bearer ") + token->value;
    }
    return {};
}

void Client::prepareAuthorization(const QString &registry, const QStringList &scopes, QObject *context,
                                  Callback<void> ready)
{
    RegistryState &s = state(registry);
    if (s.mode != AuthMode::Bearer || coveringToken(s, scopes)) {
        ready(Result<void>());
        return;
    }
    s.waiters.append({scopes, context, std::move(ready)});
    if (!s.fetchingToken)
        fetchToken(registry, scopes);
}

void Client::withCredential(const QString &registry, QObject *context, std::function<void(Result<void>)> then)
{
    RegistryState &s = state(registry);
    if (s.credential || !m_credentialProvider)
        return then(Result<void>());
    if (s.credentialAsked && s.credentialWaiters.isEmpty()) {
        // Answered before: anonymous, or the provider's error stands.
        if (s.credentialError)
            return then(*s.credentialError);
        return then(Result<void>());
    }
    s.credentialWaiters.append([this, registry, guard = QPointer<QObject>(context), then] {
        if (!guard)
            return;
        const RegistryState &answered = state(registry);
        if (answered.credentialError)
            then(*answered.credentialError);
        else
            then(Result<void>());
    });
    if (s.credentialAsked)
        return; // the provider is busy with this registry already
    s.credentialAsked = true;
    qCDebug(lcAuth).noquote() << registry << "asks for credentials: asking the credential provider";
    m_credentialProvider(registry, this, [this, registry](Result<std::optional<Credential>> answer) {
        RegistryState &answered = state(registry);
        if (!answer.ok())
            answered.credentialError = answer.error();
        else if (answer.value() && !answered.credential)
            answered.credential = *answer.value();
        qCDebug(lcAuth).noquote() << "credential provider for" << registry << "->"
                                  << (!answer.ok() ? "error" : answer.value() ? "a credential" : "none");
        const QList<std::function<void()>> waiters = std::exchange(answered.credentialWaiters, {});
        for (const auto &waiter : waiters)
            waiter();
    });
}

void Client::answerChallenge(const QString &registry, const QByteArray &wwwAuthenticate, const QStringList &scopes,
                             bool hadAuthorization, QObject *context, Callback<bool> ready)
{
    const QList<Challenge> challenges = parseWwwAuthenticate(wwwAuthenticate);
    std::optional<Challenge> bearer;
    std::optional<Challenge> basic;
    for (const Challenge &c : challenges) {
        // Several challenges may come (RFC 9110 §11.6.1): Bearer is preferred, since a token is
        // scoped and short-lived; Basic is used only when no usable Bearer challenge came.
        if (c.isScheme("Bearer") && !c.param("realm").isEmpty() && !bearer)
            bearer = c;
        else if (c.isScheme("Basic") && !basic)
            basic = c;
    }
    if (!bearer && !basic) {
        ready(false);
        return;
    }
    if (bearer && hadAuthorization && bearer->param("error") == QLatin1String("insufficient_scope")) {
        // The token server granted less than this request needs: asking again will not help.
        ready(false);
        return;
    }
    withCredential(registry, context, [this, registry, bearer, basic, scopes, hadAuthorization, context,
                                       ready](Result<void> provided) {
        if (!provided.ok())
            return ready(provided.error());
        RegistryState &s = state(registry);
        if (bearer) {
            s.mode = AuthMode::Bearer;
            s.realm = bearer->param("realm");
            s.service = bearer->param("service");
            QStringList wanted = scopes;
            // The challenge names what this request needs; it may be more than we guessed.
            const QString challengeScope = bearer->param("scope");
            if (!challengeScope.isEmpty())
                wanted += challengeScope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (hadAuthorization) {
                // The token we sent was refused (expired or revoked): drop the tokens covering this request.
                const Scopes::ScopeSet needed = Scopes::parse(scopes);
                s.tokens.removeIf([&needed](const Token &t) { return Scopes::covers(t.scopes, needed); });
            }
            s.waiters.append({wanted, context, [ready](Result<void> outcome) {
                                  if (outcome.ok())
                                      ready(true);
                                  else
                                      ready(outcome.error());
                              }});
            if (!s.fetchingToken)
                fetchToken(registry, wanted);
            return;
        }
        if (!s.credential || s.credential->identityToken || (hadAuthorization && s.mode == AuthMode::Basic))
            return ready(false);
        s.mode = AuthMode::Basic;
        ready(true);
    });
}

QNetworkReply *Client::requestToken(const QString &registry, const QStringList &scopeStrings)
{
    const RegistryState &s = state(registry);
    QUrl url(s.realm);
    QNetworkRequest request;
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setRawHeader("User-Agent", QByteArrayLiteral("restack/" RESTACK_VERSION));
    request.setTransferTimeout(m_options.transferTimeoutMs);
    request.setSslConfiguration(sslConfiguration(registry, url));
    if (s.credential && s.credential->identityToken) {
        // OAuth2 refresh-token grant (distribution docs/spec/auth/oauth.md): the identity token is
        // a refresh token; scopes go space-separated in one "scope" field, as the Docker CLI sends them.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("refresh_token"), s.credential->secret);
        form.addQueryItem(QStringLiteral("service"), s.service);
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("restack"));
        if (!scopeStrings.isEmpty())
            form.addQueryItem(QStringLiteral("scope"), scopeStrings.join(QLatin1Char(' ')));
        request.setUrl(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        const QByteArray body = form.query(QUrl::FullyEncoded).replace(QLatin1Char('+'), QStringLiteral("%2B")).toLatin1();
        countRequest(QStringLiteral("token"), body.size());
        qCDebug(lcAuth).noquote() << "token request (refresh_token grant) POST" << url.toString(QUrl::RemoveQuery) << scopeStrings;
        return m_network->post(request, body);
    }
    // Token request of distribution docs/spec/auth/token.md: GET with Basic credentials when we have them.
    QUrlQuery query(url);
    if (!s.service.isEmpty())
        query.addQueryItem(QStringLiteral("service"), s.service);
    for (const QString &scope : scopeStrings)
        query.addQueryItem(QStringLiteral("scope"), scope);
    url.setQuery(query);
    request.setUrl(url);
    if (s.credential)
        request.setRawHeader("Authorization", basicAuthorization(*s.credential));
    countRequest(QStringLiteral("token"), 0);
    qCDebug(lcAuth).noquote() << "token request GET" << url.toString(QUrl::RemoveQuery) << scopeStrings;
    return m_network->get(request);
}

void Client::fetchToken(const QString &registry, const QStringList &scopes, bool alone)
{
    RegistryState &s = state(registry);
    s.fetchingToken = true;

    // Normally one token for everything this client was told it will need and every waiting
    // request; @p alone asks for exactly @p scopes (after the token server granted less than a
    // combined request, a request of its own may still be granted).
    Scopes::ScopeSet wanted;
    if (!alone) {
        wanted = s.wantedScopes;
        for (const TokenWaiter &w : std::as_const(s.waiters))
            Scopes::merge(wanted, w.scopes);
    }
    Scopes::merge(wanted, scopes);
    for (TokenWaiter &w : s.waiters)
        w.included = Scopes::covers(wanted, Scopes::parse(w.scopes));

    const QUrl url(s.realm);
    const bool plainAllowed = mayUsePlainHttp(registry) || isLoopbackHost(url.host());
    if (!url.isValid() || (url.scheme() != QLatin1String("https") && !(url.scheme() == QLatin1String("http") && plainAllowed))) {
        finishTokenFetch(registry, Error::make(Error::Kind::Unauthorized,
                                               QStringLiteral("the token realm \"%1\" of %2 is not an https URL")
                                                   .arg(s.realm, registry),
                                               QStringLiteral("pass --insecure if you trust this registry"))
                                       .at(registry));
        return;
    }
    const bool identityToken = s.credential && s.credential->identityToken;
    QNetworkReply *reply = requestToken(registry, Scopes::toStrings(wanted));
    reply->setParent(this);
    connect(reply, &QNetworkReply::finished, this, [this, reply, registry, wanted, identityToken] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->read(MaxTokenResponseBytes);
        countReceived(body.size());
        if (status == 0) {
            finishTokenFetch(registry, Error::make(Error::Kind::Network,
                                                   QStringLiteral("token request to %1 failed: %2")
                                                       .arg(reply->url().host(), reply->errorString()))
                                           .at(registry));
            return;
        }
        if (status != 200) {
            Response response;
            response.status = status;
            response.body = body;
            Error error = errorFromResponse(response, QStringLiteral("token request to %1").arg(reply->url().host()), registry);
            if (status == 400 || status == 401 || status == 403) {
                error.kind = Error::Kind::Unauthorized;
                error.hint = identityToken
                    ? QStringLiteral("the token server refused the identity token (expired or revoked): log in to %1 "
                                     "again with the tool that saved it, or use `restack login %1`")
                          .arg(registry)
                    : QStringLiteral("the token server refused the credentials: check the username and password "
                                     "(`restack login %1`, or --username and --password-stdin)")
                          .arg(registry);
            }
            finishTokenFetch(registry, error);
            return;
        }
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        QString value = object.value(QLatin1String("token")).toString();
        if (value.isEmpty())
            value = object.value(QLatin1String("access_token")).toString();
        if (value.isEmpty()) {
            finishTokenFetch(registry, Error::make(Error::Kind::Unauthorized,
                                                   QStringLiteral("the token server of %1 answered without a token").arg(registry))
                                           .at(registry));
            return;
        }
        qint64 lifetime = object.value(QLatin1String("expires_in")).toInteger(DefaultTokenLifetimeSeconds);
        if (lifetime <= 0)
            lifetime = DefaultTokenLifetimeSeconds;
        Token token;
        token.value = value.toUtf8();
        token.scopes = grantedScopes(token.value).value_or(wanted);
        // Renew a little early so that a token does not expire between check and use.
        token.expiresAtMs = QDateTime::currentMSecsSinceEpoch() + lifetime * 1000 - qMin<qint64>(lifetime * 100, 5000);
        RegistryState &s = state(registry);
        s.tokens.removeIf([](const Token &t) { return t.expiresAtMs <= QDateTime::currentMSecsSinceEpoch(); });
        s.tokens.append(token);
        // A token server may rotate the refresh token (oauth.md "refresh_token" in the response).
        const QString refresh = object.value(QLatin1String("refresh_token")).toString();
        if (identityToken && !refresh.isEmpty() && s.credential && s.credential->identityToken)
            s.credential->secret = refresh;
        qCDebug(lcAuth).noquote() << "token for" << registry << "valid" << lifetime << "s, granting"
                                  << Scopes::toStrings(token.scopes);
        finishTokenFetch(registry, Result<void>());
    });
}

void Client::finishTokenFetch(const QString &registry, const Result<void> &outcome)
{
    RegistryState &s = state(registry);
    s.fetchingToken = false;
    const QList<TokenWaiter> waiters = std::exchange(s.waiters, {});
    QList<TokenWaiter> again;
    for (TokenWaiter w : waiters) {
        if (!w.context)
            continue;
        if (!outcome.ok()) {
            w.ready(outcome.error());
        } else if (coveringToken(state(registry), w.scopes) || (w.included && w.askedAlone)) {
            // Covered; or asked for alone and still not granted: send what we have and let the
            // registry say insufficient_scope.
            w.ready(Result<void>());
        } else {
            if (w.included)
                w.askedAlone = true;
            w.included = false;
            again << w;
        }
    }
    RegistryState &after = state(registry);
    after.waiters += again;
    if (!after.waiters.isEmpty() && !after.fetchingToken) {
        const TokenWaiter &first = after.waiters.first();
        fetchToken(registry, first.scopes, first.askedAlone);
    }
}

// --- operations --------------------------------------------------------------------------------

HttpCall *Client::call(Request request, QObject *context, std::function<void(const Result<Response> &)> done)
{
    auto *task = new HttpCall(this, std::move(request), context);
    connect(task, &Task::finished, task, [task, done = std::move(done)] {
        task->deleteLater();
        const Result<Response> result = task->result(); // done() may destroy the task's context
        done(result);
    });
    task->start();
    return task;
}

Task *Client::ping(const QString &registry, QObject *context, Callback<void> done)
{
    Request request;
    request.registry = registry;
    request.path = QStringLiteral("/v2/");
    request.kind = QStringLiteral("ping");
    request.maxBodyBytes = 1024 * 1024;
    return call(request, context, [registry, done](const Result<Response> &r) {
        if (!r.ok())
            return done(Error(r.error()).at(registry));
        if (r->status != 200)
            return done(errorFromResponse(r.value(), QStringLiteral("GET /v2/ of %1").arg(registry), registry));
        done(Result<void>());
    });
}

template<typename T>
Task *Client::immediately(QObject *context, Callback<T> done, Result<T> result)
{
    auto *task = new JoinTask<T>(std::move(done), context);
    QMetaObject::invokeMethod(task, [task, result = std::move(result)] { task->deliver(result); }, Qt::QueuedConnection);
    return task;
}

QString Client::contentKey(const Reference &repository, const Digest &digest)
{
    return repository.name() + QLatin1Char('@') + digest.toString();
}

void Client::rememberBlob(const QString &key, qint64 size)
{
    m_presentBlobs.insert(key, size);
}

void Client::clearCache()
{
    m_manifestCache.clear();
    m_blobCache.clear();
    m_presentBlobs.clear();
}

template<typename T>
Task *Client::restarting(QObject *context, Callback<T> done, typename RestartingTask<T>::Attempt attempt)
{
    auto *task = new RestartingTask<T>(std::move(attempt), m_options.maxOperationAttempts,
                                       qMax(10, m_options.retryBaseDelayMs), [this] { countRestart(); }, std::move(done),
                                       context);
    task->start();
    return task;
}

template<typename T>
Task *Client::joined(QHash<QString, Shared<T>> &inFlight, const QString &key, QObject *context, Callback<T> done,
                     std::function<Task *(Callback<T>)> start)
{
    auto *join = new JoinTask<T>(std::move(done), context);
    join->setOnDetach([&inFlight, key] {
        auto it = inFlight.find(key);
        if (it == inFlight.end())
            return;
        it->joiners.removeIf([](const QPointer<JoinTask<T>> &j) { return j.isNull() || j->isFinished(); });
        if (it->joiners.isEmpty() && it->task) {
            QPointer<Task> task = it->task;
            inFlight.erase(it);
            task->abort(); // nobody waits for it any more
        }
    });
    const bool first = !inFlight.contains(key);
    Shared<T> &shared = inFlight[key];
    shared.joiners << join;
    if (first) {
        shared.task = start([&inFlight, key](Result<T> result) {
            const Shared<T> done = inFlight.take(key);
            for (const QPointer<JoinTask<T>> &j : done.joiners) {
                if (j)
                    j->deliver(result);
            }
        });
    }
    return join;
}

Task *Client::fetchManifest(const Reference &ref, QObject *context, Callback<Manifest> done)
{
    // What arrives is verified, and immutable under its digest: keep it for later asks by digest.
    const auto remembering = [this, ref](Callback<Manifest> deliver) {
        return [this, ref, deliver = std::move(deliver)](Result<Manifest> result) {
            if (result.ok()) {
                const Manifest &m = result.value();
                const Digest digest = ref.hasDigest() ? m.digest(ref.digest().algorithm()) : m.digest();
                m_manifestCache.insert(contentKey(ref, digest), new Manifest(m), qMax<qsizetype>(1, m.raw().size()));
            }
            deliver(std::move(result));
        };
    };
    const auto attempt = [this, ref](QObject *ctx, Callback<Manifest> attemptDone) {
        return fetchManifestOnce(ref, ctx, std::move(attemptDone));
    };
    if (!ref.hasDigest()) // a tag may move: always asked
        return restarting<Manifest>(context, remembering(std::move(done)), attempt);
    const QString key = contentKey(ref, ref.digest());
    if (const Manifest *cached = m_manifestCache.object(key))
        return immediately<Manifest>(context, std::move(done), *cached);
    // Concurrent asks for the same digest share one fetch, owned by the client.
    return joined<Manifest>(m_manifestsInFlight, key, context, std::move(done), [this, remembering, attempt](Callback<Manifest> shared) {
        return restarting<Manifest>(this, remembering(std::move(shared)), attempt);
    });
}

Task *Client::fetchManifestOnce(const Reference &ref, QObject *context, Callback<Manifest> done)
{
    Request request;
    request.registry = ref.registry();
    request.path = manifestPath(ref);
    request.headers = {{"Accept", Image::MediaType::manifestAcceptHeader()}};
    request.scopes = {Scopes::pull(ref.repository())};
    request.kind = QStringLiteral("manifest GET");
    request.maxBodyBytes = Manifest::MaxBytes;
    return call(request, context, [this, ref, context, done](const Result<Response> &r) {
        if (!r.ok()) {
            Error e = r.error();
            if (e.kind == Error::Kind::TooLarge)
                e.message = QStringLiteral("the manifest of %1 is larger than 4 MiB; Restack refuses manifests that large")
                                .arg(ref.toString());
            return done(located(e, ref));
        }
        const Response &response = r.value();
        if (response.status != 200)
            return done(errorFromResponse(response, QStringLiteral("GET manifest %1").arg(ref.toString()), ref.registry(),
                                          ref.repository(), ref.identifier()));
        // Verify against the digest asked for; by tag, against the header when the registry sent one.
        Digest expected = ref.digest();
        QString source = QStringLiteral("the digest asked for");
        if (!expected.isValid()) {
            const QByteArray header = response.header("Docker-Content-Digest");
            if (!header.isEmpty()) {
                auto parsed = Digest::parse(QString::fromLatin1(header).trimmed());
                if (parsed) {
                    expected = parsed.value();
                    source = QStringLiteral("the registry's Docker-Content-Digest");
                }
            }
        }
        if (expected.isValid()) {
            const Digest actual = Digest::of(response.body, expected.algorithm());
            if (actual != expected) {
                Error e = Error::make(Error::Kind::DigestMismatch,
                                      QStringLiteral("the manifest of %1 does not match %2: expected %3, got %4")
                                          .arg(ref.toString(), source, expected.toString(), actual.toString()),
                                      QStringLiteral("the registry or a proxy altered the content; retry, and report it if "
                                                     "it persists"));
                return done(located(e, ref));
            }
        }
        auto manifest = Manifest::parse(response.body, QString::fromLatin1(response.header("Content-Type")));
        if (!manifest) {
            Error e = manifest.error();
            return done(located(e.prefixed(ref.toString()), ref));
        }
        if (expected.isValid()) {
            done(manifest.value());
            return;
        }
        // Fetched by tag without Docker-Content-Digest: nothing vouches for the bytes yet. The
        // registry knows its manifests by digest; if it has none under the digest of what arrived,
        // the bytes were altered on the way.
        const Manifest fetched = manifest.value();
        Request check;
        check.method = "HEAD";
        check.registry = ref.registry();
        check.path = manifestPath(ref.withDigest(fetched.digest()));
        check.headers = {{"Accept", Image::MediaType::manifestAcceptHeader()}};
        check.scopes = {Scopes::pull(ref.repository())};
        check.kind = QStringLiteral("manifest HEAD");
        call(check, context, [ref, fetched, done](const Result<Response> &head) {
            if (!head.ok())
                return done(located(head.error(), ref));
            if (head->status == 404)
                return done(located(Error::make(Error::Kind::DigestMismatch,
                                                QStringLiteral("the manifest of %1 that arrived (%2) is not one the registry "
                                                               "holds: it was altered on the way")
                                                    .arg(ref.toString(), fetched.digest().toString())),
                                    ref));
            if (head->status != 200)
                return done(errorFromResponse(head.value(), QStringLiteral("HEAD manifest %1").arg(ref.toString()),
                                              ref.registry(), ref.repository(), ref.identifier()));
            done(fetched);
        });
    });
}

Task *Client::headManifest(const Reference &ref, QObject *context, Callback<std::optional<Descriptor>> done)
{
    Request request;
    request.method = "HEAD";
    request.registry = ref.registry();
    request.path = manifestPath(ref);
    request.headers = {{"Accept", Image::MediaType::manifestAcceptHeader()}};
    request.scopes = {Scopes::pull(ref.repository())};
    request.kind = QStringLiteral("manifest HEAD");
    return call(request, context, [this, ref, context, done](const Result<Response> &r) {
        if (!r.ok())
            return done(located(r.error(), ref));
        const Response &response = r.value();
        if (response.status == 404)
            return done(std::optional<Descriptor>());
        if (response.status != 200)
            return done(errorFromResponse(response, QStringLiteral("HEAD manifest %1").arg(ref.toString()), ref.registry(),
                                          ref.repository(), ref.identifier()));
        auto digest = Digest::parse(QString::fromLatin1(response.header("Docker-Content-Digest")).trimmed());
        if (!digest) {
            // Docker-Content-Digest is optional: learn the digest from the manifest itself.
            fetchManifest(ref, context, [done](Result<Manifest> m) {
                if (!m.ok())
                    return done(m.error());
                done(std::optional<Descriptor>(m->descriptor()));
            });
            return;
        }
        Descriptor d;
        d.mediaType = QString::fromLatin1(response.header("Content-Type")).section(QLatin1Char(';'), 0, 0).trimmed();
        d.digest = digest.value();
        d.size = response.header("Content-Length").toLongLong();
        done(std::optional<Descriptor>(d));
    });
}

Task *Client::fetchBlob(const Reference &repository, const Descriptor &blob, QObject *context, Callback<QByteArray> done)
{
    const QString key = contentKey(repository, blob.digest);
    if (const QByteArray *cached = m_blobCache.object(key))
        return immediately<QByteArray>(context, std::move(done), *cached);
    return joined<QByteArray>(m_blobsInFlight, key, context, std::move(done), [this, repository, blob, key](Callback<QByteArray> shared) {
        return restarting<QByteArray>(this, [this, key, shared](Result<QByteArray> result) {
            if (result.ok()) {
                m_blobCache.insert(key, new QByteArray(result.value()), qMax<qsizetype>(1, result->size()));
                rememberBlob(key, result->size());
            }
            shared(std::move(result));
        }, [this, repository, blob](QObject *ctx, Callback<QByteArray> attemptDone) {
            return fetchBlobOnce(repository, blob, ctx, std::move(attemptDone));
        });
    });
}

Task *Client::fetchBlobOnce(const Reference &repository, const Descriptor &blob, QObject *context, Callback<QByteArray> done)
{
    const Reference where = repository.withDigest(blob.digest);
    if (blob.size > m_options.maxInMemoryBlobBytes) {
        Error e = Error::make(Error::Kind::TooLarge, QStringLiteral("blob %1 is %2 bytes; at most %3 are read into memory")
                                                         .arg(blob.digest.toString())
                                                         .arg(blob.size)
                                                         .arg(m_options.maxInMemoryBlobBytes));
        return immediately<QByteArray>(context, std::move(done), located(e, where));
    }
    Request request;
    request.registry = repository.registry();
    request.path = blobPath(repository, blob.digest);
    request.scopes = {Scopes::pull(repository.repository())};
    request.kind = QStringLiteral("blob GET");
    request.maxBodyBytes = blob.size;
    request.followRedirects = true;
    return call(request, context, [where, blob, done](const Result<Response> &r) {
        if (!r.ok()) {
            Error e = r.error();
            if (e.kind == Error::Kind::TooLarge)
                e = Error::make(Error::Kind::DigestMismatch,
                                QStringLiteral("blob %1 is larger than its descriptor's %2 bytes").arg(blob.digest.toString()).arg(blob.size));
            return done(located(e, where));
        }
        const Response &response = r.value();
        if (response.status != 200)
            return done(errorFromResponse(response, QStringLiteral("GET blob %1").arg(blob.digest.toString()), where.registry(),
                                          where.repository(), blob.digest.toString()));
        const Digest actual = Digest::of(response.body, blob.digest.algorithm());
        if (actual != blob.digest || response.body.size() != blob.size) {
            return done(located(Error::make(Error::Kind::DigestMismatch,
                                            QStringLiteral("blob %1 arrived as %2 bytes hashing to %3 (expected %4 bytes)")
                                                .arg(blob.digest.toString())
                                                .arg(response.body.size())
                                                .arg(actual.toString())
                                                .arg(blob.size),
                                            QStringLiteral("the registry or a proxy altered the content; retry")),
                                where));
        }
        done(response.body);
    });
}

Task *Client::blobExists(const Reference &repository, const Digest &digest, QObject *context,
                         Callback<std::optional<qint64>> done)
{
    Request request;
    request.method = "HEAD";
    request.registry = repository.registry();
    request.path = blobPath(repository, digest);
    request.scopes = {Scopes::pull(repository.repository())};
    request.kind = QStringLiteral("blob HEAD");
    request.followRedirects = true;
    const Reference where = repository.withDigest(digest);
    const QString key = contentKey(repository, digest);
    if (const auto known = m_presentBlobs.constFind(key); known != m_presentBlobs.cend())
        return immediately<std::optional<qint64>>(context, std::move(done), std::optional<qint64>(known.value()));
    return call(request, context, [this, key, where, done](const Result<Response> &r) {
        if (!r.ok())
            return done(located(r.error(), where));
        const Response &response = r.value();
        if (response.status == 404)
            return done(std::optional<qint64>());
        if (response.status != 200)
            return done(errorFromResponse(response, QStringLiteral("HEAD blob %1").arg(where.digest().toString()),
                                          where.registry(), where.repository(), where.identifier()));
        bool ok = false;
        const qint64 size = response.header("Content-Length").toLongLong(&ok);
        if (ok)
            rememberBlob(key, size);
        done(std::optional<qint64>(ok ? size : -1));
    });
}

Task *Client::transferBlob(const Reference &source, const Reference &target, const Descriptor &blob, QObject *context,
                           Callback<BlobTransfer> done, std::function<void(qint64)> progress, TargetState targetState)
{
    if (targetState == TargetState::Unknown && m_presentBlobs.contains(contentKey(target, blob.digest)))
        return immediately<BlobTransfer>(context, std::move(done), BlobTransfer::AlreadyPresent);
    const QString key = target.name() + QLatin1Char('@') + blob.digest.toString();
    return joined<BlobTransfer>(m_transfersInFlight, key, context, std::move(done),
                                [this, source, target, blob, progress, targetState](Callback<BlobTransfer> shared) {
        // Owned by the client: it completes for every caller that joined it.
        const QString present = contentKey(target, blob.digest);
        return restarting<BlobTransfer>(this, [this, present, size = blob.size, shared](Result<BlobTransfer> result) {
            if (result.ok())
                rememberBlob(present, size);
            shared(std::move(result));
        }, [this, source, target, blob, progress, targetState](QObject *ctx, Callback<BlobTransfer> attemptDone) {
            auto *task = new BlobTransferTask(this, source, target, blob, targetState, std::move(attemptDone), progress, ctx);
            task->start();
            return task;
        });
    });
}

Task *Client::uploadBlob(const Reference &repository, const QByteArray &data, QObject *context, Callback<Digest> done)
{
    const Digest digest = Digest::of(data);
    const QString key = contentKey(repository, digest);
    if (m_presentBlobs.contains(key)) // uploaded (or seen) earlier in this session
        return immediately<Digest>(context, std::move(done), digest);
    return joined<Digest>(m_uploadsInFlight, key, context, std::move(done), [this, repository, data, key](Callback<Digest> shared) {
        return restarting<Digest>(this, [this, key, size = data.size(), shared](Result<Digest> result) {
            if (result.ok())
                rememberBlob(key, size);
            shared(std::move(result));
        }, [this, repository, data](QObject *ctx, Callback<Digest> attemptDone) {
            auto *task = new BlobUploadTask(this, repository, data, std::move(attemptDone), ctx);
            task->start();
            return task;
        });
    });
}

void Client::prepareUpload(const Reference &repository, const QObject *owner)
{
    auto prepared = std::make_shared<PreparedUpload>();
    prepared->owner = owner;
    const Reference target = repository.repositoryOnly();
    prepared->repository = target;
    // Discarding is idempotent: a second connection for the same owner costs nothing.
    connect(owner, &QObject::destroyed, this, [this, owner] { discardPreparedUploads(owner); }, Qt::SingleShotConnection);
    m_preparedUploads[target.name()] << prepared;
    // A background call until answered: a process exiting right after a failure waits for the
    // answer, and so can cancel the session it opened.
    callInBackground(uploadSessionRequest(target), [this, prepared, target](const Result<Response> &r) {
        Result<QUrl> location = uploadSessionFrom(r, target, QStringLiteral("start upload"));
        if (prepared->discarded) {
            if (location.ok())
                cancelUploadSession(this, target, location.value());
        } else if (prepared->waiter) {
            std::exchange(prepared->waiter, {})(std::move(location));
        } else {
            prepared->location = std::move(location);
        }
    });
}

bool Client::takePreparedUpload(const Reference &repository, QObject *context, std::function<void(Result<QUrl>)> then)
{
    auto it = m_preparedUploads.find(repository.repositoryOnly().name());
    if (it == m_preparedUploads.end() || it->isEmpty())
        return false;
    std::shared_ptr<PreparedUpload> prepared = it->takeFirst();
    if (it->isEmpty())
        m_preparedUploads.erase(it);
    if (prepared->location) {
        then(std::move(*prepared->location));
        return true;
    }
    prepared->waiter = [this, context = QPointer<QObject>(context), then = std::move(then),
                        target = repository.repositoryOnly()](Result<QUrl> location) {
        if (context)
            return then(std::move(location));
        if (location.ok())
            cancelUploadSession(this, target, location.value());
    };
    return true;
}

void Client::discardPreparedUploads(const QObject *owner)
{
    for (auto it = m_preparedUploads.begin(); it != m_preparedUploads.end();) {
        for (const std::shared_ptr<PreparedUpload> &p : std::as_const(it.value())) {
            if (p->owner != owner)
                continue;
            if (!p->location)
                p->discarded = true;
            else if (p->location->ok())
                cancelUploadSession(this, p->repository, p->location->value());
        }
        it->removeIf([owner](const std::shared_ptr<PreparedUpload> &p) { return p->owner == owner; });
        it = it->isEmpty() ? m_preparedUploads.erase(it) : std::next(it);
    }
}

bool Client::hasBackgroundCalls() const
{
    return m_backgroundCalls > 0;
}

void Client::afterBackgroundCalls(int timeoutMs, QObject *context, std::function<void()> then)
{
    auto once = std::make_shared<std::function<void()>>(std::move(then));
    auto fire = [once] {
        if (*once)
            std::exchange(*once, {})();
    };
    if (!hasBackgroundCalls()) {
        QMetaObject::invokeMethod(context, fire, Qt::QueuedConnection);
        return;
    }
    connect(this, &Client::backgroundCallsFinished, context, fire, Qt::SingleShotConnection);
    QTimer::singleShot(timeoutMs, context, fire);
}

void Client::callInBackground(Request request, std::function<void(const Result<Response> &)> done)
{
    ++m_backgroundCalls;
    call(std::move(request), this, [this, done = std::move(done)](const Result<Response> &r) {
        if (done)
            done(r);
        if (--m_backgroundCalls == 0)
            Q_EMIT backgroundCallsFinished();
    });
}

Task *Client::pushManifest(const Reference &target, const QByteArray &raw, const QString &mediaType, QObject *context,
                           Callback<Digest> done)
{
    Request request;
    request.method = "PUT";
    request.registry = target.registry();
    request.path = manifestPath(target);
    request.headers = {{"Content-Type", mediaType.toLatin1()}};
    request.body = raw;
    request.scopes = {Scopes::pullPush(target.repository())};
    request.kind = QStringLiteral("manifest PUT");
    request.maxBodyBytes = 1024 * 1024;
    const Digest ours = Digest::of(raw);
    return call(request, context, [target, ours, done](const Result<Response> &r) {
        if (!r.ok())
            return done(located(r.error(), target));
        const Response &response = r.value();
        if (response.status != 201 && response.status != 200)
            return done(errorFromResponse(response, QStringLiteral("PUT manifest %1").arg(target.toString()),
                                          target.registry(), target.repository(), target.identifier()));
        const QByteArray header = response.header("Docker-Content-Digest");
        if (!header.isEmpty()) {
            auto theirs = Digest::parse(QString::fromLatin1(header).trimmed());
            if (theirs && theirs.value() != ours && theirs->algorithm() == ours.algorithm())
                return done(located(Error::make(Error::Kind::DigestMismatch,
                                                QStringLiteral("the registry stored the manifest as %1, but its bytes hash to %2")
                                                    .arg(theirs->toString(), ours.toString())),
                                    target));
        }
        done(ours);
    });
}

Task *Client::listTags(const Reference &repository, QObject *context, Callback<QStringList> done,
                       std::function<void(const QStringList &)> page)
{
    auto *task = new PagedListTask(this, repository.registry(), repository.repository(), std::move(done), std::move(page), context);
    task->start();
    return task;
}

Task *Client::listCatalog(const QString &registry, QObject *context, Callback<QStringList> done,
                          std::function<void(const QStringList &)> page)
{
    auto *task = new PagedListTask(this, registry, QString(), std::move(done), std::move(page), context);
    task->start();
    return task;
}

} // namespace Restack::Registry
