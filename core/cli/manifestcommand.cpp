// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/manifestcommand.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include "rebase/basefinder.h"
#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Cli
{

using Image::Reference;

QString ManifestCommand::summary() const
{
    return QStringLiteral("Assemble a multi-platform index (manifest list) from images and push it.\n"
                          "  restack manifest create TARGET IMAGE[,platform=OS/ARCH[/VARIANT]][,os.version=V]...\n"
                          "  restack manifest push from-spec SPEC.yaml   (manifest-tool's YAML spec)");
}

void ManifestCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("create|push"), QStringLiteral("create TARGET IMAGE... | push from-spec SPEC.yaml"));
    parser.addPositionalArgument(QStringLiteral("ARGUMENTS"), QStringLiteral("TARGET and images, or from-spec and the spec file."),
                                 QStringLiteral("ARGUMENTS..."));
    parser.addOption({QStringLiteral("tag"), QStringLiteral("Also push the index under this tag of TARGET's repository: a tag name such as "
                                                                "'latest', not a reference (repeatable)."), QStringLiteral("TAG")});
    parser.addOption({QStringLiteral("type"), QStringLiteral("oci (OCI image index) or docker (Docker manifest list); "
                                                             "default: the images' own format."),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the index and what would be copied; write nothing.")});
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void ManifestCommand::execute(const QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments();
    if (!readOutputOption(parser))
        return;
    Index::IndexRequest request;
    if (args.value(0) == QLatin1String("create")) {
        if (args.size() < 3)
            return usageError(QStringLiteral("manifest create needs TARGET and at least one IMAGE"));
        auto target = Reference::parse(args.at(1));
        if (!target)
            return fail(Error(target.error()).prefixed(QStringLiteral("TARGET")));
        request.target = target.value();
        for (const QString &argument : args.mid(2)) {
            auto entry = Index::parseEntry(argument);
            if (!entry)
                return fail(entry.error());
            request.entries << entry.value();
        }
    } else if (args.value(0) == QLatin1String("push")) {
        if (args.size() != 3 || args.at(1) != QLatin1String("from-spec"))
            return usageError(QStringLiteral("usage: restack manifest push from-spec SPEC.yaml"));
        QFile file(args.at(2));
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::make(Error::Kind::InvalidInput,
                                    QStringLiteral("cannot read the spec %1: %2").arg(args.at(2), file.errorString())));
        auto spec = Index::parseSpec(file.readAll());
        if (!spec)
            return fail(Error(spec.error()).prefixed(args.at(2)));
        request = spec.value();
    } else {
        return usageError(QStringLiteral("expected create or push, e.g. restack manifest create TARGET IMAGE..."));
    }
    if (request.target.tag().isEmpty() || request.target.hasDigest())
        return usageError(QStringLiteral("the target must be REPOSITORY:TAG, got %1").arg(request.target.toString()));
    for (const QString &tag : parser.values(QStringLiteral("tag"))) {
        if (!Reference::parse(request.target.repositoryOnly().toString() + QLatin1Char(':') + tag))
            return usageError(QStringLiteral("invalid --tag \"%1\": it takes a tag name of %2 (e.g. --tag latest), not a "
                                             "reference")
                                  .arg(tag, request.target.repositoryOnly().toString()));
        if (!request.extraTags.contains(tag) && tag != request.target.tag())
            request.extraTags << tag;
    }
    if (parser.isSet(QStringLiteral("type"))) {
        const QString type = parser.value(QStringLiteral("type"));
        if (type == QLatin1String("oci"))
            request.type = Image::MediaType::Family::Oci;
        else if (type == QLatin1String("docker"))
            request.type = Image::MediaType::Family::Docker;
        else
            return usageError(QStringLiteral("--type must be oci or docker, not \"%1\"").arg(type));
    }
    request.dryRun = parser.isSet(QStringLiteral("dry-run"));
    run(request, parser);
}

void ManifestCommand::run(Index::IndexRequest request, const QCommandLineParser &parser)
{
    QStringList registries{request.target.registry()};
    for (const Index::IndexEntry &entry : std::as_const(request.entries))
        registries << entry.image.registry();
    registries.removeDuplicates();
    if (!setUpClient(parser, registries, request.target.registry()))
        return;
    m_operation = new Index::IndexOperation(client(), request, this);
    connect(m_operation, &Index::IndexOperation::statusChanged, this, [this] { progress(m_operation->status()); });
    connect(m_operation, &Index::IndexOperation::finished, this, [this] {
        const auto &result = m_operation->result();
        if (!result.ok())
            return fail(result.error());
        if (jsonOutput())
            out() << QJsonDocument(jsonReport(result.value())).toJson(QJsonDocument::Indented);
        else
            out() << textReport(result.value());
        done(Success);
    });
    m_operation->start();
}

QString ManifestCommand::textReport(const Index::IndexOutcome &outcome)
{
    QString text;
    text += QStringLiteral("%1 of %2:\n").arg(outcome.mediaType == Image::MediaType::OciIndex ? QStringLiteral("OCI image index")
                                                                                              : QStringLiteral("Docker manifest list"),
                                              counted(outcome.children.size(), QStringLiteral("image")));
    text += QStringLiteral("  %1%2%3%4\n")
                .arg(padded(QStringLiteral("PLATFORM"), 32), padded(QStringLiteral("DIGEST"), 21), padded(QStringLiteral("SIZE"), 11),
                     QStringLiteral("FROM"));
    for (const Index::IndexChild &child : outcome.children) {
        int moved = 0;
        for (const Registry::BlobItem &blob : child.blobs)
            moved += blob.action == Registry::BlobAction::Mount || blob.action == Registry::BlobAction::Copy;
        QString from = child.image.reference.toString();
        if (!child.blobs.isEmpty())
            from += QStringLiteral(" (%1 %2 into %3)")
                        .arg(counted(moved, QStringLiteral("blob")), outcome.dryRun ? QStringLiteral("to bring") : QStringLiteral("brought"),
                             outcome.target.name());
        text += QStringLiteral("  %1%2%3%4\n")
                    .arg(padded(child.descriptor.platform->toString(true), 32), padded(child.descriptor.digest.shortString(), 21),
                         padded(humanSize(child.image.manifest.layersSize()), 11), from);
    }
    const QStringList extra = outcome.tags.mid(1);
    if (!extra.isEmpty())
        text += QStringLiteral("\n%1 also under %2\n")
                    .arg(outcome.dryRun ? QStringLiteral("Would be tagged") : QStringLiteral("Tagged"), extra.join(QStringLiteral(", ")));
    text += QStringLiteral("\n%1 %2@%3\n")
                .arg(outcome.dryRun ? QStringLiteral("Would push") : QStringLiteral("Pushed"), outcome.target.toString(),
                     outcome.digest.toString());
    return text;
}

QJsonObject ManifestCommand::jsonReport(const Index::IndexOutcome &outcome)
{
    QJsonObject o;
    o.insert(QLatin1String("target"), outcome.target.toString());
    o.insert(QLatin1String("tags"), QJsonArray::fromStringList(outcome.tags));
    o.insert(QLatin1String("digest"), outcome.digest.toString());
    o.insert(QLatin1String("mediaType"), outcome.mediaType);
    o.insert(QLatin1String("dryRun"), outcome.dryRun);
    QJsonArray children;
    for (const Index::IndexChild &child : outcome.children) {
        QJsonObject c = child.descriptor.toJson();
        c.insert(QLatin1String("source"), child.image.reference.toString());
        QJsonArray blobs;
        for (const Registry::BlobItem &blob : child.blobs)
            blobs.append(QJsonObject{{QLatin1String("digest"), blob.blob.digest.toString()},
                                     {QLatin1String("action"), Registry::blobActionName(blob.action)}});
        c.insert(QLatin1String("blobs"), blobs);
        children.append(c);
    }
    o.insert(QLatin1String("manifests"), children);
    o.insert(QLatin1String("index"), QJsonDocument::fromJson(outcome.index).object());
    return o;
}

// --- find-base -----------------------------------------------------------------------------------

QString FindBaseCommand::summary() const
{
    return QStringLiteral("List the images of a repository that IMAGE may have been built on (by os.version tag and diff_ids).");
}

void FindBaseCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("The image whose base to find."));
    parser.addOption({QStringLiteral("in"), QStringLiteral("The repository to search, e.g. registry.example/base."),
                      QStringLiteral("REPOSITORY")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("Examine at most N tags (default 100)."), QStringLiteral("N"),
                      QStringLiteral("100")});
    parser.addOption({QStringLiteral("platform"), QStringLiteral("For a multi-platform IMAGE: the platform to look at."),
                      QStringLiteral("OS/ARCH[/VARIANT]")});
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void FindBaseCommand::execute(const QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.size() != 1)
        return usageError(QStringLiteral("expected one IMAGE"));
    if (!parser.isSet(QStringLiteral("in")))
        return usageError(QStringLiteral("missing --in REPOSITORY"));
    if (!readOutputOption(parser))
        return;
    auto image = Reference::parse(args.first());
    if (!image)
        return fail(image.error());
    auto repository = Reference::parseRepository(parser.value(QStringLiteral("in")));
    if (!repository)
        return fail(Error(repository.error()).prefixed(QStringLiteral("--in")));
    bool ok = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit <= 0 || limit > 100000)
        return usageError(QStringLiteral("--limit needs a number from 1 to 100000"));
    std::optional<Image::Platform> platform;
    if (parser.isSet(QStringLiteral("platform"))) {
        auto p = Image::Platform::parse(parser.value(QStringLiteral("platform")));
        if (!p)
            return fail(p.error());
        platform = p.value();
    }
    if (!setUpClient(parser, {image->registry(), repository->registry()}, image->registry()))
        return;
    const Reference in = repository.value();
    Rebase::resolveImage(client(), image.value(), platform, this, [this, in, limit](Result<Rebase::ImageData> source) {
        if (!source.ok())
            return fail(source.error());
        progress(QStringLiteral("looking in %1 for the base of %2 (%3, %4)")
                     .arg(in.name(), source->reference.toString(), source->config.platform().toString(true),
                          counted(source->config.diffIds().size(), QStringLiteral("layer"))));
        auto *finder = new Rebase::BaseFinder(client(), source.value(), in, limit,
                                              [this, source = source.value()](Result<QList<Rebase::BaseCandidate>> found) {
            if (!found.ok())
                return fail(found.error());
            if (jsonOutput()) {
                QJsonArray list;
                for (const Rebase::BaseCandidate &c : found.value()) {
                    QJsonObject o;
                    o.insert(QLatin1String("reference"), c.image.reference.toString());
                    o.insert(QLatin1String("digest"), c.image.manifest.digest().toString());
                    o.insert(QLatin1String("tags"), QJsonArray::fromStringList(c.tags));
                    o.insert(QLatin1String("matchedLayers"), c.matchedLayers);
                    o.insert(QLatin1String("osVersionTag"), c.osVersionTag);
                    list.append(o);
                }
                out() << QJsonDocument(QJsonObject{{QLatin1String("image"), source.reference.toString()},
                                                   {QLatin1String("candidates"), list}})
                             .toJson(QJsonDocument::Indented);
                return done(Success);
            }
            if (found->isEmpty()) {
                out() << "No image examined has layers that begin " << source.reference.toString() << "'s.\n";
                return done(Failure);
            }
            out() << padded(QStringLiteral("LAYERS"), 8) << padded(QStringLiteral("DIGEST"), 21) << "TAGS\n";
            for (const Rebase::BaseCandidate &c : found.value()) {
                out() << padded(QStringLiteral("%1/%2").arg(c.matchedLayers).arg(source.config.diffIds().size()), 8)
                      << padded(c.image.manifest.digest().shortString(), 21) << c.tags.join(QStringLiteral(", "))
                      << (c.osVersionTag ? QStringLiteral("  (os.version tag)") : QString()) << '\n';
            }
            const Rebase::BaseCandidate &best = found->first();
            out() << "\nBest: " << best.image.pinned().toString() << "\n";
            done(Success);
        }, this);
        finder->setProgress([this](int examined, int total) {
            progress(QStringLiteral("%1 of %2 tags examined").arg(examined).arg(total));
        });
        finder->start();
    });
}

void ManifestCommand::cancel()
{
    if (m_operation)
        return m_operation->cancel();
    Command::cancel();
}

} // namespace Restack::Cli
