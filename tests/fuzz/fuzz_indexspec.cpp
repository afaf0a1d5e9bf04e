// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// manifest-tool YAML specs (`restack manifest create --from-spec`): Index::parseSpec on arbitrary bytes.
// yaml-cpp throws on malformed YAML and on conversions; parseSpec must turn every such exception into an
// error (an escaping exception aborts the fuzzer). Invariants of a parsed spec: the target has a tag and no
// digest, there is at least one entry, every reference is valid and round-trips, and the extra tags are
// valid, distinct and differ from the target's tag.

#include <cstddef>
#include <cstdint>

#include <QSet>

#include "fuzzsupport.h"
#include "index/indexrequest.h"

using Restack::Image::Reference;
using namespace Restack::Index;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml = RestackFuzz::bytes(data, size);
    const auto spec = parseSpec(yaml);
    if (!spec) {
        FUZZ_CHECK(!spec.error().message.isEmpty(), QString());
        return 0;
    }
    const QString target = spec->target.toString();
    FUZZ_CHECK(spec->target.isValid() && !spec->target.tag().isEmpty() && !spec->target.hasDigest(), target);
    FUZZ_CHECK(Reference::parse(target).ok() && *Reference::parse(target) == spec->target, target);
    FUZZ_CHECK(!spec->entries.isEmpty(), target);
    for (const IndexEntry &entry : spec->entries) {
        FUZZ_CHECK(entry.image.isValid(), entry.image.toString());
        const auto again = Reference::parse(entry.image.toString());
        FUZZ_CHECK(again.ok() && *again == entry.image, entry.image.toString());
        if (entry.platform)
            (void)entry.platform->toString(true);
    }
    QSet<QString> tags{spec->target.tag()};
    for (const QString &tag : spec->extraTags) {
        FUZZ_CHECK(!tags.contains(tag), QStringLiteral("tag \"%1\" repeated").arg(tag));
        tags.insert(tag);
        FUZZ_CHECK(spec->target.withTag(tag).tag() == tag && Reference::parse(spec->target.withTag(tag).toString()).ok(),
                   QStringLiteral("tag \"%1\" of %2").arg(tag, target));
    }
    return 0;
}
