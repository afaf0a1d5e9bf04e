// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credtest.h"

#include <QFile>

#include "tools.h"

namespace Restack::Test
{

QProcessEnvironment credentialsEnvironment()
{
    QProcessEnvironment environment = toolEnvironment();
    environment.insert(QStringLiteral("PATH"),
                       QStringLiteral(RESTACK_HELPER_DIR) + QLatin1Char(':') + environment.value(QStringLiteral("PATH")));
    environment.remove(QStringLiteral("DOCKER_CONFIG"));
    environment.remove(QStringLiteral("REGISTRY_AUTH_FILE"));
    return environment;
}

CliRun runRestackWith(const QStringList &arguments, const QByteArray &input)
{
    return runRestackWith(arguments, input, credentialsEnvironment());
}

Result<void> buildBasesAndApp(ImageFactory &factory)
{
    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("VERSION=1\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("VERSION=2\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\necho app\n")}}, QStringLiteral("COPY run /app/"));
    for (const auto &[tag, spec] : {std::pair{QStringLiteral("base1"), base1}, std::pair{QStringLiteral("base2"), base2},
                                    std::pair{QStringLiteral("app"), app}}) {
        if (auto built = factory.build(tag, spec); !built.ok())
            return built.error();
    }
    return {};
}

} // namespace Restack::Test
