// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-sandbox: a docker-registry on 127.0.0.1 seeded with demo images, for trying Restack by
// hand and for CLI tests. Prints RESTACK_SANDBOX_REGISTRY=HOST:PORT on stdout once it is ready.
//
//   restack-sandbox                      run until SIGINT/SIGTERM (or EOF on a piped/terminal stdin)
//   restack-sandbox -- CMD ARGS...       run CMD with {registry} in its arguments replaced by HOST:PORT
//                                        and RESTACK_SANDBOX_REGISTRY set; exit with its exit code

#include <sys/socket.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QSocketNotifier>
#include <QTextStream>

#include "imagefactory.h"
#include "registryfixture.h"

using namespace Restack::Test;

namespace
{

int signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    // Async-signal-safe: only write(2). The event loop reads the byte.
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalPipe) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

struct Seeded
{
    QString reference;
    QString digest;
    QString description;
};

/** Builds and pushes the demo images; returns what was pushed, or an error message. */
Restack::Result<QList<Seeded>> seed(const QString &host)
{
    ImageFactory factory;
    QList<Seeded> seeded;
    const auto push = [&](const QString &tag, const ImageSpec &spec, const QString &repository,
                          const QString &description) -> Restack::Result<void> {
        const QString reference = host + QLatin1Char('/') + repository;
        const Restack::Result<QString> digest = factory.buildAndPush(tag, spec, reference);
        if (!digest)
            return digest.error();
        seeded.append({repository, *digest, description});
        return {};
    };

    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/etc/os-release"),
                     QByteArrayLiteral("NAME=\"Demo OS\"\nVERSION=\"1.0\"\nPRETTY_NAME=\"Demo OS 1.0\"\n")}},
                   QStringLiteral("COPY os-release /etc/os-release"));
    base1.addEnv({QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin")});
    base1.addLayer({{QStringLiteral("/usr/lib/libdemo.so.1"), QByteArrayLiteral("libdemo 1.0\n")}},
                   QStringLiteral("COPY libdemo.so.1 /usr/lib/"));
    LayerSpec tool;
    tool.files.insert(QStringLiteral("/usr/bin/demo-tool"),
                      QByteArrayLiteral("#!/bin/sh\necho \"demo-tool on $(cat /etc/os-release | head -n1)\"\n"));
    tool.executables.append(QStringLiteral("/usr/bin/demo-tool"));
    tool.createdBy = QStringLiteral("COPY demo-tool /usr/bin/");
    base1.addLayer(tool);
    base1.addCmd({QStringLiteral("/usr/bin/demo-tool")});
    if (auto pushed = push(QStringLiteral("base-1.0"), base1, QStringLiteral("demo/base:1.0"),
                           QStringLiteral("3 layers (/etc/os-release \"Demo OS 1.0\", /usr/lib/libdemo.so.1, "
                                          "/usr/bin/demo-tool), ENV PATH and CMD history entries"));
        !pushed)
        return pushed.error();

    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"),
                     QByteArrayLiteral("NAME=\"Demo OS\"\nVERSION=\"2.0\"\nPRETTY_NAME=\"Demo OS 2.0\"\n")},
                    {QStringLiteral("/usr/lib/libdemo.so.2"), QByteArrayLiteral("libdemo 2.0\n")}},
                   QStringLiteral("COPY rootfs /"));
    base2.addEnv({QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin")});
    if (auto pushed = push(QStringLiteral("base-2.0"), base2, QStringLiteral("demo/base:2.0"),
                           QStringLiteral("1 layer (/etc/os-release \"Demo OS 2.0\", /usr/lib/libdemo.so.2), ENV PATH"));
        !pushed)
        return pushed.error();

    ImageSpec app;
    app.base = QStringLiteral("base-1.0");
    LayerSpec hello;
    hello.files.insert(QStringLiteral("/app/bin/hello"), QByteArrayLiteral("#!/bin/sh\necho \"hello, $1\"\n"));
    hello.executables.append(QStringLiteral("/app/bin/hello"));
    hello.createdBy = QStringLiteral("COPY hello /app/bin/");
    app.addLayer(hello);
    app.addLayer({{QStringLiteral("/app/share/data.txt"), QByteArrayLiteral("demo data\n")}},
                 QStringLiteral("COPY data.txt /app/share/"));
    app.addEntrypoint({QStringLiteral("/app/bin/hello")});
    app.addCmd({QStringLiteral("world")});
    EmptyStep label;
    label.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("demo-app"));
    label.createdBy = QStringLiteral("LABEL org.opencontainers.image.title=demo-app");
    app.addStep(label);
    if (auto pushed = push(QStringLiteral("app-1.0"), app, QStringLiteral("demo/app:1.0"),
                           QStringLiteral("demo/base:1.0 + 2 layers (/app/bin/hello, /app/share/data.txt), "
                                          "ENTRYPOINT, CMD, LABEL org.opencontainers.image.title=demo-app"));
        !pushed)
        return pushed.error();
    return seeded;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("restack-sandbox"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Starts a docker-registry on 127.0.0.1 seeded with demo images (demo/base:1.0, demo/base:2.0, demo/app:1.0)\n"
        "and prints RESTACK_SANDBOX_REGISTRY=HOST:PORT on stdout. With -- COMMAND ARGS..., runs the command\n"
        "({registry} in its arguments is replaced by HOST:PORT, RESTACK_SANDBOX_REGISTRY is set), then stops\n"
        "and exits with its exit code. Otherwise runs until SIGINT/SIGTERM or end of a piped or terminal stdin."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (default: a free one)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption noSeedOption(QStringLiteral("no-seed"), QStringLiteral("Start an empty registry."));
    parser.addOption(portOption);
    parser.addOption(noSeedOption);
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("Command to run against the registry."),
                                 QStringLiteral("[-- command [args...]]"));
    parser.process(application);

    QStringList command = parser.positionalArguments();
    if (!command.isEmpty() && !QCoreApplication::arguments().contains(QStringLiteral("--"))) {
        err() << "restack-sandbox: put the command after --, e.g. restack-sandbox -- restack inspect {registry}/demo/app:1.0\n";
        return 2;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        err() << "restack-sandbox: invalid --port " << parser.value(portOption) << "\n";
        return 2;
    }
    if (!installSignalHandlers()) {
        err() << "restack-sandbox: cannot install signal handlers\n";
        return 1;
    }

    RegistryOptions options;
    options.port = static_cast<quint16>(port);
    RegistryFixture registry(options);
    QString error;
    if (!registry.start(&error)) {
        err() << "restack-sandbox: " << error << "\n";
        return 1;
    }
    err() << "restack-sandbox: registry on " << registry.host() << " (storage " << registry.storageDir() << ", log "
          << registry.logPath() << ")\n";
    if (!parser.isSet(noSeedOption)) {
        const Restack::Result<QList<Seeded>> seeded = seed(registry.host());
        if (!seeded) {
            err() << "restack-sandbox: seeding failed: " << seeded.error().toString() << "\n";
            return 1;
        }
        for (const Seeded &image : *seeded)
            err() << "  " << image.reference << "  " << image.digest << "\n    " << image.description << "\n";
    }
    err().flush();
    std::fprintf(stdout, "RESTACK_SANDBOX_REGISTRY=%s\n", qPrintable(registry.host()));
    std::fflush(stdout);

    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    int exitCode = 0;

    if (!command.isEmpty()) {
        for (QString &arg : command)
            arg.replace(QLatin1String("{registry}"), registry.host());
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RESTACK_SANDBOX_REGISTRY"), registry.host());
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.setInputChannelMode(QProcess::ForwardedInputChannel);
        QObject::connect(&signalNotifier, &QSocketNotifier::activated, &child, [&] {
            char byte = 0;
            [[maybe_unused]] const ssize_t got = ::read(signalPipe[0], &byte, 1);
            child.terminate();
        });
        QObject::connect(&child, &QProcess::finished, &application, &QCoreApplication::quit);
        QObject::connect(&child, &QProcess::errorOccurred, &application, [&](QProcess::ProcessError processError) {
            if (processError == QProcess::FailedToStart)
                QCoreApplication::quit();
        });
        child.start(command.first(), command.mid(1));
        if (child.state() == QProcess::NotRunning && child.error() == QProcess::FailedToStart) {
            err() << "restack-sandbox: cannot run " << command.first() << ": " << child.errorString() << "\n";
            exitCode = 127;
        } else {
            QCoreApplication::exec();
            if (child.error() == QProcess::FailedToStart) {
                err() << "restack-sandbox: cannot run " << command.first() << ": " << child.errorString() << "\n";
                exitCode = 127;
            } else if (child.exitStatus() == QProcess::CrashExit) {
                exitCode = 128 + child.exitCode(); // the signal number, for a crash
            } else {
                exitCode = child.exitCode();
            }
        }
    } else {
        QObject::connect(&signalNotifier, &QSocketNotifier::activated, &application, [] {
            char byte = 0;
            [[maybe_unused]] const ssize_t got = ::read(signalPipe[0], &byte, 1);
            QCoreApplication::quit();
        });
        // Stop at end of input only when stdin is a pipe or terminal: under /dev/null (CI, nohup)
        // that would stop at once.
        struct stat info = {};
        std::unique_ptr<QSocketNotifier> stdinNotifier;
        if (::fstat(STDIN_FILENO, &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode) || ::isatty(STDIN_FILENO))) {
            stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
            QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &application, [&] {
                char buffer[4096];
                const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
                if (got <= 0) {
                    stdinNotifier->setEnabled(false);
                    QCoreApplication::quit();
                }
            });
        }
        err() << "restack-sandbox: running; stop with Ctrl-C" << (stdinNotifier ? " or end of input" : "") << "\n";
        err().flush();
        QCoreApplication::exec();
    }

    registry.stop();
    err() << "restack-sandbox: registry stopped\n";
    return exitCode;
}
