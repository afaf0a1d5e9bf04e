// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/inspectcommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "rebase/resolver.h"
#include "registry/client.h"

namespace Restack::Cli
{

using Image::Reference;

void InspectCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("The image, e.g. registry.example/app:1.0."));
    parser.addOption({QStringLiteral("platform"), QStringLiteral("For a multi-platform index: the platform to show."),
                      QStringLiteral("OS/ARCH[/VARIANT]")});
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void InspectCommand::execute(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(QStringLiteral("expected one IMAGE"));
    if (!readOutputOption(parser))
        return;
    auto parsed = Reference::parse(positional.first());
    if (!parsed)
        return fail(parsed.error());
    std::optional<Image::Platform> platform;
    if (parser.isSet(QStringLiteral("platform"))) {
        auto p = Image::Platform::parse(parser.value(QStringLiteral("platform")));
        if (!p)
            return fail(p.error());
        platform = p.value();
    }
    const Reference ref = parsed.value();
    if (!setUpClient(parser, {ref.registry()}, ref.registry()))
        return;

    client()->fetchManifest(ref, this, [this, ref, platform](Result<Image::Manifest> manifest) {
        if (!manifest.ok())
            return fail(manifest.error());
        if (manifest->isIndex() && !platform)
            return printIndex(ref, manifest.value());
        auto show = [this](Result<Rebase::ImageData> image) {
            if (!image.ok())
                return fail(image.error());
            const Rebase::ImageData &data = image.value();
            const Image::ImageConfig &config = data.config;
            const auto &layers = data.manifest.layers();

            if (jsonOutput()) {
                QJsonObject o;
                o.insert(QLatin1String("reference"), data.reference.toString());
                o.insert(QLatin1String("digest"), data.manifest.digest().toString());
                o.insert(QLatin1String("mediaType"), data.manifest.mediaType());
                o.insert(QLatin1String("platform"), data.config.platform().toString());
                o.insert(QLatin1String("osVersion"), data.config.platform().osVersion);
                o.insert(QLatin1String("config"), QJsonObject{{QLatin1String("digest"), data.manifest.config().digest.toString()},
                                                              {QLatin1String("size"), data.manifest.config().size},
                                                              {QLatin1String("mediaType"), data.manifest.config().mediaType}});
                o.insert(QLatin1String("created"), config.created());
                o.insert(QLatin1String("entrypoint"), QJsonArray::fromStringList(config.entrypoint()));
                o.insert(QLatin1String("cmd"), QJsonArray::fromStringList(config.cmd()));
                o.insert(QLatin1String("env"), QJsonArray::fromStringList(config.env()));
                o.insert(QLatin1String("labels"), config.labels());
                o.insert(QLatin1String("annotations"), data.manifest.annotations());
                QJsonArray layerArray;
                for (qsizetype i = 0; i < layers.size(); ++i) {
                    QJsonObject l;
                    l.insert(QLatin1String("index"), int(i));
                    l.insert(QLatin1String("digest"), layers[i].digest.toString());
                    l.insert(QLatin1String("size"), layers[i].size);
                    l.insert(QLatin1String("mediaType"), layers[i].mediaType);
                    l.insert(QLatin1String("diffId"), config.diffIds().value(i).toString());
                    if (!layers[i].urls.isEmpty())
                        l.insert(QLatin1String("urls"), QJsonArray::fromStringList(layers[i].urls));
                    layerArray.append(l);
                }
                o.insert(QLatin1String("layers"), layerArray);
                QJsonArray history;
                for (const Image::HistoryEntry &h : config.history())
                    history.append(h.json);
                o.insert(QLatin1String("history"), history);
                out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
                return done(Success);
            }

            out() << padded(QStringLiteral("Image"), 12) << data.reference.toString() << '\n';
            out() << padded(QStringLiteral("Digest"), 12) << data.manifest.digest().toString() << '\n';
            out() << padded(QStringLiteral("Media type"), 12) << data.manifest.mediaType() << '\n';
            out() << padded(QStringLiteral("Platform"), 12) << config.platform().toString(true) << '\n';
            out() << padded(QStringLiteral("Config"), 12) << data.manifest.config().digest.toString() << " ("
                  << data.manifest.config().size << " bytes)\n";
            if (!config.created().isEmpty())
                out() << padded(QStringLiteral("Created"), 12) << config.created() << '\n';
            if (!config.entrypoint().isEmpty())
                out() << padded(QStringLiteral("Entrypoint"), 12) << config.entrypoint().join(QLatin1Char(' ')) << '\n';
            if (!config.cmd().isEmpty())
                out() << padded(QStringLiteral("Cmd"), 12) << config.cmd().join(QLatin1Char(' ')) << '\n';
            const QJsonObject labels = config.labels();
            for (auto it = labels.begin(); it != labels.end(); ++it)
                out() << padded(QStringLiteral("Label"), 12) << it.key() << '=' << it.value().toString() << '\n';
            const QJsonObject annotations = data.manifest.annotations();
            for (auto it = annotations.begin(); it != annotations.end(); ++it)
                out() << padded(QStringLiteral("Annotation"), 12) << it.key() << '=' << it.value().toString() << '\n';
            out() << padded(QStringLiteral("Size"), 12) << humanSize(data.manifest.layersSize()) << " in "
                  << layers.size() << " layers\n\n";

            out() << padded(QStringLiteral("#"), 4) << padded(QStringLiteral("DIGEST"), 21) << padded(QStringLiteral("SIZE"), 11)
                  << "CREATED BY\n";
            // Walk the history: non-empty entries belong to the layers in order; empty ones sit between.
            const auto &history = config.history();
            const bool aligned = config.nonEmptyHistoryCount() == layers.size();
            qsizetype layer = 0;
            auto printLayer = [&](qsizetype i, const QString &createdBy) {
                out() << padded(QString::number(i), 4) << padded(layers[i].digest.shortString(), 21)
                      << padded(humanSize(layers[i].size), 11) << createdBy.simplified().left(100)
                      << (layers[i].isForeign() ? QStringLiteral("  [foreign]") : QString()) << '\n';
            };
            if (aligned) {
                for (const Image::HistoryEntry &h : history) {
                    if (h.emptyLayer)
                        out() << padded(QString(), 4) << padded(QStringLiteral("(no layer)"), 32) << h.createdBy.simplified().left(100)
                              << '\n';
                    else
                        printLayer(layer++, h.createdBy);
                }
            } else {
                for (qsizetype i = 0; i < layers.size(); ++i)
                    printLayer(i, QString());
            }
            done(Success);
        };
        if (manifest->isIndex()) {
            Rebase::resolveImage(client(), ref, platform, this, show);
            return;
        }
        // An image manifest: only its config is still needed.
        Rebase::ImageData data;
        data.reference = ref;
        data.manifest = manifest.value();
        client()->fetchBlob(ref.repositoryOnly(), data.manifest.config(), this, [ref, platform, data, show](Result<QByteArray> blob) mutable {
            if (!blob.ok())
                return show(blob.error());
            auto config = Image::ImageConfig::parse(blob.value());
            if (!config.ok())
                return show(config.error());
            data.config = config.value();
            // --platform on a single-platform image: say so rather than show another platform's image.
            if (platform && !data.config.platform().matches(*platform))
                return show(Error::make(Error::Kind::PlatformMismatch,
                                        QStringLiteral("%1 is a single-platform image for %2, not %3")
                                            .arg(ref.toString(), data.config.platform().toString(true),
                                                 platform->toString(true)),
                                        QStringLiteral("leave out --platform, or inspect an image or index that has %1")
                                            .arg(platform->toString(true)))
                                .at(ref.registry(), ref.repository(), ref.identifier()));
            show(data);
        });
    });
}

void InspectCommand::printIndex(const Reference &ref, const Image::Manifest &index)
{
    if (jsonOutput()) {
        QJsonObject o;
        o.insert(QLatin1String("reference"), ref.toString());
        o.insert(QLatin1String("digest"), index.digest().toString());
        o.insert(QLatin1String("mediaType"), index.mediaType());
        QJsonArray children;
        for (const Image::Descriptor &d : index.manifests()) {
            QJsonObject c;
            c.insert(QLatin1String("digest"), d.digest.toString());
            c.insert(QLatin1String("mediaType"), d.mediaType);
            c.insert(QLatin1String("size"), d.size);
            if (d.platform)
                c.insert(QLatin1String("platform"), d.platform->toString());
            if (d.platform && !d.platform->osVersion.isEmpty())
                c.insert(QLatin1String("osVersion"), d.platform->osVersion);
            if (!d.annotations.isEmpty())
                c.insert(QLatin1String("annotations"), d.annotations);
            children.append(c);
        }
        o.insert(QLatin1String("manifests"), children);
        o.insert(QLatin1String("annotations"), index.annotations());
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return done(Success);
    }
    out() << padded(QStringLiteral("Image"), 12) << ref.toString() << '\n';
    out() << padded(QStringLiteral("Digest"), 12) << index.digest().toString() << '\n';
    out() << padded(QStringLiteral("Media type"), 12) << index.mediaType() << '\n';
    out() << padded(QStringLiteral("Platforms"), 12) << index.manifests().size()
          << (index.manifests().size() == 1 ? " entry\n\n" : " entries\n\n");
    out() << padded(QStringLiteral("PLATFORM"), 30) << padded(QStringLiteral("DIGEST"), 73) << "SIZE\n";
    for (const Image::Descriptor &d : index.manifests()) {
        const QString platform = d.platform ? d.platform->toString(true) : QStringLiteral("(none)");
        out() << padded(platform, 30) << padded(d.digest.toString(), 73) << humanSize(d.size) << '\n';
    }
    out() << "\nInspect one with --platform OS/ARCH[/VARIANT] or " << ref.repositoryOnly().toString() << "@DIGEST\n";
    done(Success);
}

} // namespace Restack::Cli
