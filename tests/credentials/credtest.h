// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>
#include <optional>

#include "clitest.h"
#include "common/result.h"
#include "imagefactory.h"

namespace Restack::Test
{

/**
 * The environment for a restack run in the credentials tests: the test tools' environment with
 * docker-credential-restacktest's directory first on PATH and no DOCKER_CONFIG or
 * REGISTRY_AUTH_FILE (those are added by the test when wanted).
 */
QProcessEnvironment credentialsEnvironment();

/** Runs the built restack with @p arguments, @p input on standard input and credentialsEnvironment(). */
CliRun runRestackWith(const QStringList &arguments, const QByteArray &input);

/**
 * Starts an asynchronous call with (context, callback) and waits for its result, processing events,
 * at most @p timeoutMs milliseconds (then an Error of Kind::Timeout).
 */
template<typename T>
Result<T> waitFor(QObject *context, const std::function<void(QObject *, Callback<T>)> &start, int timeoutMs = 30000)
{
    std::optional<Result<T>> outcome;
    start(context, [&outcome](Result<T> r) { outcome = std::move(r); });
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, timeoutMs))
        return Error::make(Error::Kind::Timeout, QStringLiteral("no answer within %1 ms").arg(timeoutMs));
    return *outcome;
}

/**
 * Builds the images the credentials tests rebase: "base1" and "base2" (one layer each, with
 * different /etc/os-release) and "app" (base1 plus /app/run).
 */
Result<void> buildBasesAndApp(ImageFactory &factory);

} // namespace Restack::Test
