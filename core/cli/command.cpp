// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/command.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSslCertificate>
#include <QSslKey>
#include <QLocale>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QNetworkAccessManager>

#include <cstdio>

#include "credentials/credentialresolver.h"
#include "credentials/secretstore.h"
#include "image/reference.h"
#include "registry/client.h"

namespace Restack::Cli
{

namespace
{
/** How long an exiting command waits for best-effort background calls (cancelling upload sessions), in ms. */
constexpr int BackgroundCallsGraceMs = 5000;
} // namespace

Command::Command(Streams streams, QObject *parent)
    : QObject(parent)
    , m_streams(streams)
{
}

Command::~Command() = default;

QString Command::helpText()
{
    if (!m_optionsAdded) {
        m_parser.setApplicationDescription(summary());
        // Not addHelpOption(): it also adds --help-all, "including Qt specific options", which a
        // QCoreApplication-less command line does not have.
        m_parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
        m_parser.addOption({{QStringLiteral("q"), QStringLiteral("quiet")}, QStringLiteral("Print no progress on standard error.")});
        addOptions(m_parser);
        m_optionsAdded = true;
    }
    QString text = m_parser.helpText();
    // QCommandLineParser names the executable as it was typed (./build/app/restack); show the command's name
    // and the subcommand instead, as the man page and the completions do.
    const QString usage = QStringLiteral("Usage: ");
    const qsizetype at = text.indexOf(usage);
    if (at >= 0) {
        const qsizetype programStart = at + usage.size();
        const qsizetype programEnd = text.indexOf(QLatin1Char(' '), programStart);
        if (programEnd > 0)
            text.replace(programStart, programEnd - programStart, QStringLiteral("restack ") + name());
    }
    return text;
}

namespace
{
// QCommandLineParser's "Unknown option 'bogus'." / "Missing value after 'base'." in the style of our own
// messages: "unknown option --bogus", "missing value after --base".
QString optionError(const QString &qtText)
{
    static const QRegularExpression quoted(QStringLiteral("'([^']*)'"));
    QString text;
    qsizetype from = 0;
    for (auto it = quoted.globalMatch(qtText); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        text += qtText.mid(from, match.capturedStart() - from);
        text += name.startsWith(QLatin1Char('-')) ? name
                                                   : (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
        from = match.capturedEnd();
    }
    text += qtText.mid(from);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}
} // namespace

void Command::run(const QStringList &arguments)
{
    helpText(); // declares the options once
    if (!m_parser.parse(QStringList{QStringLiteral("restack")} + arguments))
        return usageError(optionError(m_parser.errorText()));
    if (m_parser.isSet(QStringLiteral("help"))) {
        out() << helpText();
        out().flush();
        return done(Success);
    }
    m_quiet = m_parser.isSet(QStringLiteral("quiet"));
    execute(m_parser);
}

void Command::interrupt(int signalNumber)
{
    if (m_finished || m_interruptedBy != 0)
        return;
    m_interruptedBy = signalNumber;
    cancel();
}

void Command::cancel()
{
    fail(Error::make(Error::Kind::Cancelled, QStringLiteral("interrupted")));
}

void Command::done(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_interruptedBy != 0)
        exitCode = 128 + m_interruptedBy; // as a shell reports a command a signal ended
    out().flush();
    err().flush();
    if (m_client && m_client->hasBackgroundCalls()) {
        // Upload sessions being cancelled: let the registry hear it before the process exits,
        // but never hold the exit status back for long.
        m_client->afterBackgroundCalls(BackgroundCallsGraceMs, this, [this, exitCode] { Q_EMIT finished(exitCode); });
        return;
    }
    Q_EMIT finished(exitCode);
}

void Command::fail(const Error &error)
{
    err() << "restack: error: " << error.toString() << Qt::endl;
    if (jsonOutput()) {
        // -o json: standard output carries the error too, so that a script reading it is never left empty.
        QJsonObject o{{QLatin1String("message"), error.message}, {QLatin1String("kind"), Error::kindName(error.kind)},
                      {QLatin1String("text"), error.toString()}};
        for (const auto &[key, value] : {std::pair{QLatin1String("registry"), error.registry},
                                         std::pair{QLatin1String("repository"), error.repository},
                                         std::pair{QLatin1String("reference"), error.reference},
                                         std::pair{QLatin1String("registryCode"), error.registryCode},
                                         std::pair{QLatin1String("hint"), error.hint}}) {
            if (!value.isEmpty())
                o.insert(key, value);
        }
        if (error.httpStatus != 0)
            o.insert(QLatin1String("httpStatus"), error.httpStatus);
        out() << QJsonDocument(QJsonObject{{QLatin1String("error"), o}}).toJson(QJsonDocument::Indented);
    }
    done(error.kind == Error::Kind::InvalidInput ? UsageError : Failure);
}

void Command::usageError(const QString &message)
{
    err() << "restack: error: " << message << Qt::endl;
    err() << "Run 'restack " << name() << " --help' for usage." << Qt::endl;
    done(UsageError);
}

void Command::progress(const QString &message)
{
    if (m_quiet || message == m_lastProgress || message.isEmpty())
        return;
    m_lastProgress = message;
    err() << "restack: " << message << Qt::endl;
}

void Command::addRegistryOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("insecure"),
                      QStringLiteral("Allow plain HTTP and unverified TLS for the registries of this command.")});
    parser.addOption({{QStringLiteral("u"), QStringLiteral("username")},
                      QStringLiteral("Username for the registry (with --password-stdin)."), QStringLiteral("USER")});
    parser.addOption({QStringLiteral("password-stdin"), QStringLiteral("Read the password or token from standard input.")});
    parser.addOption({QStringLiteral("ca-file"),
                      QStringLiteral("Also trust the CA certificates in this PEM file, for every registry of the command "
                                     "or, as REGISTRY=FILE, for one (repeatable)."),
                      QStringLiteral("[REGISTRY=]FILE")});
    parser.addOption({QStringLiteral("client-cert"),
                      QStringLiteral("Present this PEM client certificate (with --client-key) to the registries, or to one "
                                     "as REGISTRY=FILE."),
                      QStringLiteral("[REGISTRY=]FILE")});
    parser.addOption({QStringLiteral("client-key"), QStringLiteral("The PEM private key of --client-cert."),
                      QStringLiteral("[REGISTRY=]FILE")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Give up on a transfer that makes no progress for SECONDS (default 60); it counts as "
                                     "a transient failure (see --retries)."),
                      QStringLiteral("SECONDS"),
                      QStringLiteral("60")});
    parser.addOption({QStringLiteral("retries"),
                      QStringLiteral("After a transient failure (connection trouble, a stall, 5xx, 429), send a request "
                                     "again at most N times (default 4; 0: never), with growing pauses, as long as no "
                                     "retry would start more than 60 s after the first attempt; a refused connection is "
                                     "tried twice, an unknown host once."),
                      QStringLiteral("N"), QStringLiteral("4")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("verbose")},
                      QStringLiteral("Log every HTTP request on standard error (credentials are never logged).")});
}

void Command::addOutputOption(QCommandLineParser &parser)
{
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output format: text or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
}

bool Command::readOutputOption(const QCommandLineParser &parser)
{
    const QString format = parser.value(QStringLiteral("output"));
    if (format != QLatin1String("text") && format != QLatin1String("json")) {
        usageError(QStringLiteral("--output must be text or json, not \"%1\"").arg(format));
        return false;
    }
    m_json = format == QLatin1String("json");
    return true;
}

bool Command::setUpClient(const QCommandLineParser &parser, const QStringList &registries,
                          const QString &credentialRegistry, bool readCredentials)
{
    Registry::ClientOptions options;
    bool ok = false;
    const int seconds = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || seconds <= 0) {
        usageError(QStringLiteral("--timeout needs a whole number of seconds, 1 or more"));
        return false;
    }
    options.transferTimeoutMs = seconds * 1000;
    const int retries = parser.value(QStringLiteral("retries")).toInt(&ok);
    if (!ok || retries < 0 || retries > 20) {
        usageError(QStringLiteral("--retries needs a number from 0 to 20"));
        return false;
    }
    options.maxAttempts = retries + 1;
    options.maxOperationAttempts = retries == 0 ? 1 : options.maxOperationAttempts;
    if (parser.isSet(QStringLiteral("verbose")))
        QLoggingCategory::setFilterRules(QStringLiteral("restack.*.debug=true"));

    m_network = new QNetworkAccessManager(this);
    m_client = new Registry::Client(m_network, options, this);
    if (parser.isSet(QStringLiteral("insecure"))) {
        for (const QString &registry : registries)
            m_client->setInsecure(registry);
    }
    if (!setUpTls(parser, registries))
        return false;

    const bool hasUser = parser.isSet(QStringLiteral("username"));
    const bool hasPassword = parser.isSet(QStringLiteral("password-stdin"));
    if (readCredentials && hasUser != hasPassword) {
        usageError(QStringLiteral("--username and --password-stdin go together"));
        return false;
    }
    // Explicit credentials first, then the keychain, Docker's and Podman's files: asked lazily,
    // so that registries that never challenge never touch the keychain.
    m_resolver = new Credentials::CredentialResolver(secretStore(), this);
    if (readCredentials && hasUser) {
        QString secret;
        if (!readSecretFromStdin(&secret))
            return false;
        m_resolver->setSessionCredential(credentialRegistry, {parser.value(QStringLiteral("username")), secret});
    }
    m_client->setCredentialProvider(m_resolver->provider());
    return true;
}

Credentials::SecretStore *Command::secretStore()
{
    if (!m_store)
        m_store = new Credentials::SecretStore(this);
    return m_store;
}

bool Command::readSecretFromStdin(QString *secret)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        usageError(QStringLiteral("cannot read the password from standard input"));
        return false;
    }
    QByteArray bytes = in.readAll();
    while (bytes.endsWith('\n') || bytes.endsWith('\r'))
        bytes.chop(1);
    if (bytes.isEmpty()) {
        usageError(QStringLiteral("--password-stdin: standard input was empty"));
        return false;
    }
    *secret = QString::fromUtf8(bytes);
    bytes.fill('\0');
    return true;
}

namespace
{
// "REGISTRY=FILE" or "FILE": which registries a TLS option is for, and the file.
std::pair<QStringList, QString> scoped(const QString &value, const QStringList &registries)
{
    const qsizetype equals = value.indexOf(QLatin1Char('='));
    if (equals > 0) {
        auto registry = Image::Reference::parseRegistry(value.left(equals));
        if (registry && !value.left(equals).contains(QLatin1Char('/')))
            return {{registry.value()}, value.mid(equals + 1)};
    }
    return {registries, value};
}
} // namespace

bool Command::setUpTls(const QCommandLineParser &parser, const QStringList &registries)
{
    QMap<QString, Registry::TlsOptions> tls;
    for (const QString &value : parser.values(QStringLiteral("ca-file"))) {
        const auto [targets, path] = scoped(value, registries);
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
        if (certificates.isEmpty()) {
            usageError(QStringLiteral("--ca-file: no PEM certificate could be read from %1").arg(path));
            return false;
        }
        for (const QString &registry : targets)
            tls[registry].caCertificates += certificates;
    }
    const QStringList certs = parser.values(QStringLiteral("client-cert"));
    const QStringList keys = parser.values(QStringLiteral("client-key"));
    if (certs.size() != keys.size()) {
        usageError(QStringLiteral("--client-cert and --client-key go together"));
        return false;
    }
    for (qsizetype i = 0; i < certs.size(); ++i) {
        const auto [targets, certPath] = scoped(certs.at(i), registries);
        const auto [keyTargets, keyPath] = scoped(keys.at(i), registries);
        const QList<QSslCertificate> certificate = QSslCertificate::fromPath(certPath, QSsl::Pem);
        QFile keyFile(keyPath);
        QSslKey key;
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray pem = keyFile.readAll();
            for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
                key = QSslKey(pem, algorithm, QSsl::Pem);
                if (!key.isNull())
                    break;
            }
        }
        if (certificate.isEmpty() || key.isNull()) {
            usageError(certificate.isEmpty() ? QStringLiteral("--client-cert: no PEM certificate could be read from %1").arg(certPath)
                                             : QStringLiteral("--client-key: no PEM private key could be read from %1").arg(keyPath));
            return false;
        }
        for (const QString &registry : targets)
            tls[registry].client = Registry::ClientIdentity{certificate.first(), key};
    }
    for (auto it = tls.cbegin(); it != tls.cend(); ++it)
        m_client->setTls(it.key(), it.value());
    return true;
}

QString padded(const QString &text, int width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

QString counted(qsizetype count, const QString &noun)
{
    return QString::number(count) + QLatin1Char(' ') + noun + (count == 1 ? QString() : QStringLiteral("s"));
}

QString humanSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

} // namespace Restack::Cli
