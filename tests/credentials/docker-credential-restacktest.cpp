// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// docker-credential-restacktest: a Docker credential helper for the tests, speaking the protocol of
// docker/docker-credential-helpers:
//   get    server URL on stdin -> {"ServerURL","Username","Secret"} on stdout, or
//          "credentials not found in native keychain" and exit status 1
//   store  {"ServerURL","Username","Secret"} on stdin
//   erase  server URL on stdin
//   list   {"URL": "Username", ...} on stdout
// Credentials live in the JSON file named by RESTACK_TEST_HELPER_STORE; each call appends
// "ACTION SERVER-URL" to RESTACK_TEST_HELPER_LOG when set (never the secret).

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace
{
QJsonObject load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool save(const QString &path, const QJsonObject &object)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(QJsonDocument(object).toJson()) > 0;
}

void log(const QString &action, const QString &server)
{
    const QString path = qEnvironmentVariable("RESTACK_TEST_HELPER_LOG");
    QFile file(path);
    if (!path.isEmpty() && file.open(QIODevice::Append))
        file.write((action + QLatin1Char(' ') + server + QLatin1Char('\n')).toUtf8());
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString action = QCoreApplication::arguments().value(1);
    const QString storePath = qEnvironmentVariable("RESTACK_TEST_HELPER_STORE");
    QFile in;
    QFile out;
    if (!in.open(stdin, QIODevice::ReadOnly) || !out.open(stdout, QIODevice::WriteOnly) || storePath.isEmpty()) {
        std::fputs("docker-credential-restacktest: set RESTACK_TEST_HELPER_STORE\n", stderr);
        return 2;
    }
    const QByteArray input = in.readAll().trimmed();
    QJsonObject store = load(storePath);

    if (action == QLatin1String("get")) {
        const QString server = QString::fromUtf8(input);
        log(action, server);
        if (!store.contains(server)) {
            out.write("credentials not found in native keychain\n");
            return 1;
        }
        QJsonObject entry = store.value(server).toObject();
        entry.insert(QLatin1String("ServerURL"), server);
        out.write(QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n');
        return 0;
    }
    if (action == QLatin1String("store")) {
        const QJsonObject entry = QJsonDocument::fromJson(input).object();
        const QString server = entry.value(QLatin1String("ServerURL")).toString();
        log(action, server);
        QJsonObject saved;
        saved.insert(QLatin1String("Username"), entry.value(QLatin1String("Username")));
        saved.insert(QLatin1String("Secret"), entry.value(QLatin1String("Secret")));
        store.insert(server, saved);
        return save(storePath, store) ? 0 : 1;
    }
    if (action == QLatin1String("erase")) {
        const QString server = QString::fromUtf8(input);
        log(action, server);
        store.remove(server);
        return save(storePath, store) ? 0 : 1;
    }
    if (action == QLatin1String("list")) {
        log(action, QString());
        QJsonObject list;
        for (auto it = store.constBegin(); it != store.constEnd(); ++it)
            list.insert(it.key(), it.value().toObject().value(QLatin1String("Username")));
        out.write(QJsonDocument(list).toJson(QJsonDocument::Compact) + '\n');
        return 0;
    }
    std::fputs("usage: docker-credential-restacktest get|store|erase|list\n", stderr);
    return 2;
}
