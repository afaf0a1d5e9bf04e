// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

namespace Restack::Test
{

namespace
{

QString commandLine(const QString &program, const QStringList &arguments)
{
    return program + QLatin1Char(' ') + arguments.join(QLatin1Char(' '));
}

QString trimmedOutput(const QByteArray &bytes)
{
    // Enough of a tool's stderr to see why it failed, not a whole log.
    constexpr qsizetype maxChars = 4000;
    QString text = QString::fromLocal8Bit(bytes).trimmed();
    if (text.size() > maxChars)
        text = QStringLiteral("...") + text.right(maxChars);
    return text;
}

} // namespace

QProcessEnvironment toolEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        const QString lower = key.toLower();
        if (lower.endsWith(QLatin1String("_proxy")) || key.startsWith(QLatin1String("REGISTRY_")))
            env.remove(key);
    }
    return env;
}

Error supportError(const QString &message)
{
    return Error::make(Error::Kind::Internal, message);
}

Result<ToolOutput> runTool(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(toolEnvironment());
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    if (!process.waitForStarted(30000))
        return supportError(QStringLiteral("cannot start `%1`: %2")
                                .arg(commandLine(program, arguments), process.errorString()));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return supportError(QStringLiteral("`%1` did not finish within %2 ms; stderr: %3")
                                .arg(commandLine(program, arguments))
                                .arg(timeoutMs)
                                .arg(trimmedOutput(process.readAllStandardError())));
    }
    ToolOutput output{process.readAllStandardOutput(), process.readAllStandardError()};
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return supportError(QStringLiteral("`%1` failed (%2 %3): %4")
                                .arg(commandLine(program, arguments),
                                     process.exitStatus() == QProcess::NormalExit ? QStringLiteral("exit code")
                                                                                  : QStringLiteral("crashed, signal"))
                                .arg(process.exitCode())
                                .arg(trimmedOutput(output.standardError)));
    return output;
}

std::unique_ptr<QTemporaryDir> makeTempDir(const QString &prefix, const QString &parent)
{
    auto dir = std::make_unique<QTemporaryDir>((parent.isEmpty() ? QDir::tempPath() : parent) + QStringLiteral("/restack-") + prefix
                                               + QStringLiteral("-XXXXXX"));
    if (dir->isValid() && qEnvironmentVariableIntValue("RESTACK_TEST_KEEP_TMP") == 1) {
        dir->setAutoRemove(false);
        qInfo("keeping temporary directory %s", qPrintable(dir->path()));
    }
    return dir;
}

QString sha256Digest(const QByteArray &data)
{
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

Result<std::pair<QString, qint64>> sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return supportError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return supportError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return std::pair<QString, qint64>(QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex()), file.size());
}

Result<std::pair<QString, qint64>> sha256OfToolOutput(const QString &program, const QStringList &arguments,
                                                      int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(toolEnvironment());
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    if (!process.waitForStarted(30000))
        return supportError(QStringLiteral("cannot start `%1`: %2")
                                .arg(commandLine(program, arguments), process.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 size = 0;
    const auto consume = [&] {
        const QByteArray chunk = process.readAllStandardOutput();
        hash.addData(chunk);
        size += chunk.size();
    };
    // waitForReadyRead() returns false once the process has finished (or on timeout).
    while (process.waitForReadyRead(timeoutMs))
        consume();
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return supportError(QStringLiteral("`%1` did not finish within %2 ms")
                                .arg(commandLine(program, arguments))
                                .arg(timeoutMs));
    }
    consume();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return supportError(QStringLiteral("`%1` failed (exit code %2): %3")
                                .arg(commandLine(program, arguments))
                                .arg(process.exitCode())
                                .arg(trimmedOutput(process.readAllStandardError())));
    return std::pair<QString, qint64>(QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex()), size);
}

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return supportError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

Result<void> writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        return supportError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Result<QJsonObject> parseJsonObject(const QByteArray &data, const QString &what)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError)
        return supportError(QStringLiteral("%1 is not valid JSON: %2").arg(what, error.errorString()));
    if (!document.isObject())
        return supportError(QStringLiteral("%1 is not a JSON object").arg(what));
    return document.object();
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

QStringList filesContaining(const QString &directory, const QByteArray &secret)
{
    QStringList found;
    QDirIterator it(directory, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray data = file.readAll();
        if (data.contains(secret) || data.contains(secret.toBase64()) || data.contains(secret.toHex()))
            found << path;
    }
    return found;
}

} // namespace Restack::Test
