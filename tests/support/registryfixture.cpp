// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registryfixture.h"

#include <unistd.h>

#include <crypt.h>

#include <utility>

#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>

#include <csignal>

#include <sys/prctl.h>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include "tools.h"

namespace Restack::Test
{

namespace
{

constexpr int MaxPortAttempts = 5;

QString indented(const QString &yaml, int spaces)
{
    const QString prefix(spaces, QLatin1Char(' '));
    QStringList lines = yaml.split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    QString out;
    for (const QString &line : std::as_const(lines))
        out += (line.trimmed().isEmpty() ? QString() : prefix + line) + QLatin1Char('\n');
    return out;
}

/** The keys at column 0 of a YAML snippet. */
QSet<QString> topLevelKeys(const QString &yaml)
{
    static const QRegularExpression keyLine(QStringLiteral("^([A-Za-z_][A-Za-z0-9_.-]*)\\s*:"));
    QSet<QString> keys;
    const QStringList lines = yaml.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QRegularExpressionMatch match = keyLine.match(line);
        if (match.hasMatch())
            keys.insert(match.captured(1));
    }
    return keys;
}

QString yamlQuoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

quint16 pickFreePort()
{
    // Bind to port 0 so that the kernel picks a free port, then release it for the registry. Another
    // process may take it in between: start() retries with a new port when the registry cannot bind.
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

std::optional<AccessLogEntry> AccessLogEntry::parse(const QString &line)
{
    // gorilla/handlers CombinedLoggingHandler:
    // host ident user [02/Jan/2006:15:04:05 -0700] "METHOD URI PROTO" status size "referer" "user-agent"
    static const QRegularExpression pattern(QStringLiteral(
        R"re(^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) ([^"]+)" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"\s*$)re"));
    const QRegularExpressionMatch match = pattern.match(line);
    if (!match.hasMatch())
        return std::nullopt;
    AccessLogEntry entry;
    entry.remoteAddress = match.captured(1);
    // "30/Nov/2026:01:18:57 +0000": English month abbreviations (QDateTime::fromString uses the C
    // locale) and a numeric UTC offset, read by hand since Qt 6.4's "t" does not parse one.
    const QString stamp = match.captured(2);
    const qsizetype space = stamp.lastIndexOf(QLatin1Char(' '));
    QDateTime time = QDateTime::fromString(stamp.left(space), QStringLiteral("dd/MMM/yyyy:HH:mm:ss"));
    const QString offset = stamp.mid(space + 1);
    if (time.isValid() && offset.size() == 5) {
        const int sign = offset.startsWith(QLatin1Char('-')) ? -1 : 1;
        time.setOffsetFromUtc(sign * (offset.mid(1, 2).toInt() * 3600 + offset.mid(3, 2).toInt() * 60));
        entry.time = time.toUTC();
    }
    entry.method = match.captured(3);
    entry.uri = match.captured(4);
    entry.path = entry.uri.section(QLatin1Char('?'), 0, 0);
    entry.protocol = match.captured(5);
    entry.status = match.captured(6).toInt();
    entry.bytes = match.captured(7) == QLatin1String("-") ? 0 : match.captured(7).toLongLong();
    entry.userAgent = match.captured(9);
    entry.raw = line;
    return entry;
}

bool AccessLogEntry::matches(const QString &method_, const QString &pathPattern) const
{
    const QRegularExpression pattern(QRegularExpression::anchoredPattern(pathPattern));
    return method == method_ && pattern.match(path).hasMatch();
}

RegistryFixture::RegistryFixture(RegistryOptions options)
    : m_options(std::move(options))
{
}

RegistryFixture::~RegistryFixture()
{
    stop();
}

bool RegistryFixture::start(QString *error)
{
    if (isRunning())
        return true;
    QString message;
    const auto fail = [&](const QString &text) {
        if (error)
            *error = text;
        return false;
    };

    static const QSet<QString> ownTopLevel{
        QStringLiteral("version"), QStringLiteral("log"),  QStringLiteral("storage"),
        QStringLiteral("http"),    QStringLiteral("auth"), QStringLiteral("validation")};
    static const QSet<QString> ownHttp{QStringLiteral("addr"), QStringLiteral("secret")};
    static const QSet<QString> ownStorage{QStringLiteral("filesystem"), QStringLiteral("delete")};
    if (const QSet<QString> clash = topLevelKeys(m_options.extraConfig) & ownTopLevel; !clash.isEmpty())
        return fail(QStringLiteral("RegistryOptions::extraConfig repeats sections the fixture writes: %1")
                        .arg(QStringList(clash.values()).join(QStringLiteral(", "))));
    if (const QSet<QString> clash = topLevelKeys(m_options.httpExtra) & ownHttp; !clash.isEmpty())
        return fail(QStringLiteral("RegistryOptions::httpExtra repeats keys the fixture writes: %1")
                        .arg(QStringList(clash.values()).join(QStringLiteral(", "))));
    if (const QSet<QString> clash = topLevelKeys(m_options.storageExtra) & ownStorage; !clash.isEmpty())
        return fail(QStringLiteral("RegistryOptions::storageExtra repeats keys the fixture writes: %1")
                        .arg(QStringList(clash.values()).join(QStringLiteral(", "))));

    if (!m_dir) {
        m_dir = makeTempDir(QStringLiteral("registry"), m_options.parentDirectory);
        if (!m_dir->isValid())
            return fail(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString()));
        QDir().mkpath(storageDir());
    }
    if (m_options.auth.trimmed().isEmpty() && !m_options.htpasswdUsers.isEmpty() && !writeHtpasswd(&message))
        return fail(message);

    for (int attempt = 1; attempt <= MaxPortAttempts; ++attempt) {
        const quint16 port = m_options.port != 0 ? m_options.port : pickFreePort();
        if (port == 0)
            return fail(QStringLiteral("cannot find a free port on 127.0.0.1"));
        bool portTaken = false;
        if (startOnce(port, &message, &portTaken))
            return true;
        if (!portTaken || m_options.port != 0)
            break;
        qInfo("registry port %u was taken before the registry bound it, retrying", port);
    }
    return fail(message);
}

bool RegistryFixture::startOnce(quint16 port, QString *error, bool *portTaken)
{
    *portTaken = false;
    const Result<void> written = writeFile(configPath(), configYaml(port).toUtf8());
    if (!written.ok()) {
        *error = written.error().message;
        return false;
    }

    // Mark where this attempt's output starts, so that "address already in use" from an earlier
    // attempt is not mistaken for this one's.
    const qint64 logStart = QFileInfo(logPath()).size();

    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(toolEnvironment());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    // If the test process dies without running our destructor (a crash, a CTest timeout), the
    // kernel stops the registry too, so that no orphaned registry outlives the test.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->setStandardOutputFile(logPath(), QIODevice::Append);
    m_process->start(m_options.program, {QStringLiteral("serve"), configPath()});
    if (!m_process->waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_options.program, m_process->errorString());
        m_process.reset();
        return false;
    }
    m_port = port;

    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    const QUrl url(baseUrl() + QStringLiteral("/v2/"));
    const QDeadlineTimer deadline(m_options.readyTimeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running)
            break;
        QNetworkRequest request(url);
        request.setTransferTimeout(1000);
        QNetworkReply *reply = network.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        reply->deleteLater();
        if (status.isValid())
            return true;
        // Connection refused: the registry has not bound its port yet. Wait a little before
        // asking again, while noticing an early exit.
        m_process->waitForFinished(50);
    }

    const bool exited = m_process->state() != QProcess::Running;
    stop();
    m_port = 0;
    QFile log(logPath());
    if (log.open(QIODevice::ReadOnly) && log.seek(logStart))
        *portTaken = log.readAll().contains("address already in use");
    *error = (exited ? QStringLiteral("docker-registry exited during start-up")
                     : QStringLiteral("docker-registry did not answer GET %1 within %2 ms")
                           .arg(url.toString())
                           .arg(m_options.readyTimeoutMs))
        + QStringLiteral("; log ") + logPath() + QStringLiteral(" ends with:\n") + logTail();
    return false;
}

QString RegistryFixture::configYaml(quint16 port) const
{
    const QString secret =
        QString::number(QRandomGenerator::global()->generate64(), 16) + QString::number(QRandomGenerator::global()->generate64(), 16);
    QString yaml;
    yaml += QStringLiteral("# Written by Restack's RegistryFixture.\n");
    yaml += QStringLiteral("version: 0.1\n");
    yaml += QStringLiteral("log:\n");
    yaml += QStringLiteral("  level: %1\n").arg(m_options.logLevel);
    yaml += QStringLiteral("  formatter: text\n");
    yaml += QStringLiteral("  accesslog:\n");
    yaml += QStringLiteral("    disabled: false\n");
    yaml += QStringLiteral("storage:\n");
    yaml += QStringLiteral("  filesystem:\n");
    yaml += QStringLiteral("    rootdirectory: %1\n").arg(yamlQuoted(storageDir()));
    yaml += QStringLiteral("  delete:\n");
    yaml += QStringLiteral("    enabled: true\n");
    yaml += indented(m_options.storageExtra, 2);
    yaml += QStringLiteral("http:\n");
    yaml += QStringLiteral("  addr: 127.0.0.1:%1\n").arg(port);
    yaml += QStringLiteral("  secret: %1\n").arg(secret);
    yaml += indented(m_options.httpExtra, 2);
    if (!m_options.auth.trimmed().isEmpty()) {
        yaml += QStringLiteral("auth:\n") + indented(m_options.auth, 2);
    } else if (!m_options.htpasswdUsers.isEmpty()) {
        yaml += QStringLiteral("auth:\n");
        yaml += QStringLiteral("  htpasswd:\n");
        yaml += QStringLiteral("    realm: restack-test\n");
        yaml += QStringLiteral("    path: %1\n").arg(yamlQuoted(htpasswdPath()));
    }
    if (!m_options.validation.trimmed().isEmpty())
        yaml += QStringLiteral("validation:\n") + indented(m_options.validation, 2);
    if (!m_options.extraConfig.trimmed().isEmpty())
        yaml += indented(m_options.extraConfig, 0);
    return yaml;
}

bool RegistryFixture::writeHtpasswd(QString *error) const
{
    // docker-registry accepts bcrypt entries only; libxcrypt makes them ("$2b$", cost 4: fast, tests only).
    QByteArray content;
    for (auto it = m_options.htpasswdUsers.cbegin(); it != m_options.htpasswdUsers.cend(); ++it) {
        char salt[CRYPT_GENSALT_OUTPUT_SIZE];
        if (!::crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt)) {
            *error = QStringLiteral("cannot make a bcrypt salt");
            return false;
        }
        struct crypt_data data = {};
        const char *hash = ::crypt_r(it.value().toUtf8().constData(), salt, &data);
        if (!hash || hash[0] == '*') {
            *error = QStringLiteral("cannot bcrypt the password of %1").arg(it.key());
            return false;
        }
        content += it.key().toUtf8() + ':' + QByteArray(hash) + '\n';
    }
    if (const Result<void> written = writeFile(htpasswdPath(), content); !written) {
        *error = written.error().message;
        return false;
    }
    return true;
}

void RegistryFixture::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

bool RegistryFixture::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString RegistryFixture::host() const
{
    return m_port == 0 ? QString() : QStringLiteral("127.0.0.1:%1").arg(m_port);
}

QString RegistryFixture::baseUrl() const
{
    return QStringLiteral("http://") + host();
}

QString RegistryFixture::storageDir() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("storage")) : QString();
}

double RegistryFixture::cpuMs() const
{
    if (!isRunning())
        return -1;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(m_process->processId()));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // "PID (COMM) STATE ..." : COMM may hold spaces; fields after it are space-separated, utime and
    // stime being the 14th and 15th of the line (the 12th and 13th after the closing parenthesis).
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = fields.at(11).toDouble() + fields.at(12).toDouble();
    return ticks * 1000.0 / double(::sysconf(_SC_CLK_TCK));
}

QString RegistryFixture::logPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("registry.log")) : QString();
}

QString RegistryFixture::htpasswdPath() const
{
    return m_dir && !m_options.htpasswdUsers.isEmpty() ? m_dir->filePath(QStringLiteral("htpasswd")) : QString();
}

QString RegistryFixture::configPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("config.yml")) : QString();
}

QString RegistryFixture::logText() const
{
    QFile log(logPath());
    if (!log.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(log.readAll());
}

QString RegistryFixture::logTail() const
{
    QStringList lines = logText().split(QLatin1Char('\n'));
    if (lines.size() > 20)
        lines = lines.mid(lines.size() - 20);
    return lines.join(QLatin1Char('\n'));
}

QList<AccessLogEntry> RegistryFixture::accessLog() const
{
    QList<AccessLogEntry> entries;
    const QString text = logText();
    // The last line may still be being written: only complete lines count.
    const QStringList lines = text.left(text.lastIndexOf(QLatin1Char('\n')) + 1).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (std::optional<AccessLogEntry> entry = AccessLogEntry::parse(line))
            entries.append(std::move(*entry));
    }
    return entries;
}

void RegistryFixture::markAccessLog()
{
    m_mark = accessLog().size();
}

QList<AccessLogEntry> RegistryFixture::accessLogSinceMark() const
{
    return accessLog().mid(m_mark);
}

std::optional<AccessLogEntry>
RegistryFixture::waitForAccessLog(const std::function<bool(const AccessLogEntry &)> &predicate, int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (true) {
        const QList<AccessLogEntry> entries = accessLogSinceMark();
        for (const AccessLogEntry &entry : entries) {
            if (predicate(entry))
                return entry;
        }
        if (deadline.hasExpired())
            return std::nullopt;
        // The log is a file written by another process: there is no signal to wait for.
        QThread::msleep(20);
    }
}

} // namespace Restack::Test
