// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Image configs (OCI image spec config.md; Docker's container.image.v1 has the same shape). Invariants of a
// parsed config:
//  - raw() is the input and digest() its sha256;
//  - every diff_id is a valid digest; the history counts agree;
//  - every accessor the planner and the CLI use answers without failing;
//  - json() written out again (as a rebase does after splicing diff_ids and history) parses to the same
//    diff_ids and history.

#include <cstddef>
#include <cstdint>

#include <QCryptographicHash>
#include <QJsonDocument>

#include "fuzzsupport.h"
#include "image/imageconfig.h"

using namespace Restack::Image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw = RestackFuzz::bytes(data, size);
    const auto config = ImageConfig::parse(raw);
    if (!config) {
        FUZZ_CHECK(!config.error().message.isEmpty(), QString());
        return 0;
    }

    FUZZ_CHECK(config->raw() == raw, QString());
    const QString sha256 = QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex());
    FUZZ_CHECK(config->digest().toString() == QStringLiteral("sha256:") + sha256, config->digest().toString());
    for (const Digest &d : config->diffIds())
        FUZZ_CHECK(d.isValid() && Digest::parse(d.toString()).ok(), d.toString());
    FUZZ_CHECK(config->nonEmptyHistoryCount() >= 0 && config->nonEmptyHistoryCount() <= config->history().size(),
               QString::number(config->nonEmptyHistoryCount()));
    for (const HistoryEntry &entry : config->history())
        FUZZ_CHECK(entry.sameStep(entry), entry.createdBy);

    const Platform platform = config->platform();
    (void)platform.toString(true);
    (void)platform.matches(platform);
    (void)config->created();
    (void)config->author();
    (void)config->entrypoint();
    (void)config->cmd();
    (void)config->env();
    (void)config->labels();

    const QByteArray rewritten = QJsonDocument(config->json()).toJson(QJsonDocument::Compact);
    const auto again = ImageConfig::parse(rewritten);
    FUZZ_CHECK(again.ok(), QStringLiteral("json() written out does not parse: %1 (%2)")
                               .arg(again ? QString() : again.error().message, QString::fromUtf8(rewritten)));
    FUZZ_CHECK(again->diffIds() == config->diffIds() && again->history().size() == config->history().size()
                   && again->nonEmptyHistoryCount() == config->nonEmptyHistoryCount(),
               QStringLiteral("json() written out reads differently: ") + QString::fromUtf8(rewritten));
    return 0;
}
