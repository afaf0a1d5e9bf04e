// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Manifests and indexes as a registry sends them: Manifest::parse without a Content-Type and with each
// Content-Type a registry may send. Invariants of a parsed manifest:
//  - raw() is the input and digest() its sha256 (digest(Sha512) its sha512): what is pushed is what was read;
//  - media type, family and kind agree; an index has only manifests, an image manifest a config and layers;
//  - every descriptor has a valid digest, a non-negative size and a media type, and survives toJson();
//  - json() written out again (as a rebase does) parses to the same kind, config, layers and manifests.

#include <cstddef>
#include <cstdint>

#include <QCryptographicHash>
#include <QJsonDocument>

#include "fuzzsupport.h"
#include "image/manifest.h"

using namespace Restack::Image;

namespace
{
const QString contentTypes[] = {
    MediaType::OciManifest,
    MediaType::OciIndex,
    MediaType::DockerManifest,
    MediaType::DockerManifestList,
    MediaType::DockerSchema1Signed,
    QStringLiteral("application/vnd.oci.image.manifest.v1+json; charset=utf-8"),
    QStringLiteral("application/json"),
    QStringLiteral("text/plain"),
};

QString describe(const Descriptor &d)
{
    return QStringLiteral("%1 %2 %3").arg(d.mediaType, d.digest.toString()).arg(d.size);
}

void checkDescriptor(const Descriptor &d, const QString &where)
{
    FUZZ_CHECK(d.digest.isValid(), where + QLatin1Char(' ') + describe(d));
    FUZZ_CHECK(d.size >= 0, where + QLatin1Char(' ') + describe(d));
    FUZZ_CHECK(!d.mediaType.isEmpty(), where + QLatin1Char(' ') + describe(d));
    (void)d.isForeign();
    const auto again = Descriptor::fromJson(d.toJson(), where);
    FUZZ_CHECK(again.ok(), where + QStringLiteral(": toJson() does not read back: ")
                               + (again ? QString() : again.error().message));
    FUZZ_CHECK(again->mediaType == d.mediaType && again->digest == d.digest && again->size == d.size
                   && again->urls == d.urls && again->platform.has_value() == d.platform.has_value(),
               where + QStringLiteral(": ") + describe(d) + QStringLiteral(" reads back as ") + describe(*again));
}

bool sameDescriptors(const QList<Descriptor> &a, const QList<Descriptor> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].digest != b[i].digest || a[i].size != b[i].size)
            return false;
    }
    return true;
}

void checkManifest(const Manifest &m, const QByteArray &raw, const QString &contentType)
{
    const QString where = QStringLiteral("[content type \"%1\"]").arg(contentType);
    FUZZ_CHECK(m.raw() == raw, where);
    const QString sha256 = QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex());
    FUZZ_CHECK(m.digest().toString() == QStringLiteral("sha256:") + sha256,
               where + QStringLiteral(" digest %1, sha256 of the input %2").arg(m.digest().toString(), sha256));
    const QString sha512 = QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha512).toHex());
    FUZZ_CHECK(m.digest(Digest::Algorithm::Sha512).toString() == QStringLiteral("sha512:") + sha512, where);
    FUZZ_CHECK(m.digest(Digest::Algorithm::Sha256) == m.digest(), where);

    const Descriptor self = m.descriptor();
    FUZZ_CHECK(self.digest == m.digest() && self.size == raw.size() && self.mediaType == m.mediaType(), where);

    const auto family = MediaType::familyOf(m.mediaType());
    FUZZ_CHECK(family.has_value() && *family == m.family(), where + QLatin1Char(' ') + m.mediaType());
    FUZZ_CHECK(m.isIndex() == MediaType::isIndex(m.mediaType()), where + QLatin1Char(' ') + m.mediaType());
    FUZZ_CHECK(MediaType::isManifest(m.mediaType()), where + QLatin1Char(' ') + m.mediaType());
    if (m.isIndex()) {
        FUZZ_CHECK(m.layers().isEmpty() && !m.config().digest.isValid(), where);
        for (const Descriptor &d : m.manifests())
            checkDescriptor(d, where + QStringLiteral(" manifests[]"));
    } else {
        FUZZ_CHECK(m.manifests().isEmpty(), where);
        checkDescriptor(m.config(), where + QStringLiteral(" config"));
        for (const Descriptor &d : m.layers())
            checkDescriptor(d, where + QStringLiteral(" layers[]"));
        // Shown by `restack inspect` and the GUI: the sum must not overflow (each size is at most 9e15).
        FUZZ_CHECK(m.layersSize() >= 0, where + QStringLiteral(" layers size %1").arg(m.layersSize()));
    }
    (void)m.annotations();

    // A rebase edits json() and writes it out again: that must be a manifest of the same shape.
    const QByteArray rewritten = QJsonDocument(m.json()).toJson(QJsonDocument::Compact);
    const auto again = Manifest::parse(rewritten, contentType);
    FUZZ_CHECK(again.ok(), where + QStringLiteral(" json() written out does not parse: %1 (%2)")
                                       .arg(again ? QString() : again.error().message, QString::fromUtf8(rewritten)));
    FUZZ_CHECK(again->mediaType() == m.mediaType() && again->isIndex() == m.isIndex()
                   && again->config().digest == m.config().digest && sameDescriptors(again->layers(), m.layers())
                   && sameDescriptors(again->manifests(), m.manifests()),
               where + QStringLiteral(" json() written out reads differently: ") + QString::fromUtf8(rewritten));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw = RestackFuzz::bytes(data, size);

    const auto plain = Manifest::parse(raw);
    if (plain)
        checkManifest(*plain, raw, QString());
    else
        FUZZ_CHECK(!plain.error().message.isEmpty(), QString());

    for (const QString &contentType : contentTypes) {
        const auto typed = Manifest::parse(raw, contentType);
        if (typed)
            checkManifest(*typed, raw, contentType);
        // A mediaType field in the manifest wins over any Content-Type but schema 1's.
        if (plain && !plain->json().value(QLatin1String("mediaType")).toString().isEmpty()
            && !contentType.startsWith(MediaType::DockerSchema1Signed)) {
            FUZZ_CHECK(typed.ok() && typed->mediaType() == plain->mediaType(),
                       QStringLiteral("content type \"%1\" changes the result: %2")
                           .arg(contentType, typed ? typed->mediaType() : typed.error().message));
        }
    }
    return 0;
}
