// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// A real docker-registry with `auth: token` behind the suite's TokenServer (RS256 JWTs with an x5c
// chain, scopes granted per user), end to end through the restack binary and the registry client:
// pull-only access, a permitted push, a push refused for lack of scope, a cross-repository mount
// that needs two scopes in one token, a refused mount falling back to a copy, expired tokens
// (renewed before use, and refused by the registry), identity tokens (refresh_token grant),
// credential helpers and auth files, several WWW-Authenticate challenges, and -v logging no secret.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QtTest>

#include "challengeproxy.h"
#include "credtest.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "registry/client.h"
#include "registryfixture.h"
#include "tokenserver.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Test;

namespace
{
const QString BuilderPassword = QStringLiteral("builder-S3cret!");
const QString ReaderPassword = QStringLiteral("reader-pass-42");
const QString AdminPassword = QStringLiteral("admin-pass-7");

TokenServerOptions tokenOptions()
{
    TokenServerOptions options;
    options.users = {{QStringLiteral("builder"), BuilderPassword},
                     {QStringLiteral("reader"), ReaderPassword},
                     {QStringLiteral("admin"), AdminPassword}};
    const QStringList pull{QStringLiteral("pull")};
    const QStringList pullPush{QStringLiteral("pull"), QStringLiteral("push")};
    // builder: pull on the base, push on the app's repositories (not on the base).
    options.access[QStringLiteral("builder")] = {{QStringLiteral("cred/base"), pull},
                                                 {QStringLiteral("cred/app"), pullPush},
                                                 {QStringLiteral("cred/app-mount"), pullPush},
                                                 {QStringLiteral("cred/app-copy"), pullPush}};
    // reader: pull only.
    options.access[QStringLiteral("reader")] = {{QStringLiteral("cred/base"), pull}, {QStringLiteral("cred/app"), pull}};
    options.access[QStringLiteral("admin")] = {{QStringLiteral("cred/base"), pullPush},
                                               {QStringLiteral("cred/app"), pullPush}};
    return options;
}

QByteArray password(const QString &text)
{
    return text.toUtf8() + '\n';
}

QStringList withUser(const QStringList &arguments, const QString &user)
{
    return arguments + QStringList{QStringLiteral("-q"), QStringLiteral("--username"), user, QStringLiteral("--password-stdin")};
}

QString blobAction(const QString &reportJson, const QString &digest)
{
    const QJsonObject report = QJsonDocument::fromJson(reportJson.toUtf8()).object();
    for (const QJsonValue &blob : report.value(QLatin1String("blobs")).toArray()) {
        if (blob.toObject().value(QLatin1String("digest")).toString() == digest)
            return blob.toObject().value(QLatin1String("action")).toString();
    }
    return {};
}

QString describe(const QList<TokenRequestRecord> &records)
{
    QStringList lines;
    for (const TokenRequestRecord &r : records)
        lines << QStringLiteral("%1 %2 user=%3 status=%4 requested=[%5] granted=[%6]")
                     .arg(r.method, r.grantType, r.user)
                     .arg(r.status)
                     .arg(r.requested.join(QLatin1Char(' ')), r.granted.join(QLatin1Char(' ')));
    return lines.join(QLatin1Char('\n'));
}
} // namespace

class TokenAuthTest : public QObject
{
    Q_OBJECT

public:
    TokenAuthTest()
        : m_tokens(tokenOptions())
    {
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void pullOnlyUserCanInspectButNotPush();
    void pushWithCrossRepositoryMountInOneToken();
    void refusedMountFallsBackToCopy();
    void expiredTokenIsRenewedBeforeUse();
    void tokenRefusedByTheRegistryIsReplaced();
    void identityTokenUsesTheRefreshTokenGrant();
    void credentialHelperAndAuthFiles();
    void severalChallenges();
    void wrongPasswordIsClear();
    void providerIsAskedLazilyAndOnce();
    void verboseLogShowsNoSecret();

private:
    QStringList rebaseTo(const QString &target) const;

    TokenServer m_tokens;
    std::unique_ptr<RegistryFixture> m_registry;
    std::unique_ptr<RegistryFixture> m_open; ///< no authentication at all
    ImageFactory m_factory;
    QString m_base2Layer;
};

QStringList TokenAuthTest::rebaseTo(const QString &target) const
{
    const QString host = m_registry->host();
    return {QStringLiteral("rebase"), host + QStringLiteral("/cred/app:1"), QStringLiteral("--base"),
            host + QStringLiteral("/cred/base:2"), QStringLiteral("--old-base"), host + QStringLiteral("/cred/base:1"),
            QStringLiteral("--tag"), host + QLatin1Char('/') + target, QStringLiteral("-o"), QStringLiteral("json")};
}

void TokenAuthTest::initTestCase()
{
    QString error;
    QVERIFY2(m_tokens.start(&error), qPrintable(error));
    RegistryOptions options;
    options.auth = m_tokens.registryConfig();
    m_registry = std::make_unique<RegistryFixture>(options);
    QVERIFY2(m_registry->start(&error), qPrintable(error));
    m_open = std::make_unique<RegistryFixture>();
    QVERIFY2(m_open->start(&error), qPrintable(error));

    const auto built = buildBasesAndApp(m_factory);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    m_base2Layer = m_factory.image(QStringLiteral("base2"))->layerDigests.first();

    // skopeo speaks token auth itself: the images are seeded as admin through the token server.
    m_factory.setCredentials(QStringLiteral("admin"), AdminPassword);
    for (const auto &[tag, target] : {std::pair{QStringLiteral("base1"), QStringLiteral("/cred/base:1")},
                                      std::pair{QStringLiteral("base2"), QStringLiteral("/cred/base:2")},
                                      std::pair{QStringLiteral("app"), QStringLiteral("/cred/app:1")}}) {
        const auto pushed = m_factory.push(tag, m_registry->host() + target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString() + m_registry->logText().right(3000)));
    }
    m_factory.setCredentials({}, {});
    QVERIFY(m_factory.push(QStringLiteral("app"), m_open->host() + QStringLiteral("/open/app:1")).ok());
}

void TokenAuthTest::init()
{
    m_tokens.setOneRepositoryPerToken(false);
    m_tokens.setLifetimes(300);
    m_tokens.clearRequests();
    m_registry->markAccessLog();
}

void TokenAuthTest::pullOnlyUserCanInspectButNotPush()
{
    const CliRun inspect = runRestackWith(withUser({QStringLiteral("inspect"), m_registry->host() + QStringLiteral("/cred/app:1")},
                                                   QStringLiteral("reader")),
                                          password(ReaderPassword));
    RESTACK_VERIFY_OR_DUMP(inspect.exited && inspect.exitCode == 0, inspect.describe());

    const CliRun rebase = runRestackWith(withUser(rebaseTo(QStringLiteral("cred/app:by-reader")), QStringLiteral("reader")),
                                         password(ReaderPassword));
    RESTACK_VERIFY_OR_DUMP(rebase.exited && rebase.exitCode == 1, rebase.describe());
    QCOMPARE(rebase.errorLines().size(), 1);
    const QString line = rebase.errorLines().first();
    qInfo().noquote() << line;
    // The error names the missing access and the repository, not just "authentication required".
    QVERIFY2(line.startsWith(QLatin1String("restack: error: ")), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("did not grant")) && line.contains(QLatin1String("push")) && line.contains(QLatin1String("cred/app")),
             qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("INSUFFICIENT_SCOPE")), qPrintable(line));
    // The token server was asked for push and refused it; nothing was tagged.
    bool askedForPush = false;
    for (const TokenRequestRecord &r : m_tokens.requests()) {
        askedForPush |= r.requested.contains(QStringLiteral("repository:cred/app:pull,push"));
        QVERIFY2(!r.granted.join(QLatin1Char(' ')).contains(QLatin1String("push")), qPrintable(describe(m_tokens.requests())));
    }
    QVERIFY2(askedForPush, qPrintable(describe(m_tokens.requests())));
    ImageVerifier verifier;
    verifier.setCredentials(QStringLiteral("admin"), AdminPassword);
    QVERIFY(!verifier.verify(m_registry->host() + QStringLiteral("/cred/app:by-reader")).ok());
}

void TokenAuthTest::pushWithCrossRepositoryMountInOneToken()
{
    const QString target = QStringLiteral("cred/app-mount:rebased");
    const CliRun run = runRestackWith(withUser(rebaseTo(target), QStringLiteral("builder")), password(BuilderPassword));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + describe(m_tokens.requests()));
    QCOMPARE(blobAction(run.standardOutput, m_base2Layer), QStringLiteral("mount"));

    // The mount was authorised by one token granting push on the target and pull on the source.
    QVERIFY(syncAccessLog(*m_registry));
    const QList<MountRequest> mounts = mountRequests(requestsSinceMark(*m_registry));
    QVERIFY(std::any_of(mounts.cbegin(), mounts.cend(), [this](const MountRequest &m) {
        return m.digest == m_base2Layer && m.from == QLatin1String("cred/base") && m.status == 201;
    }));
    const QList<TokenRequestRecord> records = m_tokens.requests();
    QVERIFY2(std::any_of(records.cbegin(), records.cend(), [](const TokenRequestRecord &r) {
                 return r.status == 200 && r.user == QLatin1String("builder")
                     && r.granted.contains(QStringLiteral("repository:cred/app-mount:pull,push"))
                     && r.granted.contains(QStringLiteral("repository:cred/base:pull"));
             }),
             qPrintable(describe(records)));

    ImageVerifier verifier;
    verifier.setCredentials(QStringLiteral("builder"), BuilderPassword);
    const auto verified = verifier.verify(m_registry->host() + QLatin1Char('/') + target);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    QCOMPARE(verified->layerDigests.first(), m_base2Layer);
}

void TokenAuthTest::refusedMountFallsBackToCopy()
{
    // This token server refuses tokens spanning two repositories: the mount's token lacks pull on
    // the source, the registry refuses the mount (401 insufficient_scope), and restack copies.
    m_tokens.setOneRepositoryPerToken(true);
    const QString target = QStringLiteral("cred/app-copy:rebased");
    const CliRun run = runRestackWith(withUser(rebaseTo(target), QStringLiteral("builder")), password(BuilderPassword));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + describe(m_tokens.requests()));
    QCOMPARE(blobAction(run.standardOutput, m_base2Layer), QStringLiteral("copy"));

    QVERIFY(syncAccessLog(*m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(*m_registry);
    const QList<MountRequest> mounts = mountRequests(requests);
    QVERIFY2(std::any_of(mounts.cbegin(), mounts.cend(),
                         [this](const MountRequest &m) { return m.digest == m_base2Layer && m.status == 401; }),
             qPrintable(describeRequests(requests)));
    QVERIFY(blobDownloads(requests).contains(m_base2Layer));

    ImageVerifier verifier;
    verifier.setCredentials(QStringLiteral("builder"), BuilderPassword);
    const auto verified = verifier.verify(m_registry->host() + QLatin1Char('/') + target);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
}

namespace
{
// Fetches @p reference's manifest with @p client, waiting for the answer.
Result<Image::Manifest> fetch(Registry::Client &client, const QString &reference)
{
    std::optional<Result<Image::Manifest>> outcome;
    QObject context;
    client.fetchManifest(Image::Reference::parse(reference).value(), &context,
                         [&outcome](Result<Image::Manifest> m) { outcome = std::move(m); });
    QDeadlineTimer deadline(30000);
    while (!outcome && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    if (!outcome)
        return Error::make(Error::Kind::Timeout, QStringLiteral("no answer"));
    return *outcome;
}
} // namespace

void TokenAuthTest::expiredTokenIsRenewedBeforeUse()
{
    m_tokens.setLifetimes(1);
    QNetworkAccessManager network;
    Registry::Client client(&network);
    client.setCredential(m_registry->host(), {QStringLiteral("reader"), ReaderPassword});
    const QString reference = m_registry->host() + QStringLiteral("/cred/app:1");
    QVERIFY(fetch(client, reference).ok());
    QCOMPARE(m_tokens.requests().size(), 1);
    // A token lives expires_in seconds: wait until it is over (there is nothing to poll for).
    QTest::qWait(1200);
    const auto second = fetch(client, reference);
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().toString()));
    const QList<TokenRequestRecord> records = m_tokens.requests();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.last().status, 200);
    // Renewed before use: the registry never saw the expired token.
    QVERIFY(syncAccessLog(*m_registry));
    const QList<AccessLogEntry> requests = requestsSinceMark(*m_registry);
    QCOMPARE(std::count_if(requests.cbegin(), requests.cend(),
                           [](const AccessLogEntry &e) { return e.path.contains(QLatin1String("/manifests/")) && e.status == 401; }),
             1); // only the very first, unauthenticated request
}

void TokenAuthTest::tokenRefusedByTheRegistryIsReplaced()
{
    // The token server says 300 s but the registry accepts the token for 2 s only (a revoked or
    // clock-skewed token): the registry's 401 invalid_token makes the client fetch a new one.
    m_tokens.setLifetimes(300, 2);
    QNetworkAccessManager network;
    Registry::Client client(&network);
    client.setCredential(m_registry->host(), {QStringLiteral("reader"), ReaderPassword});
    const QString reference = m_registry->host() + QStringLiteral("/cred/app:1");
    QVERIFY(fetch(client, reference).ok());
    QTest::qWait(3000);
    m_registry->markAccessLog();
    const auto second = fetch(client, reference);
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().toString()));
    QCOMPARE(m_tokens.requests().size(), 2);
    QVERIFY(syncAccessLog(*m_registry));
    QList<int> statuses;
    for (const AccessLogEntry &e : requestsSinceMark(*m_registry)) {
        if (e.path.contains(QLatin1String("/manifests/")))
            statuses << e.status;
    }
    QCOMPARE(statuses, (QList<int>{401, 200}));
}

void TokenAuthTest::identityTokenUsesTheRefreshTokenGrant()
{
    const auto dir = makeTempDir(QStringLiteral("dockerconfig"));
    const QString identityToken = m_tokens.issueRefreshToken(QStringLiteral("builder"));
    QJsonObject entry;
    entry.insert(QLatin1String("auth"), QString::fromLatin1(QByteArrayLiteral("builder:").toBase64()));
    entry.insert(QLatin1String("identitytoken"), identityToken);
    QJsonObject auths;
    auths.insert(m_registry->host(), entry);
    QJsonObject config;
    config.insert(QLatin1String("auths"), auths);
    QVERIFY(writeFile(dir->filePath(QStringLiteral("config.json")), QJsonDocument(config).toJson()).ok());
    QProcessEnvironment environment = credentialsEnvironment();
    environment.insert(QStringLiteral("DOCKER_CONFIG"), dir->path());

    const QStringList inspect{QStringLiteral("inspect"), m_registry->host() + QStringLiteral("/cred/app:1"), QStringLiteral("-q")};
    const CliRun run = runRestackWith(inspect, {}, environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe() + describe(m_tokens.requests()));
    const QList<TokenRequestRecord> records = m_tokens.requests();
    QVERIFY(!records.isEmpty());
    for (const TokenRequestRecord &r : records) {
        QCOMPARE(r.method, QStringLiteral("POST"));
        QCOMPARE(r.grantType, QStringLiteral("refresh_token"));
        QCOMPARE(r.clientId, QStringLiteral("restack"));
        QCOMPARE(r.user, QStringLiteral("builder"));
        QVERIFY(!r.hadAuthorization); // the identity token is never sent as a password
    }

    m_tokens.revokeRefreshTokens();
    const CliRun revoked = runRestackWith(inspect, {}, environment);
    RESTACK_VERIFY_OR_DUMP(revoked.exited && revoked.exitCode == 1, revoked.describe());
    QVERIFY2(revoked.standardError.contains(QLatin1String("identity token")), qPrintable(revoked.describe()));
    QVERIFY(!revoked.standardError.contains(identityToken));
}

void TokenAuthTest::credentialHelperAndAuthFiles()
{
    const auto dir = makeTempDir(QStringLiteral("helper"));
    const QString host = m_registry->host();
    const QString store = dir->filePath(QStringLiteral("helper-store.json"));
    const QString helperLog = dir->filePath(QStringLiteral("helper.log"));
    QJsonObject config;
    config.insert(QLatin1String("credHelpers"), QJsonObject{{host, QStringLiteral("restacktest")}});
    QDir().mkpath(dir->filePath(QStringLiteral("docker")));
    QVERIFY(writeFile(dir->filePath(QStringLiteral("docker/config.json")), QJsonDocument(config).toJson()).ok());
    QJsonObject podmanAuths;
    podmanAuths.insert(host, QJsonObject{{QStringLiteral("auth"),
                                          QString::fromLatin1((QStringLiteral("reader:") + ReaderPassword).toUtf8().toBase64())}});
    QVERIFY(writeFile(dir->filePath(QStringLiteral("auth.json")),
                      QJsonDocument(QJsonObject{{QStringLiteral("auths"), podmanAuths}}).toJson())
                .ok());
    QProcessEnvironment environment = credentialsEnvironment();
    environment.insert(QStringLiteral("DOCKER_CONFIG"), dir->filePath(QStringLiteral("docker")));
    environment.insert(QStringLiteral("REGISTRY_AUTH_FILE"), dir->filePath(QStringLiteral("auth.json")));
    environment.insert(QStringLiteral("RESTACK_TEST_HELPER_STORE"), store);
    environment.insert(QStringLiteral("RESTACK_TEST_HELPER_LOG"), helperLog);
    const QStringList inspect{QStringLiteral("inspect"), host + QStringLiteral("/cred/app:1"), QStringLiteral("-q")};

    // The helper knows the registry: its credential (builder) is used.
    QJsonObject stored;
    stored.insert(host, QJsonObject{{QStringLiteral("Username"), QStringLiteral("builder")},
                                    {QStringLiteral("Secret"), BuilderPassword}});
    QVERIFY(writeFile(store, QJsonDocument(stored).toJson()).ok());
    CliRun run = runRestackWith(inspect, {}, environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QCOMPARE(m_tokens.requests().first().user, QStringLiteral("builder"));
    QCOMPARE(QString::fromUtf8(readFile(helperLog).value()).trimmed(), QStringLiteral("get ") + host);

    // The helper answers "credentials not found": not an error, the containers auth file is next.
    QVERIFY(writeFile(store, "{}").ok());
    m_tokens.clearRequests();
    run = runRestackWith(inspect, {}, environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QCOMPARE(m_tokens.requests().first().user, QStringLiteral("reader"));

    // A helper that is not installed is an error saying so.
    config.insert(QLatin1String("credHelpers"), QJsonObject{{host, QStringLiteral("not-installed-anywhere")}});
    QVERIFY(writeFile(dir->filePath(QStringLiteral("docker/config.json")), QJsonDocument(config).toJson()).ok());
    run = runRestackWith(inspect, {}, environment);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QVERIFY2(run.standardError.contains(QLatin1String("docker-credential-not-installed-anywhere")), qPrintable(run.describe()));
}

void TokenAuthTest::severalChallenges()
{
    // A proxy adds `Basic realm=...` before the registry's Bearer challenge, in its own header:
    // restack picks the Bearer one and gets a token.
    ChallengeProxy proxy(m_registry->port(), QByteArrayLiteral("Basic realm=\"restack-proxy\""));
    QString error;
    QVERIFY2(proxy.start(&error), qPrintable(error));
    const CliRun run = runRestackWith(withUser({QStringLiteral("inspect"), proxy.host() + QStringLiteral("/cred/app:1")},
                                               QStringLiteral("reader")),
                                      password(ReaderPassword));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QVERIFY(proxy.challengesAdded() >= 1);
    QVERIFY(!m_tokens.requests().isEmpty());
    QCOMPARE(m_tokens.requests().first().user, QStringLiteral("reader"));
}

void TokenAuthTest::wrongPasswordIsClear()
{
    const CliRun run = runRestackWith(withUser({QStringLiteral("inspect"), m_registry->host() + QStringLiteral("/cred/app:1")},
                                               QStringLiteral("reader")),
                                      QByteArrayLiteral("not-the-password\n"));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    QCOMPARE(run.errorLines().size(), 1);
    QVERIFY2(run.standardError.contains(QLatin1String("refused the credentials")), qPrintable(run.describe()));
    QVERIFY(!run.standardError.contains(QLatin1String("not-the-password")));
}

void TokenAuthTest::providerIsAskedLazilyAndOnce()
{
    QNetworkAccessManager network;
    Registry::Client client(&network);
    QStringList asked;
    client.setCredentialProvider([&asked](const QString &registry, QObject *context,
                                          Callback<std::optional<Registry::Credential>> done) {
        asked << registry;
        QMetaObject::invokeMethod(context, [done] {
            done(std::optional<Registry::Credential>(Registry::Credential{QStringLiteral("reader"), ReaderPassword}));
        }, Qt::QueuedConnection);
    });
    // An anonymous registry never challenges: the provider (the keychain) is never asked.
    QVERIFY(fetch(client, m_open->host() + QStringLiteral("/open/app:1")).ok());
    QVERIFY(asked.isEmpty());
    // A token registry: asked once, however many requests follow.
    QVERIFY(fetch(client, m_registry->host() + QStringLiteral("/cred/app:1")).ok());
    QVERIFY(fetch(client, m_registry->host() + QStringLiteral("/cred/base:1")).ok());
    QVERIFY(fetch(client, m_registry->host() + QStringLiteral("/cred/base:2")).ok());
    QCOMPARE(asked, QStringList{m_registry->host()});
}

void TokenAuthTest::verboseLogShowsNoSecret()
{
    const CliRun run = runRestackWith({QStringLiteral("inspect"), m_registry->host() + QStringLiteral("/cred/app:1"),
                                       QStringLiteral("-v"), QStringLiteral("--username"), QStringLiteral("builder"),
                                       QStringLiteral("--password-stdin")},
                                      password(BuilderPassword));
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QString all = run.standardOutput + run.standardError;
    QVERIFY2(run.standardError.contains(QLatin1String("token request")), qPrintable(run.describe())); // -v works
    QVERIFY(!all.contains(BuilderPassword));
    QVERIFY(!all.contains(QString::fromLatin1((QStringLiteral("builder:") + BuilderPassword).toUtf8().toBase64())));
    QVERIFY(!all.contains(QLatin1String("Authorization"), Qt::CaseInsensitive));
    QVERIFY(!all.contains(QLatin1String("eyJ"))); // no JWT (their header always starts so)
    for (const TokenRequestRecord &r : m_tokens.requests()) {
        QVERIFY(!r.token.isEmpty());
        QVERIFY(!all.contains(r.token.section(QLatin1Char('.'), 2)));
    }
}

QTEST_GUILESS_MAIN(TokenAuthTest)
#include "tst_tokenauth.moc"
