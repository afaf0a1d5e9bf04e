// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// `restack inspect`, `tags` and `catalog` against a real docker-registry, the error lines of
// failing commands, and the informational options. Expected values come from the images as built
// (ImageFactory) and pushed (skopeo), never from Restack's own parsers.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "registryfixture.h"

using namespace Restack::Test;

namespace
{

const QString OciManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
const QString DockerManifestType = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");

QString shortDigest(const QString &digest)
{
    return digest.left(QStringLiteral("sha256:").size() + 12);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class ListingTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void inspectText_data();
    void inspectText();
    void inspectJson();
    void inspectOtherPlatformOfSingleImage();
    void tags();
    void tagsJson();
    void catalog();
    void catalogJson();
    void unknownImage_data();
    void unknownImage();
    void connectionRefused();
    void malformedReference_data();
    void malformedReference();
    void version();
    void rebaseHelp();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }

    RegistryFixture m_registry;
    ImageFactory m_factory;
    BuiltImage m_app;
    QMap<QString, QString> m_pushed; ///< repository:tag (no host) -> manifest digest
};

void ListingTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));

    ImageSpec base;
    base.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("NAME=\"Listing OS\"\n")}},
                  QStringLiteral("COPY os-release /etc/"));
    base.addEnv({QStringLiteral("PATH=/usr/bin:/bin")});
    base.addLayer({{QStringLiteral("/usr/lib/liblisting.so.1"), QByteArrayLiteral("library\n")}},
                  QStringLiteral("RUN build-library --output /usr/lib/liblisting.so.1"));
    base.addCmd({QStringLiteral("/bin/sh")});
    const Restack::Result<BuiltImage> builtBase = m_factory.build(QStringLiteral("base"), base);
    QVERIFY2(builtBase.ok(), qPrintable(builtBase.ok() ? QString() : builtBase.error().toString()));

    ImageSpec app;
    app.base = QStringLiteral("base");
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\n")}}, QStringLiteral("COPY run /app/"));
    app.addEntrypoint({QStringLiteral("/app/run")});
    app.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("listing app"));
    const Restack::Result<BuiltImage> builtApp = m_factory.build(QStringLiteral("app"), app);
    QVERIFY2(builtApp.ok(), qPrintable(builtApp.ok() ? QString() : builtApp.error().toString()));
    m_app = *builtApp;
    QCOMPARE(m_app.layerDigests.size(), 3);
    QCOMPARE(m_app.history.size(), 6);

    const QList<std::tuple<QString, QString, ImageFactory::Format>> pushes{
        {QStringLiteral("base"), QStringLiteral("list/base:1.0"), ImageFactory::Format::Oci},
        {QStringLiteral("app"), QStringLiteral("list/app:1.0"), ImageFactory::Format::Oci},
        {QStringLiteral("app"), QStringLiteral("list/app:1.1"), ImageFactory::Format::Oci},
        {QStringLiteral("app"), QStringLiteral("list/app:latest"), ImageFactory::Format::Oci},
        {QStringLiteral("app"), QStringLiteral("list/docker-app:1.0"), ImageFactory::Format::DockerV2S2},
    };
    for (const auto &[tag, target, format] : pushes) {
        const Restack::Result<QString> digest = m_factory.push(tag, ref(target), format);
        QVERIFY2(digest.ok(), qPrintable(digest.ok() ? QString() : digest.error().toString()));
        m_pushed.insert(target, *digest);
    }
}

void ListingTest::inspectText_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("mediaType");
    QTest::newRow("oci") << QStringLiteral("list/app:1.0") << OciManifestType;
    QTest::newRow("docker schema 2") << QStringLiteral("list/docker-app:1.0") << DockerManifestType;
}

void ListingTest::inspectText()
{
    QFETCH(QString, image);
    QFETCH(QString, mediaType);

    const CliRun run = runRestack({QStringLiteral("inspect"), ref(image)});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QStringList lines = run.outputLines();
    const auto field = [&](const QString &name, const QString &value) {
        return lines.contains(name.leftJustified(12, QLatin1Char(' ')) + value);
    };
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Image"), ref(image)), run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Digest"), m_pushed.value(image)), run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Media type"), mediaType), run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Platform"), QStringLiteral("linux/amd64")), run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Config"),
                                 QStringLiteral("%1 (%2 bytes)").arg(m_app.configDigest).arg(m_app.config.size())),
                           run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Entrypoint"), QStringLiteral("/app/run")), run.describe());
    RESTACK_VERIFY_OR_DUMP(field(QStringLiteral("Label"), QStringLiteral("org.opencontainers.image.title=listing app")),
                           run.describe());

    // The layer table walks the history: a row per entry, in order; "(no layer)" for empty ones.
    const qsizetype header = lines.indexOf(QRegularExpression(QStringLiteral("^#\\s+DIGEST\\s+SIZE\\s+CREATED BY$")));
    RESTACK_VERIFY_OR_DUMP(header >= 0, run.describe());
    const QStringList rows = lines.mid(header + 1);
    QCOMPARE(rows.size(), m_app.history.size());
    int layer = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject entry = m_app.history.at(i).toObject();
        const QString createdBy = entry.value(QLatin1String("created_by")).toString();
        QRegularExpression row;
        if (entry.value(QLatin1String("empty_layer")).toBool()) {
            row.setPattern(QStringLiteral("^\\s+\\(no layer\\)\\s+") + QRegularExpression::escape(createdBy)
                           + QLatin1Char('$'));
        } else {
            row.setPattern(QStringLiteral("^%1\\s+%2\\s+\\d+ bytes\\s+%3$")
                               .arg(layer)
                               .arg(QRegularExpression::escape(shortDigest(m_app.layerDigests.at(layer))),
                                    QRegularExpression::escape(createdBy)));
            ++layer;
        }
        QVERIFY2(row.match(rows.at(i)).hasMatch(),
                 qPrintable(QStringLiteral("row %1 \"%2\" does not match %3").arg(i).arg(rows.at(i), row.pattern())));
    }
    QCOMPARE(layer, m_app.layerDigests.size());
    RESTACK_VERIFY_OR_DUMP(lines.contains(QStringLiteral("    (no layer)                      ENV PATH=/usr/bin:/bin")),
                           run.describe());
}

// --platform on a single-platform image used to be ignored: the image of another platform was shown.
void ListingTest::inspectOtherPlatformOfSingleImage()
{
    const CliRun run = runRestack({QStringLiteral("inspect"), ref(QStringLiteral("list/app:1.0")), QStringLiteral("--platform"),
                                   QStringLiteral("linux/s390x")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.isEmpty(), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("is a single-platform image for linux/amd64, not linux/s390x")),
                           run.describe());
    const CliRun same = runRestack({QStringLiteral("inspect"), ref(QStringLiteral("list/app:1.0")), QStringLiteral("--platform"),
                                    QStringLiteral("linux/amd64")});
    RESTACK_VERIFY_OR_DUMP(same.exited && same.exitCode == 0, same.describe());
}

void ListingTest::inspectJson()
{
    const CliRun run = runRestack(
        {QStringLiteral("inspect"), ref(QStringLiteral("list/app:1.0")), QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QJsonParseError parseError;
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8(), &parseError).object();
    RESTACK_VERIFY_OR_DUMP(parseError.error == QJsonParseError::NoError, run.describe());

    QCOMPARE(report.value(QLatin1String("reference")).toString(), ref(QStringLiteral("list/app:1.0")));
    QCOMPARE(report.value(QLatin1String("digest")).toString(), m_pushed.value(QStringLiteral("list/app:1.0")));
    QCOMPARE(report.value(QLatin1String("mediaType")).toString(), OciManifestType);
    QCOMPARE(report.value(QLatin1String("platform")).toString(), QStringLiteral("linux/amd64"));
    QCOMPARE(report.value(QLatin1String("config")).toObject().value(QLatin1String("digest")).toString(),
             m_app.configDigest);
    const QJsonArray layers = report.value(QLatin1String("layers")).toArray();
    QCOMPARE(layers.size(), 3);
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QJsonObject layer = layers.at(i).toObject();
        QCOMPARE(layer.value(QLatin1String("index")).toInt(-1), int(i));
        QCOMPARE(layer.value(QLatin1String("digest")).toString(), m_app.layerDigests.at(i));
        QCOMPARE(layer.value(QLatin1String("size")).toInteger(), m_app.layerSizes.at(i));
        QCOMPARE(layer.value(QLatin1String("diffId")).toString(), m_app.diffIds.at(i));
    }
    const QJsonArray history = report.value(QLatin1String("history")).toArray();
    QCOMPARE(history.size(), 6);
    QCOMPARE(history, m_app.history);
}

void ListingTest::tags()
{
    const CliRun run = runRestack({QStringLiteral("tags"), ref(QStringLiteral("list/app"))});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    // docker-registry 2.8 returns tags in storage order, and restack prints them as returned.
    QCOMPARE(sorted(run.outputLines()),
             QStringList({QStringLiteral("1.0"), QStringLiteral("1.1"), QStringLiteral("latest")}));
    RESTACK_VERIFY_OR_DUMP(run.standardError.isEmpty(), run.describe());
}

void ListingTest::tagsJson()
{
    const CliRun run = runRestack(
        {QStringLiteral("tags"), ref(QStringLiteral("list/app")), QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("repository")).toString(), ref(QStringLiteral("list/app")));
    QStringList tags;
    for (const QJsonValue &tag : report.value(QLatin1String("tags")).toArray())
        tags << tag.toString();
    QCOMPARE(sorted(tags), QStringList({QStringLiteral("1.0"), QStringLiteral("1.1"), QStringLiteral("latest")}));
}

void ListingTest::catalog()
{
    const CliRun run = runRestack({QStringLiteral("catalog"), m_registry.host()});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    // The registry lists repositories in lexical order.
    QCOMPARE(run.outputLines(),
             QStringList({QStringLiteral("list/app"), QStringLiteral("list/base"), QStringLiteral("list/docker-app")}));
}

void ListingTest::catalogJson()
{
    const CliRun run
        = runRestack({QStringLiteral("catalog"), m_registry.host(), QStringLiteral("-o"), QStringLiteral("json")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const QJsonObject report = QJsonDocument::fromJson(run.standardOutput.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("registry")).toString(), m_registry.host());
    QCOMPARE(report.value(QLatin1String("repositories")).toArray(),
             QJsonArray({QStringLiteral("list/app"), QStringLiteral("list/base"), QStringLiteral("list/docker-app")}));
}

void ListingTest::unknownImage_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QStringList>("codes");
    QTest::newRow("unknown repository") << QStringLiteral(
        "nope:1") << QStringList{QStringLiteral("MANIFEST_UNKNOWN"), QStringLiteral("NAME_UNKNOWN")};
    QTest::newRow("unknown tag") << QStringLiteral("list/app:nope") << QStringList{QStringLiteral("MANIFEST_UNKNOWN")};
}

void ListingTest::unknownImage()
{
    QFETCH(QString, image);
    QFETCH(QStringList, codes);

    const CliRun run = runRestack({QStringLiteral("inspect"), ref(image)});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.isEmpty(), run.describe());
    const QStringList lines = run.errorLines();
    RESTACK_VERIFY_OR_DUMP(lines.size() == 1, run.describe());
    const QString line = lines.first();
    QVERIFY2(line.startsWith(QLatin1String("restack: error: ")), qPrintable(line));
    // Registry, repository and reference, and the registry's own error code.
    QVERIFY2(line.contains(ref(image)), qPrintable(line));
    QVERIFY2(std::any_of(codes.cbegin(), codes.cend(), [&](const QString &code) { return line.contains(code); }),
             qPrintable(line));
}

void ListingTest::connectionRefused()
{
    // A port that was free a moment ago and that nothing listens on.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString registry = QStringLiteral("127.0.0.1:%1").arg(server.serverPort());
    server.close();

    const CliRun run = runRestack({QStringLiteral("inspect"), registry + QStringLiteral("/app:1"),
                                   QStringLiteral("--timeout"), QStringLiteral("10")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    const QStringList lines = run.errorLines();
    RESTACK_VERIFY_OR_DUMP(lines.size() == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().startsWith(QLatin1String("restack: error: ")), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(registry), run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(QLatin1String("refused"), Qt::CaseInsensitive), run.describe());
}

void ListingTest::malformedReference_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("reason");
    const QString host = QStringLiteral("127.0.0.1:5000");
    QTest::newRow("rebase, uppercase source")
        << QStringList{QStringLiteral("rebase"), host + QStringLiteral("/Demo/App:1"),
                       QStringLiteral("-b"),     host + QStringLiteral("/demo/base:2"),
                       QStringLiteral("-t"),     host + QStringLiteral("/demo/app:2")}
        << QStringLiteral("lowercase");
    QTest::newRow("rebase, uppercase base")
        << QStringList{QStringLiteral("rebase"), host + QStringLiteral("/demo/app:1"),
                       QStringLiteral("-b"),     host + QStringLiteral("/demo/BASE:2"),
                       QStringLiteral("-t"),     host + QStringLiteral("/demo/app:2")}
        << QStringLiteral("lowercase");
    QTest::newRow("inspect, uppercase") << QStringList{QStringLiteral("inspect"), host + QStringLiteral("/Demo/App:1")}
                                        << QStringLiteral("lowercase");
    // An unknown digest algorithm is a typo like any other: exit 2, not 1 (found by a newcomer's trial).
    QTest::newRow("inspect, md5 digest") << QStringList{QStringLiteral("inspect"), host + QStringLiteral("/demo/app@md5:0123")}
                                         << QStringLiteral("unsupported digest algorithm");
    QTest::newRow("inspect, URL scheme") << QStringList{QStringLiteral("inspect"), QStringLiteral("http://") + host + QStringLiteral("/demo/app:1")}
                                         << QStringLiteral("takes no scheme");
    QTest::newRow("rebase, unknown placeholder")
        << QStringList{QStringLiteral("rebase"), host + QStringLiteral("/demo/app:1"), host + QStringLiteral("/demo/app:2"),
                       QStringLiteral("-b"), host + QStringLiteral("/demo/base:2"), QStringLiteral("-t"),
                       QStringLiteral("{registry}/{repo}:{tag}-p")}
        << QStringLiteral("unknown placeholder {repo}");
    QTest::newRow("rebase, pattern giving no reference")
        << QStringList{QStringLiteral("rebase"), host + QStringLiteral("/demo/app:1"), QStringLiteral("-b"),
                       host + QStringLiteral("/demo/base:2"), QStringLiteral("-t"), QStringLiteral("{registry}/{repository}:{tag}/x")}
        << QStringLiteral("does not give a valid REPOSITORY:TAG");
    QTest::newRow("rebase, --jobs 0 with one source")
        << QStringList{QStringLiteral("rebase"), host + QStringLiteral("/demo/app:1"), QStringLiteral("-b"),
                       host + QStringLiteral("/demo/base:2"), QStringLiteral("-t"), host + QStringLiteral("/demo/app:2"),
                       QStringLiteral("-j"), QStringLiteral("0")}
        << QStringLiteral("--jobs needs a number from 1 to 64");
}

void ListingTest::malformedReference()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, reason);
    // Rejected before any connection: port 5000 need not exist.
    const CliRun run = runRestack(arguments);
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 2, run.describe());
    const QStringList lines = run.errorLines();
    RESTACK_VERIFY_OR_DUMP(!lines.isEmpty() && lines.first().startsWith(QLatin1String("restack: error: ")),
                           run.describe());
    RESTACK_VERIFY_OR_DUMP(lines.first().contains(reason), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.isEmpty(), run.describe());
}

void ListingTest::version()
{
    const CliRun run = runRestack({QStringLiteral("--version")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    QCOMPARE(run.standardOutput, QStringLiteral("restack 0.1.0\n"));
    QCOMPARE(run.standardError, QString());
}

void ListingTest::rebaseHelp()
{
    const CliRun run = runRestack({QStringLiteral("rebase"), QStringLiteral("--help")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("--dry-run")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("--old-base")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardOutput.startsWith(QLatin1String("Usage: ")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.outputLines().first().contains(QLatin1String(" rebase [options] SOURCE")),
                           run.describe());
}

QTEST_GUILESS_MAIN(ListingTest)
#include "tst_listing.moc"
