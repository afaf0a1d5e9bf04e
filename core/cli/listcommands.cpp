// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/listcommands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "image/reference.h"
#include "registry/client.h"

namespace Restack::Cli
{

void TagsCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("REPOSITORY"), QStringLiteral("The repository, e.g. registry.example/team/app."));
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void TagsCommand::execute(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(QStringLiteral("expected one REPOSITORY"));
    if (!readOutputOption(parser))
        return;
    auto repository = Image::Reference::parseRepository(positional.first());
    if (!repository)
        return fail(repository.error());
    if (!setUpClient(parser, {repository->registry()}, repository->registry()))
        return;
    const Image::Reference repo = repository.value();
    client()->listTags(repo, this, [this, repo](Result<QStringList> tags) {
        if (!tags.ok())
            return fail(tags.error());
        if (jsonOutput()) {
            QJsonObject o;
            o.insert(QLatin1String("repository"), repo.name());
            o.insert(QLatin1String("tags"), QJsonArray::fromStringList(tags.value()));
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            for (const QString &tag : tags.value())
                out() << tag << '\n';
        }
        done(Success);
    });
}

void CatalogCommand::addOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("REGISTRY"), QStringLiteral("The registry, HOST[:PORT]."));
    addOutputOption(parser);
    addRegistryOptions(parser);
}

void CatalogCommand::execute(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(QStringLiteral("expected one REGISTRY"));
    if (!readOutputOption(parser))
        return;
    auto registry = Image::Reference::parseRegistry(positional.first());
    if (!registry)
        return fail(registry.error());
    const QString host = registry.value();
    if (!setUpClient(parser, {host}, host))
        return;
    client()->listCatalog(host, this, [this, host](Result<QStringList> repositories) {
        if (!repositories.ok())
            return fail(repositories.error());
        if (jsonOutput()) {
            QJsonObject o;
            o.insert(QLatin1String("registry"), host);
            o.insert(QLatin1String("repositories"), QJsonArray::fromStringList(repositories.value()));
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            for (const QString &repository : repositories.value())
                out() << repository << '\n';
        }
        done(Success);
    });
}

} // namespace Restack::Cli
