// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "testhttpserver.h"
#include "tools.h"

namespace Restack::Test
{

namespace
{
// distribution's token verifier accepts a token this long past its exp (token.go, Leeway).
constexpr int RegistryLeewaySeconds = 60;

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomHex(int bytes)
{
    QByteArray data(bytes, Qt::Uninitialized);
    for (char &c : data)
        c = char(QRandomGenerator::global()->bounded(256));
    return data.toHex();
}

HttpReply jsonReply(int status, const QJsonObject &object)
{
    HttpReply reply;
    reply.status = status;
    reply.headers = {{"Content-Type", "application/json"}};
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

HttpReply errorReply(int status, const QString &error, const QString &description)
{
    QJsonObject object;
    object.insert(QLatin1String("error"), error);
    object.insert(QLatin1String("error_description"), description);
    HttpReply reply = jsonReply(status, object);
    if (status == 401)
        reply.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"restack-test-token-server\"")));
    return reply;
}
} // namespace

struct TokenServer::Keys
{
    EVP_PKEY *key = nullptr;
    X509 *certificate = nullptr;
    QByteArray certificateDer;

    ~Keys()
    {
        X509_free(certificate);
        EVP_PKEY_free(key);
    }
};

TokenServer::TokenServer(TokenServerOptions options)
    : m_options(std::move(options))
{
}

TokenServer::~TokenServer() = default;

bool TokenServer::start(QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    m_dir = makeTempDir(QStringLiteral("tokenserver"));
    m_keys = std::make_unique<Keys>();
    m_keys->key = EVP_RSA_gen(2048);
    if (!m_keys->key)
        return fail(QStringLiteral("cannot generate an RSA key"));
    X509 *cert = X509_new();
    m_keys->certificate = cert;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), long(QRandomGenerator::global()->bounded(1, 1 << 30)));
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("restack test token signer"),
                               -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, m_keys->key);
    if (X509_sign(cert, m_keys->key, EVP_sha256()) <= 0)
        return fail(QStringLiteral("cannot sign the token server's certificate"));
    const int derSize = i2d_X509(cert, nullptr);
    m_keys->certificateDer.resize(derSize);
    auto *out = reinterpret_cast<unsigned char *>(m_keys->certificateDer.data());
    i2d_X509(cert, &out);

    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *pem = nullptr;
    const long pemSize = BIO_get_mem_data(bio, &pem);
    const Result<void> written = writeFile(certificatePath(), QByteArray(pem, int(pemSize)));
    BIO_free(bio);
    if (!written.ok())
        return fail(written.error().message);

    m_http = std::make_unique<TestHttpServer>([this](const HttpRequest &request) { return handle(request); });
    return m_http->start(error);
}

QString TokenServer::realm() const
{
    return m_http ? m_http->baseUrl() + QStringLiteral("/token") : QString();
}

QString TokenServer::certificatePath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("token-signer.pem")) : QString();
}

QString TokenServer::registryConfig() const
{
    return QStringLiteral("token:\n  realm: %1\n  service: %2\n  issuer: %3\n  rootcertbundle: %4\n")
        .arg(realm(), m_options.service, m_options.issuer, certificatePath());
}

QString TokenServer::issueRefreshToken(const QString &user)
{
    const QString token = QStringLiteral("rt-") + QString::fromLatin1(randomHex(24));
    QMutexLocker lock(&m_mutex);
    m_refreshTokens.insert(token, user);
    return token;
}

void TokenServer::setOneRepositoryPerToken(bool one)
{
    QMutexLocker lock(&m_mutex);
    m_options.oneRepositoryPerToken = one;
}

void TokenServer::setLifetimes(int expiresInSeconds, int registryLifetimeSeconds)
{
    QMutexLocker lock(&m_mutex);
    m_options.expiresInSeconds = expiresInSeconds;
    m_options.registryLifetimeSeconds = registryLifetimeSeconds;
}

void TokenServer::revokeRefreshTokens()
{
    QMutexLocker lock(&m_mutex);
    m_refreshTokens.clear();
}

QList<TokenRequestRecord> TokenServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void TokenServer::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

QByteArray TokenServer::sign(const QByteArray &input) const
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t size = 0;
    QByteArray signature;
    if (EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, m_keys->key) == 1
        && EVP_DigestSign(context, nullptr, &size, reinterpret_cast<const unsigned char *>(input.constData()),
                          size_t(input.size()))
            == 1) {
        signature.resize(qsizetype(size));
        if (EVP_DigestSign(context, reinterpret_cast<unsigned char *>(signature.data()), &size,
                           reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()))
            != 1)
            signature.clear();
        else
            signature.resize(qsizetype(size));
    }
    EVP_MD_CTX_free(context);
    return signature;
}

QByteArray TokenServer::makeToken(const TokenServerOptions &options, const QString &user, const QStringList &granted) const
{
    QJsonObject header;
    header.insert(QLatin1String("typ"), QStringLiteral("JWT"));
    header.insert(QLatin1String("alg"), QStringLiteral("RS256"));
    header.insert(QLatin1String("x5c"), QJsonArray{QString::fromLatin1(m_keys->certificateDer.toBase64())});

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const int lifetime = options.registryLifetimeSeconds >= 0 ? options.registryLifetimeSeconds : options.expiresInSeconds;
    QJsonArray access;
    for (const QString &scope : granted) {
        const QStringList parts = scope.split(QLatin1Char(':'));
        QJsonObject entry;
        entry.insert(QLatin1String("type"), parts.value(0));
        entry.insert(QLatin1String("name"), parts.value(1));
        entry.insert(QLatin1String("actions"), QJsonArray::fromStringList(parts.value(2).split(QLatin1Char(','))));
        access.append(entry);
    }
    QJsonObject claims;
    claims.insert(QLatin1String("iss"), options.issuer);
    claims.insert(QLatin1String("sub"), user);
    claims.insert(QLatin1String("aud"), options.service);
    claims.insert(QLatin1String("iat"), now);
    claims.insert(QLatin1String("nbf"), now - 1);
    claims.insert(QLatin1String("exp"), now + lifetime - RegistryLeewaySeconds);
    claims.insert(QLatin1String("jti"), QString::fromLatin1(randomHex(8)));
    claims.insert(QLatin1String("access"), access);

    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return input + '.' + base64Url(sign(input));
}

QStringList TokenServer::grant(const TokenServerOptions &options, const QString &user, const QStringList &requested)
{
    const QMap<QString, QStringList> allowed = options.access.value(user);
    QStringList granted;
    QMap<QString, QStringList> byRepository;
    QStringList order;
    for (const QString &scope : requested) {
        const QStringList parts = scope.split(QLatin1Char(':'));
        if (parts.size() != 3 || parts.at(0) != QLatin1String("repository"))
            continue;
        const QString repository = parts.at(1);
        for (const QString &action : parts.at(2).split(QLatin1Char(','))) {
            if (allowed.value(repository).contains(action) && !byRepository[repository].contains(action)) {
                byRepository[repository].append(action);
                if (!order.contains(repository))
                    order << repository;
            }
        }
    }
    for (const QString &repository : std::as_const(order)) {
        QStringList actions = byRepository.value(repository);
        actions.sort();
        granted << QStringLiteral("repository:%1:%2").arg(repository, actions.join(QLatin1Char(',')));
        if (options.oneRepositoryPerToken)
            break;
    }
    return granted;
}

HttpReply TokenServer::handle(const HttpRequest &request)
{
    QMutexLocker optionsLock(&m_mutex);
    const TokenServerOptions options = m_options; // a snapshot: the test thread may change them
    optionsLock.unlock();
    TokenRequestRecord record;
    record.method = QString::fromLatin1(request.method);
    record.hadAuthorization = !request.header("Authorization").isEmpty();
    const auto finish = [this, &record](HttpReply reply) {
        record.status = reply.status;
        QMutexLocker lock(&m_mutex);
        m_requests.append(record);
        return reply;
    };
    const QUrl url = request.url();
    if (url.path() != QLatin1String("/token"))
        return finish(errorReply(404, QStringLiteral("not_found"), QStringLiteral("only /token is served")));

    bool offline = false;
    QString user;
    if (request.method == "GET") {
        const QUrlQuery query(url);
        for (const QString &scope : query.allQueryItemValues(QStringLiteral("scope"), QUrl::FullyDecoded))
            record.requested += scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        offline = query.queryItemValue(QStringLiteral("offline_token")) == QLatin1String("true");
        const QByteArray authorization = request.header("Authorization");
        if (!authorization.isEmpty()) {
            if (!authorization.startsWith("Basic "))
                return finish(errorReply(401, QStringLiteral("invalid_request"), QStringLiteral("only Basic credentials")));
            const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6));
            const qsizetype colon = decoded.indexOf(':');
            const QString name = QString::fromUtf8(decoded.left(colon));
            const QString password = QString::fromUtf8(decoded.mid(colon + 1));
            if (colon <= 0 || !options.users.contains(name) || options.users.value(name) != password)
                return finish(errorReply(401, QStringLiteral("unauthorized"), QStringLiteral("wrong username or password")));
            user = name;
        }
    } else if (request.method == "POST") {
        const QUrlQuery form(QString::fromUtf8(request.body).replace(QLatin1Char('+'), QLatin1Char(' ')));
        const auto field = [&form](const char *name) {
            return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
        };
        record.grantType = field("grant_type");
        record.clientId = field("client_id");
        record.requested = field("scope").split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (record.clientId.isEmpty())
            return finish(errorReply(400, QStringLiteral("invalid_request"), QStringLiteral("client_id is required")));
        if (field("service") != options.service)
            return finish(errorReply(400, QStringLiteral("invalid_request"), QStringLiteral("unknown service")));
        if (record.grantType == QLatin1String("password")) {
            const QString name = field("username");
            if (!options.users.contains(name) || options.users.value(name) != field("password"))
                return finish(errorReply(401, QStringLiteral("invalid_grant"), QStringLiteral("wrong username or password")));
            user = name;
            offline = field("access_type") == QLatin1String("offline");
        } else if (record.grantType == QLatin1String("refresh_token")) {
            QMutexLocker lock(&m_mutex);
            const auto it = m_refreshTokens.constFind(field("refresh_token"));
            if (it == m_refreshTokens.cend()) {
                lock.unlock();
                return finish(errorReply(400, QStringLiteral("invalid_grant"), QStringLiteral("unknown refresh token")));
            }
            user = it.value();
        } else {
            return finish(errorReply(400, QStringLiteral("unsupported_grant_type"), record.grantType));
        }
    } else {
        return finish(errorReply(405, QStringLiteral("invalid_request"), QStringLiteral("GET or POST")));
    }

    record.user = user;
    record.granted = grant(options, user, record.requested);
    const QByteArray token = makeToken(options, user, record.granted);
    record.token = QString::fromLatin1(token);
    QJsonObject answer;
    if (request.method == "GET")
        answer.insert(QLatin1String("token"), QString::fromLatin1(token));
    answer.insert(QLatin1String("access_token"), QString::fromLatin1(token));
    answer.insert(QLatin1String("expires_in"), options.expiresInSeconds);
    answer.insert(QLatin1String("issued_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (request.method == "POST")
        answer.insert(QLatin1String("scope"), record.granted.join(QLatin1Char(' ')));
    if (offline && !user.isEmpty())
        answer.insert(QLatin1String("refresh_token"), issueRefreshToken(user));
    return finish(jsonReply(200, answer));
}

} // namespace Restack::Test
