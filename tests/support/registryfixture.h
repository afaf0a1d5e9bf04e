// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QProcess;
class QTemporaryDir;

namespace Restack::Test
{

/**
 * One request as docker-registry's HTTP access log records it. The registry (distribution 2.8)
 * writes an Apache "combined" line on stdout for every request it answered, routed or not, after
 * the response was sent:
 *
 *     127.0.0.1 - - [30/Nov/2026:01:18:57 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "skopeo/1.9.3"
 *
 * The logrus "response completed" lines on stderr are not parsed: they are missing for requests
 * that match no route, and their quoting depends on the value.
 */
struct AccessLogEntry
{
    QString remoteAddress; ///< client address (no port)
    QDateTime time;        ///< when the request was received, second precision
    QString method;        ///< "GET", "HEAD", "PUT", ...
    QString uri;           ///< request URI as sent, with query string ("/v2/a/blobs/uploads/ID?_state=...")
    QString path;          ///< uri without the query string
    QString protocol;      ///< "HTTP/1.1"
    int status = 0;        ///< HTTP status of the response
    qint64 bytes = 0;      ///< response body size in bytes
    QString userAgent;
    QString raw;           ///< the log line as written

    /** Parses one access-log line; nullopt for any other line (logrus lines, blank lines). */
    static std::optional<AccessLogEntry> parse(const QString &line);

    /** True for @p method_ on a URI whose path matches @p pathPattern (a regular expression, anchored). */
    bool matches(const QString &method_, const QString &pathPattern) const;
};

/** How RegistryFixture configures docker-registry. The YAML snippets are written without indentation. */
struct RegistryOptions
{
    /** The port to listen on; 0 picks a free loopback port (retrying if another process takes it). */
    quint16 port = 0;
    /** Body of the top-level `auth:` section, e.g. "silly:\n  realm: test\n  service: test"; empty: none. */
    QString auth;
    /**
     * Users and passwords for HTTP basic authentication: when not empty (and auth is empty) the
     * fixture writes a bcrypt htpasswd file and an `auth: htpasswd:` section with realm "restack-test".
     */
    QMap<QString, QString> htpasswdUsers;
    /** Body of the top-level `validation:` section, e.g. "manifests:\n  urls:\n    allow: ['^https?://']". */
    QString validation;
    /** Extra keys under `http:` (not addr or secret), e.g. "tls:\n  certificate: ...". */
    QString httpExtra;
    /** Extra keys under `storage:` (not filesystem or delete), e.g. "maintenance:\n  readonly:\n    enabled: true". */
    QString storageExtra;
    /** Extra top-level sections the fixture does not write itself (notifications, proxy, ...). */
    QString extraConfig;
    /** log.level: error, warn, info or debug. The access log is written at every level. */
    QString logLevel = QStringLiteral("info");
    /** How long start() waits for GET /v2/ to answer, in milliseconds. */
    int readyTimeoutMs = 10000;
    /** The registry executable. */
    QString program = QStringLiteral("docker-registry");
    /**
     * Where the registry's temporary directory (config, storage, log) is created; empty: the
     * system's temporary directory (QDir::tempPath(), TMPDIR). Benchmarks use it to compare storage
     * on disk, where every registry write waits for fsync, with storage in memory (tmpfs).
     */
    QString parentDirectory;
};

/**
 * A real docker-registry (Debian's distribution 2.8) serving plain HTTP on 127.0.0.1, with
 * filesystem storage, deletes enabled and no authentication unless RegistryOptions::auth says so.
 * Everything (config, storage, log) lives in a temporary directory removed by the destructor.
 * The registry's stdout and stderr both go to logPath(); accessLog() parses its access-log lines.
 *
 * Needs a QCoreApplication. Not thread-safe; start() runs a local event loop while polling for
 * readiness, which suits tests and the sandbox but not core code.
 */
class RegistryFixture final
{
public:
    /** Prepares a registry configured by @p options; nothing runs until start(). */
    explicit RegistryFixture(RegistryOptions options = {});
    /** Stops the registry and removes its directory. */
    ~RegistryFixture();
    Q_DISABLE_COPY_MOVE(RegistryFixture)

    /**
     * Writes the configuration, starts the registry and waits until GET /v2/ answers (any HTTP
     * status counts, so that an authenticating registry is ready too). Returns false and sets
     * @p error (when not null) if the YAML options repeat keys the fixture writes, the registry
     * cannot be started, exits, or does not answer within RegistryOptions::readyTimeoutMs; the
     * message then ends with the tail of the registry log. Calling start() while running is a no-op.
     */
    bool start(QString *error = nullptr);

    /** Stops the registry (SIGTERM, then SIGKILL after 5 s). Storage and log are kept until destruction. */
    void stop();

    /** True while the registry process runs. */
    bool isRunning() const;
    /**
     * CPU time the registry process has used so far (user + system, milliseconds, from
     * /proc/PID/stat: clock-tick resolution, 10 ms on most kernels); -1 when not running.
     */
    double cpuMs() const;

    /** "127.0.0.1:PORT", to build references such as host() + "/demo/app:1.0". Empty before start(). */
    QString host() const;
    /** The port listened on; 0 before start(). */
    quint16 port() const { return m_port; }
    /** "http://127.0.0.1:PORT". */
    QString baseUrl() const;

    /** The filesystem driver's root directory (docker/registry/v2/... below it). Paths are empty before start(). */
    QString storageDir() const;
    /** The registry's stdout+stderr. */
    QString logPath() const;
    /** The htpasswd file written for RegistryOptions::htpasswdUsers (empty path when none). */
    QString htpasswdPath() const;
    /** The generated config.yml. */
    QString configPath() const;
    /** The whole log so far, for failure messages. */
    QString logText() const;

    /**
     * Every request in the access log so far, oldest first. A line is written after its response
     * was sent, so right after a client returns its last request may still be missing: use
     * waitForAccessLog() to wait for a specific one.
     */
    QList<AccessLogEntry> accessLog() const;

    /** Remembers how many requests have been logged; accessLogSinceMark() returns only later ones. */
    void markAccessLog();

    /** Requests logged after the last markAccessLog() (all of them without a mark). */
    QList<AccessLogEntry> accessLogSinceMark() const;

    /**
     * Waits up to @p timeoutMs milliseconds for a request after the mark that satisfies
     * @p predicate to be logged, and returns it; nullopt on timeout.
     */
    std::optional<AccessLogEntry> waitForAccessLog(const std::function<bool(const AccessLogEntry &)> &predicate,
                                                   int timeoutMs = 5000) const;

private:
    bool startOnce(quint16 port, QString *error, bool *portTaken);
    QString configYaml(quint16 port) const;
    bool writeHtpasswd(QString *error) const;
    QString logTail() const;

    RegistryOptions m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    qsizetype m_mark = 0;
};

} // namespace Restack::Test
