// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Image references: Reference::parse, parseRepository and parseRegistry on arbitrary text (the input as
// UTF-8), and the invariants the CLI and the planner rely on:
//  - whatever parses is valid and parses again from toString() to an equal reference (round trip);
//  - parseRepository accepts exactly the parse results without tag and digest;
//  - parseRegistry is idempotent, and a registry it accepts names the registry of "REGISTRY/x".

#include <cstddef>
#include <cstdint>

#include "fuzzsupport.h"
#include "image/reference.h"

using Restack::Image::Reference;

namespace
{
QString show(const Reference &ref)
{
    return QStringLiteral("registry=\"%1\" repository=\"%2\" tag=\"%3\" digest=\"%4\"")
        .arg(ref.registry(), ref.repository(), ref.tag(), ref.digest().toString());
}

bool looksLikeRegistry(const QString &host)
{
    return host.contains(QLatin1Char('.')) || host.contains(QLatin1Char(':')) || host == QLatin1String("localhost")
        || host.startsWith(QLatin1Char('['));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(RestackFuzz::bytes(data, size));

    const auto ref = Reference::parse(text);
    if (ref) {
        FUZZ_CHECK(ref->isValid(), show(*ref));
        FUZZ_CHECK(!ref->registry().isEmpty(), show(*ref));
        FUZZ_CHECK(!ref->identifier().isEmpty(), show(*ref));
        FUZZ_CHECK(!ref->apiHost().isEmpty(), show(*ref));
        (void)ref->isLoopback();
        (void)ref->digest().shortString();

        const QString printed = ref->toString();
        const auto again = Reference::parse(printed);
        FUZZ_CHECK(again.ok(), QStringLiteral("\"%1\" parsed as %2, printed as \"%3\", which fails: %4")
                                   .arg(text, show(*ref), printed, again ? QString() : again.error().message));
        FUZZ_CHECK(*again == *ref, QStringLiteral("\"%1\" parsed as %2, but \"%3\" as %4")
                                       .arg(text, show(*ref), printed, show(*again)));
        FUZZ_CHECK(again->toString() == printed, QStringLiteral("\"%1\" printed as \"%2\", then as \"%3\"")
                                                     .arg(text, printed, again->toString()));

        const auto repository = Reference::parseRepository(ref->repositoryOnly().toString());
        FUZZ_CHECK(repository.ok() && *repository == ref->repositoryOnly(),
                   QStringLiteral("repository of \"%1\" (%2) does not parse back").arg(text, show(ref->repositoryOnly())));
    } else {
        FUZZ_CHECK(!ref.error().message.isEmpty(), QStringLiteral("no message for \"%1\"").arg(text));
    }

    const auto repository = Reference::parseRepository(text);
    const bool plain = ref && ref->tag().isEmpty() && !ref->hasDigest();
    FUZZ_CHECK(repository.ok() == plain, QStringLiteral("parseRepository(\"%1\") %2 but parse() gave %3")
                                             .arg(text, repository ? QStringLiteral("succeeded") : QStringLiteral("failed"),
                                                  ref ? show(*ref) : ref.error().message));
    if (repository)
        FUZZ_CHECK(*repository == *ref, show(*repository));

    const auto registry = Reference::parseRegistry(text);
    if (registry) {
        FUZZ_CHECK(!registry->isEmpty(), text);
        const auto twice = Reference::parseRegistry(*registry);
        FUZZ_CHECK(twice.ok() && *twice == *registry, QStringLiteral("parseRegistry(\"%1\") = \"%2\", then %3")
                                                          .arg(text, *registry, twice ? *twice : twice.error().message));
        if (looksLikeRegistry(*registry) && registry->size() < 200) {
            const auto inRegistry = Reference::parse(*registry + QStringLiteral("/x"));
            FUZZ_CHECK(inRegistry.ok() && inRegistry->registry() == *registry,
                       QStringLiteral("registry \"%1\" (from \"%2\"): \"%1/x\" gives %3")
                           .arg(*registry, text, inRegistry ? show(*inRegistry) : inRegistry.error().message));
        }
    }
    return 0;
}
