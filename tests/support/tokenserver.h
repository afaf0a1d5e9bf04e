// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace Restack::Test
{

class TestHttpServer;
struct HttpReply;
struct HttpRequest;

/** How TokenServer decides and signs. */
struct TokenServerOptions
{
    /** Users and their passwords (Basic auth on GET, grant_type=password on POST). */
    QMap<QString, QString> users;
    /**
     * What each user may do: user -> repository -> actions ("pull", "push"). The user "" is
     * anonymous (a token request without credentials).
     */
    QMap<QString, QMap<QString, QStringList>> access;
    /** expires_in of every answer, in seconds. */
    int expiresInSeconds = 300;
    /**
     * How long the registry accepts a token, in seconds: the JWT's exp is set to iat + this - 60,
     * since distribution's verifier grants 60 s of leeway past exp. -1: expiresInSeconds.
     */
    int registryLifetimeSeconds = -1;
    /**
     * Grant at most one repository per token (as token servers that refuse cross-repository
     * tokens do): a mount, which needs pull on the source and push on the target in one token,
     * is then refused by the registry and must fall back to a copy.
     */
    bool oneRepositoryPerToken = false;
    QString service = QStringLiteral("restack-test-registry"); ///< the JWT's aud
    QString issuer = QStringLiteral("restack-test-issuer");    ///< the JWT's iss
};

/** One token request as TokenServer answered it. */
struct TokenRequestRecord
{
    QString method;          ///< "GET" or "POST"
    QString grantType;       ///< "" for GET, else "password" or "refresh_token"
    QString user;            ///< the authenticated user, "" for anonymous or refused
    QString clientId;        ///< POST's client_id
    QStringList requested;   ///< the scopes asked for
    QStringList granted;     ///< the scopes granted, "repository:NAME:ACTION[,ACTION]"
    int status = 0;          ///< 200, or 400/401 when refused
    bool hadAuthorization = false; ///< an Authorization header came
    QString token;           ///< the access token issued, empty when refused
};

/**
 * A token server of distribution's token authentication (docs/spec/auth/token.md, oauth.md,
 * jwt.md), for `docker-registry` configured with `auth: token:`. It listens on 127.0.0.1 on its
 * own thread (so it answers while the test blocks on skopeo or restack) at "/token":
 *  - GET with optional Basic credentials and service/scope query parameters: {"token",
 *    "access_token", "expires_in", "issued_at"} (plus "refresh_token" with offline_token=true);
 *  - POST form grant_type=password (username, password) or grant_type=refresh_token
 *    (refresh_token, from issueRefreshToken()), scope space-separated, client_id required.
 * Tokens are RS256 JWTs signed by a fresh 2048-bit key, with the self-signed certificate in an
 * "x5c" header; registryConfig() gives the registry that certificate as rootcertbundle. A token
 * grants the intersection of what was asked and what TokenServerOptions::access allows; wrong
 * credentials get 401, an unknown refresh token 400 invalid_grant. Every request is recorded.
 */
class TokenServer final
{
public:
    explicit TokenServer(TokenServerOptions options = {});
    ~TokenServer();
    Q_DISABLE_COPY_MOVE(TokenServer)

    /** Makes the key and certificate and starts listening. False (with @p error) on failure. */
    bool start(QString *error = nullptr);

    /** "http://127.0.0.1:PORT/token". */
    QString realm() const;
    /** The PEM certificate whose key signs the tokens. */
    QString certificatePath() const;
    /** The body of the registry's `auth:` section (RegistryOptions::auth). */
    QString registryConfig() const;

    /** Changes TokenServerOptions::oneRepositoryPerToken for the requests that follow. */
    void setOneRepositoryPerToken(bool one);
    /** Changes TokenServerOptions::expiresInSeconds and registryLifetimeSeconds for the tokens that follow. */
    void setLifetimes(int expiresInSeconds, int registryLifetimeSeconds = -1);

    /** A new refresh token (a Docker "identitytoken") for @p user. */
    QString issueRefreshToken(const QString &user);
    /** Forgets every refresh token issued. */
    void revokeRefreshTokens();

    /** Every request so far, oldest first. */
    QList<TokenRequestRecord> requests() const;
    void clearRequests();

private:
    HttpReply handle(const HttpRequest &request);
    QByteArray sign(const QByteArray &input) const;
    QByteArray makeToken(const TokenServerOptions &options, const QString &user, const QStringList &granted) const;
    static QStringList grant(const TokenServerOptions &options, const QString &user, const QStringList &requested);

    TokenServerOptions m_options; ///< guarded by m_mutex once started
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestHttpServer> m_http;
    struct Keys;
    std::unique_ptr<Keys> m_keys;
    mutable QMutex m_mutex;
    QMap<QString, QString> m_refreshTokens; ///< token -> user
    QList<TokenRequestRecord> m_requests;
};

} // namespace Restack::Test
