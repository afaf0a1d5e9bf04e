// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/rebasecommand.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include "registry/client.h"

namespace Restack::Cli
{

using Image::Reference;
using Rebase::Origin;
using Rebase::StackLayer;

QString RebaseCommand::summary() const
{
    return QStringLiteral("Rebase an image onto a new base inside the registry and push it under a target tag.\n"
                          "Only the manifest and config are rewritten; layers are mounted, never rebuilt.");
}

void RebaseCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("SOURCE"),
                                 QStringLiteral("The image(s) to rebase, e.g. registry.example/app:1.0; with --tags, a "
                                                "repository."),
                                 QStringLiteral("SOURCE..."));
    parser.addOption({{QStringLiteral("b"), QStringLiteral("base")}, QStringLiteral("The new base image."),
                      QStringLiteral("NEW_BASE")});
    parser.addOption({QStringLiteral("old-base"),
                      QStringLiteral("The base the source was built on (default: from the source's "
                                     "org.opencontainers.image.base.* annotations, else the new base's repository is "
                                     "searched: the tag named like the source's os.version, then images whose layers "
                                     "begin the source's)."),
                      QStringLiteral("OLD_BASE")});
    parser.addOption({{QStringLiteral("t"), QStringLiteral("tag")},
                      QStringLiteral("Where to push the result: REPOSITORY:TAG. With several sources, a pattern in which "
                                     "{registry}, {repository} and {tag} stand for each source's, e.g. "
                                     "'{registry}/{repository}:{tag}-patched'."),
                      QStringLiteral("TARGET")});
    parser.addOption({QStringLiteral("from-file"), QStringLiteral("Also rebase the images listed in FILE, one per line "
                                                                  "(# starts a comment)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("tags"),
                      QStringLiteral("Rebase every tag of the SOURCE repository that matches REGEX (e.g. '^1\\.2\\.')."),
                      QStringLiteral("REGEX")});
    parser.addOption({{QStringLiteral("j"), QStringLiteral("jobs")}, QStringLiteral("Rebases run at once in a batch (default 4)."),
                      QStringLiteral("N"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the whole plan and write nothing to any registry.")});
    parser.addOption({QStringLiteral("platform"),
                      QStringLiteral("For a multi-platform source: rebase only this platform (repeatable); the result "
                                     "is an index of the chosen platforms."),
                      QStringLiteral("OS/ARCH[/VARIANT]")});
    parser.addOption({QStringLiteral("replace-index"),
                      QStringLiteral("Allow a single-platform result to replace a multi-platform index at TARGET.")});
    parser.addOption({QStringLiteral("search-limit"),
                      QStringLiteral("When looking for the old base, examine at most N tags (default 100)."),
                      QStringLiteral("N"), QStringLiteral("100")});
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void RebaseCommand::execute(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    const bool fromFile = parser.isSet(QStringLiteral("from-file"));
    const bool byTags = parser.isSet(QStringLiteral("tags"));
    if (positional.isEmpty() && !fromFile)
        return usageError(QStringLiteral("missing SOURCE image"));
    if (byTags && positional.size() != 1)
        return usageError(QStringLiteral("--tags takes exactly one SOURCE repository"));
    if (!parser.isSet(QStringLiteral("base")))
        return usageError(QStringLiteral("missing --base NEW_BASE"));
    if (!parser.isSet(QStringLiteral("tag")))
        return usageError(QStringLiteral("missing --tag TARGET"));
    if (!readOutputOption(parser))
        return;

    Rebase::RebaseRequest request;
    auto parse = [this](const QString &text, const QString &role, Reference *into) {
        auto ref = Reference::parse(text);
        if (!ref) {
            Error e = ref.error();
            fail(e.prefixed(role));
            return false;
        }
        *into = ref.value();
        return true;
    };
    if (!parse(parser.value(QStringLiteral("base")), QStringLiteral("--base"), &request.newBase))
        return;
    if (parser.isSet(QStringLiteral("old-base"))) {
        Reference old;
        if (!parse(parser.value(QStringLiteral("old-base")), QStringLiteral("--old-base"), &old))
            return;
        request.oldBase = old;
    }
    request.dryRun = parser.isSet(QStringLiteral("dry-run"));
    request.replaceIndex = parser.isSet(QStringLiteral("replace-index"));
    for (const QString &text : parser.values(QStringLiteral("platform"))) {
        auto platform = Image::Platform::parse(text);
        if (!platform)
            return fail(platform.error());
        request.platforms << platform.value();
    }
    bool limitOk = false;
    request.searchLimit = parser.value(QStringLiteral("search-limit")).toInt(&limitOk);
    if (!limitOk || request.searchLimit <= 0 || request.searchLimit > 100000)
        return usageError(QStringLiteral("--search-limit needs a number from 1 to 100000"));

    // Sources: the arguments, the file's lines, or a repository's matching tags.
    QList<Reference> sources;
    std::optional<Reference> tagsOf;
    if (byTags) {
        auto repository = Reference::parseRepository(positional.first());
        if (!repository)
            return fail(Error(repository.error()).prefixed(QStringLiteral("SOURCE")));
        tagsOf = repository.value();
    } else {
        for (const QString &text : positional) {
            Reference source;
            if (!parse(text, QStringLiteral("SOURCE"), &source))
                return;
            sources << source;
        }
    }
    if (fromFile) {
        QFile file(parser.value(QStringLiteral("from-file")));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return fail(Error::make(Error::Kind::InvalidInput, QStringLiteral("cannot read %1: %2")
                                                                   .arg(file.fileName(), file.errorString())));
        int number = 0;
        while (!file.atEnd()) {
            ++number;
            const QString line = QString::fromUtf8(file.readLine()).section(QLatin1Char('#'), 0, 0).trimmed();
            if (line.isEmpty())
                continue;
            Reference source;
            if (!parse(line, QStringLiteral("%1:%2").arg(file.fileName()).arg(number), &source))
                return;
            sources << source;
        }
    }
    // The same image named twice (on the command line and in the file, say) is rebased once.
    QList<Reference> unique;
    for (const Reference &source : std::as_const(sources)) {
        if (unique.contains(source))
            progress(QStringLiteral("%1 is listed more than once: rebased once").arg(source.toString()));
        else
            unique << source;
    }
    sources = unique;
    bool jobsOk = false;
    const int jobs = parser.value(QStringLiteral("jobs")).toInt(&jobsOk);
    if (!jobsOk || jobs <= 0 || jobs > 64)
        return usageError(QStringLiteral("--jobs needs a number from 1 to 64"));
    const bool batch = tagsOf || sources.size() != 1;
    if (batch)
        return runBatch(parser, request, sources, tagsOf, jobs);

    request.source = sources.first();
    const QString tag = parser.value(QStringLiteral("tag"));
    if (Rebase::TargetTemplate::isPattern(tag)) {
        // The same pattern a batch takes also works for one source (CI scripts with one or many images).
        auto pattern = Rebase::TargetTemplate::parse(tag, false);
        if (!pattern)
            return fail(Error(pattern.error()).prefixed(QStringLiteral("--tag")));
        auto target = pattern->targetFor(request.source);
        if (!target)
            return fail(Error(target.error()).prefixed(QStringLiteral("--tag")));
        request.target = target.value();
    } else if (!parse(tag, QStringLiteral("--tag"), &request.target)) {
        return;
    }
    if (request.target.tag().isEmpty() || request.target.hasDigest())
        return usageError(QStringLiteral("--tag needs REPOSITORY:TAG (a tag, no digest), got \"%1\"")
                              .arg(parser.value(QStringLiteral("tag"))));

    QStringList registries{request.source.registry(), request.newBase.registry(), request.target.registry()};
    if (request.oldBase)
        registries << request.oldBase->registry();
    registries.removeDuplicates();
    if (!setUpClient(parser, registries, request.target.registry()))
        return;

    m_operation = new Rebase::RebaseOperation(client(), request, this);
    connect(m_operation, &Rebase::RebaseOperation::progressChanged, this, [this] {
        const Rebase::Progress &p = m_operation->progress();
        if (p.phase != Rebase::Progress::Phase::Done)
            progress(p.message);
    });
    connect(m_operation, &Rebase::RebaseOperation::finished, this, [this] {
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

void RebaseCommand::cancel()
{
    if (m_operation)
        return m_operation->cancel();
    if (m_batch)
        return m_batch->cancel();
    Command::cancel();
}

void RebaseCommand::runBatch(const QCommandLineParser &parser, const Rebase::RebaseRequest &common,
                             const QList<Reference> &sources, const std::optional<Reference> &tagsOf, int jobs)
{
    auto target = Rebase::TargetTemplate::parse(parser.value(QStringLiteral("tag")));
    if (!target)
        return fail(target.error());
    Rebase::BatchRequest request;
    request.sources = sources;
    request.tagsOf = tagsOf;
    if (tagsOf) {
        request.tagPattern = QRegularExpression(parser.value(QStringLiteral("tags")));
        if (!request.tagPattern.isValid())
            return usageError(QStringLiteral("--tags: invalid regular expression: %1").arg(request.tagPattern.errorString()));
    }
    request.target = target.value();
    request.common = common;
    request.jobs = jobs;

    QStringList registries{common.newBase.registry()};
    if (common.oldBase)
        registries << common.oldBase->registry();
    for (const Reference &source : sources)
        registries << source.registry();
    if (tagsOf)
        registries << tagsOf->registry();
    registries.removeDuplicates();
    if (!setUpClient(parser, registries, registries.value(1, registries.first())))
        return;

    m_batch = new Rebase::BatchRebase(client(), request, this);
    connect(m_batch, &Rebase::BatchRebase::itemFinished, this, [this](int index) {
        const Rebase::BatchItem &item = m_batch->items().at(index);
        const int done = m_batch->succeeded() + m_batch->failed();
        if (item.result->ok())
            progress(QStringLiteral("[%1/%2] %3 -> %4@%5")
                         .arg(done)
                         .arg(m_batch->items().size())
                         .arg(item.source.toString(), item.target.toString(), item.result->value().digest.shortString()));
        else
            progress(QStringLiteral("[%1/%2] %3 failed: %4")
                         .arg(done)
                         .arg(m_batch->items().size())
                         .arg(item.source.toString(), item.result->error().toString()));
    });
    connect(m_batch, &Rebase::BatchRebase::finished, this, [this, dryRun = common.dryRun] {
        if (m_batch->error())
            return fail(*m_batch->error());
        if (m_batch->items().isEmpty())
            return fail(Error::make(Error::Kind::InvalidInput, QStringLiteral("no image to rebase: no tag matched")));
        if (jsonOutput()) {
            QJsonArray results;
            for (const Rebase::BatchItem &item : m_batch->items()) {
                QJsonObject o;
                o.insert(QLatin1String("source"), item.source.toString());
                o.insert(QLatin1String("target"), item.target.toString());
                if (!item.result) {
                    o.insert(QLatin1String("status"), QStringLiteral("not run"));
                } else if (item.result->ok()) {
                    o.insert(QLatin1String("status"), QStringLiteral("ok"));
                    o.insert(QLatin1String("digest"), item.result->value().digest.toString());
                } else {
                    o.insert(QLatin1String("status"), QStringLiteral("failed"));
                    o.insert(QLatin1String("error"), item.result->error().toString());
                    o.insert(QLatin1String("errorKind"), Error::kindName(item.result->error().kind));
                }
                results.append(o);
            }
            out() << QJsonDocument(QJsonObject{{QLatin1String("results"), results},
                                               {QLatin1String("dryRun"), dryRun},
                                               {QLatin1String("succeeded"), m_batch->succeeded()},
                                               {QLatin1String("failed"), m_batch->failed()}})
                         .toJson(QJsonDocument::Indented);
        } else {
            for (const Rebase::BatchItem &item : m_batch->items()) {
                if (item.result && item.result->ok())
                    out() << "OK      " << item.source.toString() << " -> " << item.target.toString() << '@'
                          << item.result->value().digest.toString() << '\n';
                else
                    out() << "FAILED  " << item.source.toString() << ": "
                          << (item.result ? item.result->error().toString() : QStringLiteral("not run")) << '\n';
            }
            out() << '\n' << counted(m_batch->succeeded(), QStringLiteral("image"))
                  << (dryRun ? " would be rebased" : " rebased") << ", " << m_batch->failed() << " failed.\n";
        }
        done(m_batch->failed() == 0 ? Success : Failure);
    });
    m_batch->start();
}

namespace
{

QString rightTrimmed(QString text)
{
    while (text.endsWith(QLatin1Char(' ')))
        text.chop(1);
    return text;
}

QString layerCells(const StackLayer *layer)
{
    if (!layer)
        return padded(QString(), 3 + 2 + 19 + 2 + 10 + 2 + 8);
    return padded(QString::number(layer->index), 3) + QStringLiteral("  ") + padded(layer->descriptor.digest.shortString(), 19)
        + QStringLiteral("  ") + padded(humanSize(layer->descriptor.size), 10) + QStringLiteral("  ")
        + padded(Rebase::originName(layer->origin), 8);
}

QString imageLine(const QString &label, const Rebase::ImageData &image)
{
    return padded(label, 10) + image.reference.toString() + QStringLiteral("  (") + image.manifest.digest().shortString()
        + QStringLiteral(", ") + image.config.platform().toString(true) + QStringLiteral(", ")
        + counted(image.manifest.layers().size(), QStringLiteral("layer")) + QStringLiteral(")\n");
}

QJsonObject layerJson(const StackLayer &layer)
{
    QJsonObject o;
    o.insert(QLatin1String("index"), layer.index);
    o.insert(QLatin1String("digest"), layer.descriptor.digest.toString());
    o.insert(QLatin1String("size"), layer.descriptor.size);
    o.insert(QLatin1String("mediaType"), layer.descriptor.mediaType);
    o.insert(QLatin1String("diffId"), layer.diffId.toString());
    o.insert(QLatin1String("origin"), Rebase::originName(layer.origin));
    if (!layer.createdBy.isEmpty())
        o.insert(QLatin1String("createdBy"), layer.createdBy);
    if (!layer.descriptor.urls.isEmpty())
        o.insert(QLatin1String("urls"), QJsonArray::fromStringList(layer.descriptor.urls));
    return o;
}

QJsonObject imageJson(const Rebase::ImageData &image)
{
    QJsonObject o;
    o.insert(QLatin1String("reference"), image.reference.toString());
    o.insert(QLatin1String("digest"), image.manifest.digest().toString());
    o.insert(QLatin1String("mediaType"), image.manifest.mediaType());
    o.insert(QLatin1String("platform"), image.config.platform().toString());
    if (!image.config.platform().osVersion.isEmpty())
        o.insert(QLatin1String("osVersion"), image.config.platform().osVersion);
    if (image.indexDigest.isValid())
        o.insert(QLatin1String("indexDigest"), image.indexDigest.toString());
    return o;
}

} // namespace

namespace
{

QString stepLine(const Rebase::BlobStep &step)
{
    const QString what = step.isConfig ? QStringLiteral("config") : QStringLiteral("layer (%1)").arg(Rebase::originName(step.origin));
    QString how = Rebase::blobActionName(step.action);
    if (step.action == Rebase::BlobAction::Mount || step.action == Rebase::BlobAction::Copy)
        how += QStringLiteral(" from ") + step.from.name();
    else if (step.action == Rebase::BlobAction::Present)
        how = QStringLiteral("already present");
    else if (step.action == Rebase::BlobAction::External)
        how = QStringLiteral("external (foreign layer, not touched)");
    return QStringLiteral("  %1  %2  %3  %4\n")
        .arg(padded(step.blob.digest.shortString(), 19), padded(humanSize(step.blob.size), 10), padded(what, 18), how);
}

/** One platform: the images, both stacks side by side, totals, notes and blob operations. */
QString platformReport(const Rebase::PlatformResult &result, const Reference &target, bool dryRun, bool inIndex)
{
    const Rebase::Plan &plan = result.plan;
    QString text;
    text += imageLine(QStringLiteral("Source"), plan.source);
    QString oldBase = imageLine(QStringLiteral("Old base"), plan.oldBase);
    if (result.oldBaseSource != Rebase::OldBaseSource::Given)
        oldBase.insert(oldBase.size() - 1, QStringLiteral(" [from %1]").arg(Rebase::oldBaseSourceName(result.oldBaseSource)));
    text += oldBase;
    text += imageLine(QStringLiteral("New base"), plan.newBase);
    text += padded(QStringLiteral("Target"), 10) + target.toString()
        + (inIndex ? QStringLiteral(" (this platform: %1)").arg(result.digest.toString()) : QString()) + QLatin1Char('\n');
    text += QLatin1Char('\n');

    const QString gap = QStringLiteral("   ");
    const int half = 3 + 2 + 19 + 2 + 10 + 2 + 8;
    text += padded(QStringLiteral("OLD STACK (") + plan.source.reference.toString() + QLatin1Char(')'), half) + gap
        + QStringLiteral("   ") + gap + QStringLiteral("NEW STACK (") + target.toString() + QStringLiteral(")\n");
    const QString header = padded(QStringLiteral("#"), 3) + QStringLiteral("  ") + padded(QStringLiteral("DIGEST"), 19)
        + QStringLiteral("  ") + padded(QStringLiteral("SIZE"), 10) + QStringLiteral("  ") + padded(QStringLiteral("ORIGIN"), 8);
    text += rightTrimmed(header + gap + QStringLiteral("   ") + gap + header) + QLatin1Char('\n');

    QList<const StackLayer *> oldBaseLayers, newBaseLayers, oldApp, newApp;
    for (const StackLayer &l : plan.oldStack)
        (l.origin == Origin::OldBase ? oldBaseLayers : oldApp) << &l;
    for (const StackLayer &l : plan.newStack)
        (l.origin == Origin::NewBase ? newBaseLayers : newApp) << &l;
    // Base layers first (bottom of the image), then the app layers on the same rows left and right.
    const qsizetype baseRows = qMax(oldBaseLayers.size(), newBaseLayers.size());
    for (qsizetype i = 0; i < baseRows; ++i) {
        const StackLayer *left = oldBaseLayers.value(i);
        const StackLayer *right = newBaseLayers.value(i);
        const QString marker = left && right ? QStringLiteral("-/+") : left ? QStringLiteral("-  ") : QStringLiteral("  +");
        text += rightTrimmed(layerCells(left) + gap + marker + gap + layerCells(right)) + QLatin1Char('\n');
    }
    for (qsizetype i = 0; i < oldApp.size(); ++i)
        text += rightTrimmed(layerCells(oldApp.value(i)) + gap + QStringLiteral(" = ") + gap + layerCells(newApp.value(i)))
            + QLatin1Char('\n');
    text += QStringLiteral("(- removed old base layer, + added new base layer, = app layer kept)\n\n");

    text += QStringLiteral("Removed %1 (%2), added %3 (%4), kept %5.\n")
                .arg(counted(oldBaseLayers.size(), QStringLiteral("old base layer")), humanSize(plan.bytesRemoved()),
                     counted(newBaseLayers.size(), QStringLiteral("new base layer")), humanSize(plan.bytesAdded()),
                     counted(oldApp.size(), QStringLiteral("app layer")));
    for (const QString &note : plan.notes)
        text += QStringLiteral("Note: ") + note + QLatin1Char('\n');

    if (dryRun) {
        text += QStringLiteral("\nPlan (dry run, nothing was written):\n");
        for (const Rebase::BlobStep &step : result.steps)
            text += stepLine(step);
        const Reference put = inIndex ? target.repositoryOnly().withDigest(plan.manifestDigest) : target;
        text += QStringLiteral("  manifest %1 (%2, %3 bytes) -> PUT %4\n")
                    .arg(plan.manifestDigest.toString(), plan.manifestMediaType)
                    .arg(plan.manifest.size())
                    .arg(put.toString());
    } else {
        int mounted = 0, copied = 0, present = 0, external = 0;
        for (const Rebase::BlobStep &step : result.steps) {
            if (step.isConfig)
                continue;
            mounted += step.action == Rebase::BlobAction::Mount;
            copied += step.action == Rebase::BlobAction::Copy;
            present += step.action == Rebase::BlobAction::Present;
            external += step.action == Rebase::BlobAction::External;
        }
        text += QStringLiteral("Layers: %1 already present, %2 mounted, %3 copied%4.\n")
                    .arg(present)
                    .arg(mounted)
                    .arg(copied)
                    .arg(external ? QStringLiteral(", %1 foreign (not touched)").arg(external) : QString());
    }
    return text;
}

QJsonObject platformJson(const Rebase::PlatformResult &result, bool dryRun)
{
    const Rebase::Plan &plan = result.plan;
    QJsonObject o;
    o.insert(QLatin1String("platform"), plan.newBase.config.platform().toString());
    if (!plan.newBase.config.platform().osVersion.isEmpty())
        o.insert(QLatin1String("osVersion"), plan.newBase.config.platform().osVersion);
    o.insert(QLatin1String("digest"), result.digest.toString());
    o.insert(QLatin1String("source"), plan.source.reference.toString());
    o.insert(QLatin1String("oldBase"), plan.oldBase.reference.toString());
    o.insert(QLatin1String("oldBaseFrom"), Rebase::oldBaseSourceName(result.oldBaseSource));
    o.insert(QLatin1String("newBase"), plan.newBase.reference.toString());
    o.insert(QLatin1String("images"), QJsonObject{{QLatin1String("source"), imageJson(plan.source)},
                                                  {QLatin1String("oldBase"), imageJson(plan.oldBase)},
                                                  {QLatin1String("newBase"), imageJson(plan.newBase)}});
    o.insert(QLatin1String("mediaType"), plan.manifestMediaType);
    o.insert(QLatin1String("manifestSize"), plan.manifest.size());
    o.insert(QLatin1String("config"), QJsonObject{{QLatin1String("digest"), plan.configDescriptor.digest.toString()},
                                                  {QLatin1String("size"), plan.configDescriptor.size},
                                                  {QLatin1String("mediaType"), plan.configDescriptor.mediaType}});
    QJsonArray layers;
    for (const StackLayer &l : plan.newStack)
        layers.append(layerJson(l));
    o.insert(QLatin1String("layers"), layers);
    QJsonArray removed;
    for (const StackLayer &l : plan.oldStack) {
        if (l.origin == Origin::OldBase)
            removed.append(layerJson(l));
    }
    o.insert(QLatin1String("removedLayers"), removed);
    o.insert(QLatin1String("bytesRemoved"), plan.bytesRemoved());
    o.insert(QLatin1String("bytesAdded"), plan.bytesAdded());
    QJsonArray blobs;
    for (const Rebase::BlobStep &step : result.steps) {
        QJsonObject b;
        b.insert(QLatin1String("digest"), step.blob.digest.toString());
        b.insert(QLatin1String("size"), step.blob.size);
        b.insert(QLatin1String("kind"), step.isConfig ? QStringLiteral("config") : QStringLiteral("layer"));
        b.insert(QLatin1String("action"), Rebase::blobActionName(step.action));
        if (step.action == Rebase::BlobAction::Mount || step.action == Rebase::BlobAction::Copy)
            b.insert(QLatin1String("from"), step.from.name());
        blobs.append(b);
    }
    o.insert(QLatin1String("blobs"), blobs);
    o.insert(QLatin1String("notes"), QJsonArray::fromStringList(plan.notes));
    if (dryRun) {
        o.insert(QLatin1String("manifest"), QJsonDocument::fromJson(plan.manifest).object());
        o.insert(QLatin1String("imageConfig"), QJsonDocument::fromJson(plan.config).object());
    }
    return o;
}

} // namespace

QString RebaseCommand::textReport(const Rebase::RebaseOutcome &outcome)
{
    QString text;
    for (qsizetype i = 0; i < outcome.platforms.size(); ++i) {
        const Rebase::PlatformResult &result = outcome.platforms.at(i);
        if (outcome.isIndex)
            text += QStringLiteral("%1== %2 ==\n").arg(i ? QStringLiteral("\n") : QString(),
                                                       result.plan.source.config.platform().toString(true));
        text += platformReport(result, outcome.target, outcome.dryRun, outcome.isIndex);
    }
    if (!outcome.notes.isEmpty() || outcome.isIndex)
        text += QLatin1Char('\n');
    for (const QString &note : outcome.notes)
        text += QStringLiteral("Note: ") + note + QLatin1Char('\n');
    if (outcome.previousTarget)
        text += QStringLiteral("The tag %1 %2 %3.\n")
                    .arg(outcome.target.toString(), outcome.dryRun ? QStringLiteral("would move from") : QStringLiteral("moved from"),
                         outcome.previousTarget->digest.toString());
    if (outcome.isIndex) {
        text += QStringLiteral("The target is an index of %1 (%2, %3 bytes)%4.\n")
                    .arg(counted(outcome.platforms.size(), QStringLiteral("platform")), outcome.indexMediaType)
                    .arg(outcome.index.size())
                    .arg(outcome.dryRun ? QStringLiteral(", PUT after the platforms' manifests") : QString());
    }
    if (outcome.dryRun)
        text += QStringLiteral("\nWould push %1@%2\n").arg(outcome.target.toString(), outcome.digest.toString());
    else
        text += QStringLiteral("\nPushed %1@%2\n").arg(outcome.target.toString(), outcome.digest.toString());
    return text;
}

QJsonObject RebaseCommand::jsonReport(const Rebase::RebaseOutcome &outcome)
{
    QJsonObject o;
    if (!outcome.isIndex)
        o = platformJson(outcome.platforms.first(), outcome.dryRun);
    o.insert(QLatin1String("target"), outcome.target.toString());
    o.insert(QLatin1String("digest"), outcome.digest.toString());
    o.insert(QLatin1String("dryRun"), outcome.dryRun);
    o.insert(QLatin1String("isIndex"), outcome.isIndex);
    if (outcome.previousTarget)
        o.insert(QLatin1String("previousDigest"), outcome.previousTarget->digest.toString());
    QStringList notes = outcome.isIndex ? QStringList() : outcome.platforms.first().plan.notes;
    notes += outcome.notes;
    o.insert(QLatin1String("notes"), QJsonArray::fromStringList(notes));
    if (outcome.isIndex) {
        const Rebase::Plan &first = outcome.plan();
        o.insert(QLatin1String("source"), first.source.reference.repositoryOnly().withTag(first.source.reference.tag()).toString());
        o.insert(QLatin1String("newBase"), first.newBase.reference.toString());
        o.insert(QLatin1String("oldBase"), first.oldBase.reference.toString());
        o.insert(QLatin1String("mediaType"), outcome.indexMediaType);
        QJsonArray platforms;
        for (const Rebase::PlatformResult &result : outcome.platforms)
            platforms.append(platformJson(result, outcome.dryRun));
        o.insert(QLatin1String("platforms"), platforms);
        if (outcome.dryRun)
            o.insert(QLatin1String("index"), QJsonDocument::fromJson(outcome.index).object());
    }
    return o;
}

} // namespace Restack::Cli
