// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// The custom models of restack_ui, each under QAbstractItemModelTester, with synthetic content:
// registries (and their QSettings round trip), repositories (10,000 names, batched to views),
// tags, layers with interleaved history, and both stacks of a rebase plan.

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSettings>
#include <QTcpServer>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>

#include "image/digest.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "basecandidatemodel.h"
#include "indexentrymodel.h"
#include "layermodel.h"
#include "platformpreviewmodel.h"
#include "rebase/plan.h"
#include "registry/client.h"
#include "registrylistmodel.h"
#include "repositorymodel.h"
#include "stackmodel.h"
#include "tagmodel.h"

using namespace Restack;
using namespace Restack::Ui;

namespace
{

QString digestOf(const QString &seed)
{
    return Image::Digest::of(seed.toUtf8()).toString();
}

/** A layer descriptor named @p seed (digest of the seed), @p size bytes. */
QJsonObject layer(const QString &seed, qint64 size)
{
    return QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip")},
                       {QStringLiteral("digest"), digestOf(seed)},
                       {QStringLiteral("size"), size}};
}

struct Step
{
    QString createdBy;
    bool empty = false;
};

/** An OCI image whose layers are named by @p layers (base first), with history @p history. */
Rebase::ImageData image(const QString &reference, const QList<std::pair<QString, qint64>> &layers,
                        const QList<Step> &history)
{
    QJsonArray diffIds;
    QJsonArray layerArray;
    for (const auto &[seed, size] : layers) {
        layerArray.append(layer(seed, size));
        diffIds.append(digestOf(seed + QStringLiteral("-diff")));
    }
    QJsonArray historyArray;
    for (const Step &step : history) {
        QJsonObject entry{{QStringLiteral("created_by"), step.createdBy},
                          {QStringLiteral("created"), QStringLiteral("2026-01-01T00:00:00Z")}};
        if (step.empty)
            entry.insert(QStringLiteral("empty_layer"), true);
        historyArray.append(entry);
    }
    const QJsonObject config{{QStringLiteral("architecture"), QStringLiteral("amd64")},
                             {QStringLiteral("os"), QStringLiteral("linux")},
                             {QStringLiteral("created"), QStringLiteral("2026-01-01T00:00:00Z")},
                             {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                                                    {QStringLiteral("diff_ids"), diffIds}}},
                             {QStringLiteral("history"), historyArray}};
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.config.v1+json")},
                                               {QStringLiteral("digest"), Image::Digest::of(configBytes).toString()},
                                               {QStringLiteral("size"), configBytes.size()}}},
        {QStringLiteral("layers"), layerArray}};
    Rebase::ImageData data;
    data.reference = Image::Reference::parse(reference).value();
    auto parsedManifest = Image::Manifest::parse(QJsonDocument(manifest).toJson(QJsonDocument::Compact));
    auto parsedConfig = Image::ImageConfig::parse(configBytes);
    if (!parsedManifest.ok() || !parsedConfig.ok())
        qFatal("invalid synthetic image %s", qPrintable(reference));
    data.manifest = parsedManifest.value();
    data.config = parsedConfig.value();
    return data;
}

const QList<std::pair<QString, qint64>> OldBaseLayers{{QStringLiteral("old0"), 203}, {QStringLiteral("old1"), 181}, {QStringLiteral("old2"), 201}};
const QList<Step> OldBaseHistory{{QStringLiteral("COPY os-release /etc/")}, {QStringLiteral("ENV PATH=/usr/bin"), true},
                                 {QStringLiteral("COPY lib /usr/lib/")}, {QStringLiteral("COPY tool /usr/bin/")},
                                 {QStringLiteral("CMD [\"/usr/bin/tool\"]"), true}};

} // namespace

class ModelsTest : public QObject
{
    Q_OBJECT

private slots:
    void registryList();
    void registrySettingsRoundTrip();
    void repositoriesIncremental();
    void repositoriesTenThousandFilter();
    void tags();
    void layersInterleaveHistory();
    void layersWithoutMatchingHistory();
    void stacksSideBySide();
    void registryCredentials();
    void platformPreview();
    void baseCandidates();
    void indexEntries();

private:
    /** The synthetic rebase of tst_models: app on base 1 (3 layers) onto base 2 (1 layer). */
    static Rebase::Plan syntheticPlan();
};

Rebase::Plan ModelsTest::syntheticPlan()
{
    const Rebase::ImageData oldBase = image(QStringLiteral("localhost/base:1"), OldBaseLayers, OldBaseHistory);
    const Rebase::ImageData newBase = image(QStringLiteral("localhost/base:2"), {{QStringLiteral("new0"), 274}},
                                            {{QStringLiteral("COPY rootfs /")}});
    QList<std::pair<QString, qint64>> appLayers = OldBaseLayers;
    appLayers << std::pair{QStringLiteral("app0"), qint64(200)};
    QList<Step> appHistory = OldBaseHistory;
    appHistory << Step{QStringLiteral("COPY hello /app/bin/")};
    const Rebase::ImageData app = image(QStringLiteral("localhost/app:1"), appLayers, appHistory);
    return Rebase::planRebase(app, oldBase, newBase).value();
}

void ModelsTest::registryList()
{
    RegistryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &RegistryListModel::registriesChanged);
    QCOMPARE(model.addRegistry({QStringLiteral("Local"), QStringLiteral("localhost:5000"), TlsMode::PlainHttp}), 0);
    QCOMPARE(model.addRegistry({QString(), QStringLiteral("registry.example.com"), TlsMode::Verify}), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("Local"));
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("registry.example.com")); // no name: the address
    QCOMPARE(model.index(0).data(RegistryListModel::AddressRole).toString(), QStringLiteral("localhost:5000"));
    QCOMPARE(model.index(0).data(RegistryListModel::TlsModeRole).toInt(), int(TlsMode::PlainHttp));
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Plain HTTP")));

    // The same address again replaces the entry instead of adding a second one.
    QCOMPARE(model.addRegistry({QStringLiteral("Staging"), QStringLiteral("registry.example.com"), TlsMode::SkipVerify}), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.entry(1).name, QStringLiteral("Staging"));
    model.setRegistry(0, {QStringLiteral("Local"), QStringLiteral("127.0.0.1:5000"), TlsMode::Verify});
    QCOMPARE(model.rowOf(QStringLiteral("127.0.0.1:5000")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("localhost:5000")), -1);
    model.removeRegistry(0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.entry(0).address, QStringLiteral("registry.example.com"));
    QCOMPARE(changed.size(), 5);
}

void ModelsTest::registrySettingsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    {
        RegistryListModel model;
        model.addRegistry({QStringLiteral("Local"), QStringLiteral("localhost:5000"), TlsMode::PlainHttp});
        model.addRegistry({QStringLiteral("Self-signed"), QStringLiteral("10.0.0.1:443"), TlsMode::SkipVerify});
        RegistryEntry transient;
        transient.address = QStringLiteral("127.0.0.1:40000");
        transient.saved = false; // opened from a reference: this session only
        model.addRegistry(transient);
        QSettings settings(path, QSettings::IniFormat);
        model.save(settings);
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        // Nothing secret is written: only name, address and TLS mode.
        QCOMPARE(settings.value(QStringLiteral("registries/size")).toInt(), 2);
        settings.beginReadArray(QStringLiteral("registries"));
        settings.setArrayIndex(0);
        QCOMPARE(settings.childKeys().size(), 3);
        settings.endArray();
        // An entry with an invalid address is skipped on load.
        settings.setValue(QStringLiteral("registries/size"), 3);
        settings.setValue(QStringLiteral("registries/3/address"), QStringLiteral("not a host!"));
    }
    RegistryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSettings settings(path, QSettings::IniFormat);
    model.load(settings);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.entry(0), (RegistryEntry{QStringLiteral("Local"), QStringLiteral("localhost:5000"), TlsMode::PlainHttp}));
    QCOMPARE(model.entry(1), (RegistryEntry{QStringLiteral("Self-signed"), QStringLiteral("10.0.0.1:443"), TlsMode::SkipVerify}));
}

void ModelsTest::repositoriesIncremental()
{
    RepositoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));

    QStringList page;
    for (int i = 0; i < 700; ++i)
        page << QStringLiteral("team/repo-%1").arg(i, 4, 10, QLatin1Char('0'));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addRepositories(page.mid(0, 300));
    QCOMPARE(model.rowCount(), 300); // the first batch is shown at once
    model.addRepositories(page.mid(300));
    QCOMPARE(model.receivedCount(), 700);
    QCOMPARE(model.rowCount(), RepositoryModel::FetchBatch); // the rest waits for the view to scroll
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 700);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.index(699).data().toString(), QStringLiteral("team/repo-0699"));
    QCOMPARE(inserted.size(), 3);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.state(), RepositoryModel::State::Empty);
    model.addRepositories(page);
    // rowOf() hands over rows up to the one asked for.
    QCOMPARE(model.rowOf(QStringLiteral("team/repo-0650")), 650);
    QVERIFY(model.rowCount() > 650);
    QCOMPARE(model.rowOf(QStringLiteral("absent")), -1);
}

void ModelsTest::repositoriesTenThousandFilter()
{
    // A registry of 10,000 repositories in pages of 1000: each page must be cheap to append, and a
    // filter over all of them must be fast enough to run on every key stroke.
    RepositoryModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QElapsedTimer timer;
    qint64 slowestPageMs = 0;
    for (int p = 0; p < 10; ++p) {
        QStringList page;
        for (int i = 0; i < 1000; ++i)
            page << QStringLiteral("org%1/service-%2").arg(p).arg(p * 1000 + i, 5, 10, QLatin1Char('0'));
        timer.start();
        model.addRepositories(page);
        slowestPageMs = qMax(slowestPageMs, timer.elapsed());
    }
    QCOMPARE(model.receivedCount(), 10000);
    QCOMPARE(model.rowCount(), RepositoryModel::FetchBatch);

    timer.start();
    model.fetchAll();
    proxy.setFilterFixedString(QStringLiteral("SERVICE-0999"));
    const qint64 filterMs = timer.elapsed();
    QCOMPARE(proxy.rowCount(), 10); // org9/service-09990 … 09999, found among rows not yet shown
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("org9/service-09990"));
    proxy.setFilterFixedString(QString());
    QCOMPARE(proxy.rowCount(), 10000);
    qInfo() << "slowest page append" << slowestPageMs << "ms; filtering 10,000 names" << filterMs << "ms";
    QVERIFY2(slowestPageMs < 100, "appending a page of 1000 repositories blocks the GUI thread");
    QVERIFY2(filterMs < 500, "filtering 10,000 repositories blocks the GUI thread");
}

void ModelsTest::tags()
{
    TagModel model; // no client: details stay "loading…", nothing is requested
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(TagModel::ColumnCount));
    model.addTags({QStringLiteral("1.0"), QStringLiteral("2.0")});
    model.addTags({QStringLiteral("latest")});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(QStringLiteral("latest")), 2);
    QCOMPARE(model.tagAt(1), QStringLiteral("2.0"));
    QCOMPARE(model.index(0, TagModel::TagColumn).data().toString(), QStringLiteral("1.0"));
    QCOMPARE(model.index(0, TagModel::DigestColumn).data(TagModel::DetailsStateRole).toInt(),
             int(TagModel::DetailsState::NotLoaded));
    QCOMPARE(model.headerData(TagModel::CreatedColumn, Qt::Horizontal).toString(), QStringLiteral("Created"));
    // Unknown sizes and dates sort after known ones.
    QCOMPARE(model.index(0, TagModel::CreatedColumn).data(TagModel::SortRole).toLongLong(),
             std::numeric_limits<qint64>::max());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void ModelsTest::layersInterleaveHistory()
{
    const Rebase::ImageData base = image(QStringLiteral("localhost/base:1"), OldBaseLayers, OldBaseHistory);
    LayerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setImage(base.manifest, base.config);
    QVERIFY(model.hasHistory());
    QCOMPARE(model.layerCount(), 3);
    QCOMPARE(model.rowCount(), 5); // 3 layers, ENV between the first two, CMD after the last
    const QList<int> layerIndex{0, -1, 1, 2, -1};
    for (int row = 0; row < 5; ++row) {
        QCOMPARE(model.index(row, 0).data(LayerModel::LayerIndexRole).toInt(), layerIndex.at(row));
        QCOMPARE(model.index(row, 0).data(LayerModel::IsEmptyLayerRole).toBool(), layerIndex.at(row) < 0);
        QCOMPARE(model.index(row, LayerModel::CreatedByColumn).data().toString(), OldBaseHistory.at(row).createdBy);
    }
    const QModelIndex size = model.index(0, LayerModel::SizeColumn);
    QCOMPARE(size.data().toString(), QStringLiteral("203 bytes"));
    QVERIFY(size.data(Qt::ToolTipRole).toString().contains(QStringLiteral("203 bytes")));
    const QModelIndex digest = model.index(2, LayerModel::DigestColumn);
    QCOMPARE(digest.data().toString(), Image::Digest::parse(digestOf(QStringLiteral("old1"))).value().shortString());
    QVERIFY(digest.data(Qt::ToolTipRole).toString().startsWith(digestOf(QStringLiteral("old1")))); // truncated: full in the tooltip
    QCOMPARE(model.index(1, LayerModel::SizeColumn).data(), QVariant()); // no size for an empty entry
}

void ModelsTest::layersWithoutMatchingHistory()
{
    // One non-empty history entry for three layers: the layers are listed alone.
    const Rebase::ImageData odd = image(QStringLiteral("localhost/odd:1"), OldBaseLayers, {{QStringLiteral("ADD rootfs /")}});
    LayerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setImage(odd.manifest, odd.config);
    QVERIFY(!model.hasHistory());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, LayerModel::IndexColumn).data().toInt(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void ModelsTest::stacksSideBySide()
{
    const Rebase::ImageData oldBase = image(QStringLiteral("localhost/base:1"), OldBaseLayers, OldBaseHistory);
    const Rebase::ImageData newBase = image(QStringLiteral("localhost/base:2"), {{QStringLiteral("new0"), 274}},
                                            {{QStringLiteral("COPY rootfs /")}, {QStringLiteral("ENV PATH=/usr/bin"), true}});
    QList<std::pair<QString, qint64>> appLayers = OldBaseLayers;
    appLayers << std::pair{QStringLiteral("app0"), qint64(200)} << std::pair{QStringLiteral("app1"), qint64(174)};
    QList<Step> appHistory = OldBaseHistory;
    appHistory << Step{QStringLiteral("COPY hello /app/bin/")} << Step{QStringLiteral("COPY data.txt /app/share/")}
               << Step{QStringLiteral("ENTRYPOINT [\"/app/bin/hello\"]"), true};
    const Rebase::ImageData app = image(QStringLiteral("localhost/app:1"), appLayers, appHistory);
    const Result<Rebase::Plan> plan = Rebase::planRebase(app, oldBase, newBase);
    QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().toString()));

    StackModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan(plan.value());
    // 3 removed (left only), 1 added (right only), 2 kept (both sides, same rows).
    QCOMPARE(model.rowCount(), 6);
    const int none = -1;
    const int oldOrigin = int(Rebase::Origin::OldBase);
    const int newOrigin = int(Rebase::Origin::NewBase);
    const int appOrigin = int(Rebase::Origin::App);
    const QList<std::pair<int, int>> origins{{oldOrigin, none}, {oldOrigin, none}, {oldOrigin, none},
                                             {none, newOrigin}, {appOrigin, appOrigin}, {appOrigin, appOrigin}};
    const QStringList leftDigests{digestOf(QStringLiteral("old0")), digestOf(QStringLiteral("old1")),
                                  digestOf(QStringLiteral("old2")), QString(), digestOf(QStringLiteral("app0")),
                                  digestOf(QStringLiteral("app1"))};
    const QStringList rightDigests{QString(), QString(), QString(), digestOf(QStringLiteral("new0")),
                                   digestOf(QStringLiteral("app0")), digestOf(QStringLiteral("app1"))};
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(model.index(row, StackModel::LeftLayerColumn).data(StackModel::OriginRole).toInt(), origins.at(row).first);
        QCOMPARE(model.index(row, StackModel::RightLayerColumn).data(StackModel::OriginRole).toInt(), origins.at(row).second);
        QCOMPARE(model.index(row, StackModel::LeftLayerColumn).data(StackModel::DigestRole).toString(), leftDigests.at(row));
        QCOMPARE(model.index(row, StackModel::RightLayerColumn).data(StackModel::DigestRole).toString(), rightDigests.at(row));
    }
    // Origin is never shown by colour alone: text and an icon on every filled side.
    const QModelIndex removed = model.index(0, StackModel::LeftOriginColumn);
    QCOMPARE(removed.data().toString(), QStringLiteral("old base (removed)"));
    QVERIFY(!removed.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(model.index(3, StackModel::RightOriginColumn).data().toString(), QStringLiteral("new base (added)"));
    QCOMPARE(model.index(4, StackModel::RightOriginColumn).data().toString(), QStringLiteral("app (kept)"));
    QCOMPARE(model.index(0, StackModel::ChangeColumn).data().toString(), QStringLiteral("\u2212"));
    QCOMPARE(model.index(3, StackModel::ChangeColumn).data().toString(), QStringLiteral("+"));
    QCOMPARE(model.index(5, StackModel::ChangeColumn).data().toString(), QStringLiteral("="));
    QVERIFY(!model.index(0, StackModel::RightOriginColumn).data().isValid()); // nothing on the right of a removed layer
    // App layers keep their index on the left and move down on the right.
    QCOMPARE(model.index(4, StackModel::LeftIndexColumn).data().toInt(), 3);
    QCOMPARE(model.index(4, StackModel::RightIndexColumn).data().toInt(), 1);
    QCOMPARE(model.index(4, StackModel::LeftCreatedByColumn).data().toString(), QStringLiteral("COPY hello /app/bin/"));
    QCOMPARE(model.index(3, StackModel::RightSizeColumn).data(StackModel::SizeRole).toLongLong(), 274);
    QCOMPARE(StackModel::mirror(StackModel::LeftSizeColumn), int(StackModel::RightSizeColumn));
    QCOMPARE(StackModel::mirror(StackModel::RightOriginColumn), int(StackModel::LeftOriginColumn));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void ModelsTest::registryCredentials()
{
    RegistryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addRegistry({QStringLiteral("Local"), QStringLiteral("localhost:5000"), TlsMode::PlainHttp});
    model.addRegistry({QString(), QStringLiteral("docker.io"), TlsMode::Verify});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.index(0).data(RegistryListModel::CredentialStateRole).toInt(), int(CredentialState::None));
    QVERIFY(model.index(0).data(Qt::DecorationRole).isNull());

    // Compared as the keychain index names registries: case-insensitively, Docker Hub's aliases as one.
    model.setCredentialState(QStringLiteral("LOCALHOST:5000"), CredentialState::Saved, QStringLiteral("alice"));
    model.setCredentialState(QStringLiteral("index.docker.io"), CredentialState::Session, QStringLiteral("bob"));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(model.credentialState(QStringLiteral("localhost:5000")), CredentialState::Saved);
    QCOMPARE(model.index(0).data(RegistryListModel::CredentialStateRole).toInt(), int(CredentialState::Saved));
    QCOMPARE(model.index(0).data(RegistryListModel::CredentialUserRole).toString(), QStringLiteral("alice"));
    QVERIFY(!model.index(0).data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("alice (saved in the keychain)")));
    QVERIFY(model.index(0).data(Qt::AccessibleDescriptionRole).toString().contains(QStringLiteral("saved in the keychain")));
    QCOMPARE(model.index(1).data(RegistryListModel::CredentialStateRole).toInt(), int(CredentialState::Session));
    QVERIFY(model.index(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("bob for this session")));

    // The same state again changes nothing; None forgets the user.
    model.setCredentialState(QStringLiteral("localhost:5000"), CredentialState::Saved, QStringLiteral("alice"));
    QCOMPARE(changed.size(), 2);
    model.setCredentialState(QStringLiteral("localhost:5000"), CredentialState::None, QStringLiteral("alice"));
    QCOMPARE(model.index(0).data(RegistryListModel::CredentialUserRole).toString(), QString());
    // A blank icon keeps the name aligned with docker.io's, which still shows its key.
    QVERIFY(!model.index(0).data(Qt::DecorationRole).isNull());
    model.setCredentialState(QStringLiteral("docker.io"), CredentialState::None);
    QVERIFY(model.index(0).data(Qt::DecorationRole).isNull());
    QVERIFY(model.index(1).data(Qt::DecorationRole).isNull());
    // A registry not (yet) listed keeps its state for when it is.
    model.setCredentialState(QStringLiteral("later.example"), CredentialState::Saved, QStringLiteral("carol"));
    const int row = model.addRegistry({QString(), QStringLiteral("later.example"), TlsMode::Verify});
    QCOMPARE(model.index(row).data(RegistryListModel::CredentialStateRole).toInt(), int(CredentialState::Saved));
}

void ModelsTest::platformPreview()
{
    const Rebase::Plan plan = syntheticPlan();
    Rebase::RebaseOutcome outcome;
    outcome.isIndex = true;
    Rebase::PlatformResult amd64;
    amd64.plan = plan;
    amd64.digest = Image::Digest::of(QByteArrayLiteral("amd64"));
    amd64.oldBaseSource = Rebase::OldBaseSource::Search;
    Rebase::PlatformResult arm64 = amd64;
    arm64.digest = Image::Digest::of(QByteArrayLiteral("arm64"));
    arm64.oldBaseSource = Rebase::OldBaseSource::OsVersionTag;
    outcome.platforms = {amd64, arm64};

    PlatformPreviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(PlatformPreviewModel::ColumnCount));
    model.setOutcome(outcome);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, PlatformPreviewModel::PlatformColumn).data().toString(), QStringLiteral("linux/amd64"));
    QCOMPARE(model.index(0, PlatformPreviewModel::OldBaseColumn).data().toString(), QStringLiteral("localhost/base:1"));
    QCOMPARE(model.index(0, PlatformPreviewModel::FoundByColumn).data().toString(), QStringLiteral("search by layers"));
    QCOMPARE(model.index(1, PlatformPreviewModel::FoundByColumn).data().toString(), QStringLiteral("os.version tag"));
    QCOMPARE(model.index(0, PlatformPreviewModel::LayersColumn).data().toString(), QStringLiteral("\u22123 +1 =1"));
    QCOMPARE(model.index(0, 0).data(PlatformPreviewModel::RemovedRole).toInt(), 3);
    QCOMPARE(model.index(0, 0).data(PlatformPreviewModel::AddedRole).toInt(), 1);
    QCOMPARE(model.index(0, 0).data(PlatformPreviewModel::KeptRole).toInt(), 1);
    QCOMPARE(model.index(1, PlatformPreviewModel::DigestColumn).data().toString(), arm64.digest.shortString());
    QCOMPARE(model.index(1, 0).data(PlatformPreviewModel::DigestRole).toString(), arm64.digest.toString());
    QCOMPARE(model.headerData(PlatformPreviewModel::OldBaseColumn, Qt::Horizontal).toString(), QStringLiteral("Old base"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void ModelsTest::baseCandidates()
{
    const Rebase::Plan plan = syntheticPlan();
    Rebase::BaseCandidate best;
    best.image = plan.oldBase;
    best.tags = {QStringLiteral("10.0.17763.1"), QStringLiteral("1")};
    best.matchedLayers = 3;
    best.osVersionTag = true;
    Rebase::BaseCandidate other;
    other.image = plan.newBase;
    other.image.indexDigest = Image::Digest::of(QByteArrayLiteral("index"));
    other.tags = {QStringLiteral("0.9")};
    other.matchedLayers = 1;

    BaseCandidateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCandidates({best, other}, 4);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, BaseCandidateModel::TagsColumn).data().toString(), QStringLiteral("10.0.17763.1, 1"));
    QCOMPARE(model.index(0, BaseCandidateModel::MatchedColumn).data().toString(), QStringLiteral("3 of 4"));
    QCOMPARE(model.index(0, BaseCandidateModel::RuleColumn).data().toString(), QStringLiteral("os.version tag"));
    QVERIFY(model.index(0, BaseCandidateModel::RuleColumn).data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(model.index(1, BaseCandidateModel::RuleColumn).data().toString(), QStringLiteral("layers"));
    QVERIFY(!model.index(1, BaseCandidateModel::RuleColumn).data(Qt::FontRole).isValid());
    QCOMPARE(model.index(0, 0).data(BaseCandidateModel::ReferenceRole).toString(), QStringLiteral("localhost/base:1"));
    QCOMPARE(model.index(0, 0).data(BaseCandidateModel::PinnedRole).toString(), plan.oldBase.pinned().toString());
    QVERIFY(!model.index(0, 0).data(BaseCandidateModel::IsIndexRole).toBool());
    QVERIFY(model.index(1, 0).data(BaseCandidateModel::IsIndexRole).toBool());
    QVERIFY(model.index(1, BaseCandidateModel::PlatformColumn).data().toString().endsWith(QStringLiteral("(index)")));
    QCOMPARE(model.candidate(1).matchedLayers, 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void ModelsTest::indexEntries()
{
    IndexEntryModel model; // no client at first: rows stay Loading, nothing is requested
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &IndexEntryModel::entriesChanged);
    Index::IndexEntry amd64;
    amd64.image = Image::Reference::parse(QStringLiteral("localhost:5000/app:amd64")).value();
    Index::IndexEntry arm;
    arm.image = Image::Reference::parse(QStringLiteral("localhost:5000/app:arm")).value();
    Image::Platform armPlatform;
    armPlatform.os = QStringLiteral("linux");
    armPlatform.architecture = QStringLiteral("arm");
    armPlatform.variant = QStringLiteral("v7");
    arm.platform = armPlatform;
    QCOMPARE(model.addEntry(amd64), 0);
    QCOMPARE(model.addEntry(arm), 1);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.isLoading());
    QCOMPARE(model.state(0), IndexEntryModel::State::Loading);
    QCOMPARE(model.index(0, IndexEntryModel::ImageColumn).data().toString(), QStringLiteral("localhost:5000/app:amd64"));
    QCOMPARE(model.index(0, IndexEntryModel::StatusColumn).data().toString(), QStringLiteral("Loading…"));
    // Given platform fields are overrides: shown, in bold.
    QCOMPARE(model.index(1, IndexEntryModel::VariantColumn).data().toString(), QStringLiteral("v7"));
    QVERIFY(model.index(1, IndexEntryModel::VariantColumn).data(IndexEntryModel::OverriddenRole).toBool());
    QVERIFY(model.index(1, IndexEntryModel::VariantColumn).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model.flags(model.index(1, IndexEntryModel::OsVersionColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(1, IndexEntryModel::ImageColumn)) & Qt::ItemIsEditable));

    // Editing: os.version and features become overrides; clearing one drops it.
    QVERIFY(model.setData(model.index(0, IndexEntryModel::OsVersionColumn), QStringLiteral(" 10.0.17763.1 ")));
    QVERIFY(model.setData(model.index(0, IndexEntryModel::FeaturesColumn), QStringLiteral("win32k, other")));
    QVERIFY(!model.setData(model.index(0, IndexEntryModel::ImageColumn), QStringLiteral("x")));
    QList<Index::IndexEntry> entries = model.entries();
    QCOMPARE(entries.size(), 2);
    QVERIFY(entries.at(0).platform.has_value());
    QCOMPARE(entries.at(0).platform->osVersion, QStringLiteral("10.0.17763.1"));
    QCOMPARE(entries.at(0).platform->osFeatures, (QStringList{QStringLiteral("win32k"), QStringLiteral("other")}));
    QCOMPARE(model.index(0, IndexEntryModel::FeaturesColumn).data().toString(), QStringLiteral("win32k, other"));
    QVERIFY(model.setData(model.index(0, IndexEntryModel::OsVersionColumn), QString()));
    QVERIFY(model.setData(model.index(0, IndexEntryModel::FeaturesColumn), QString()));
    QVERIFY(!model.entries().at(0).platform.has_value());
    QCOMPARE(model.entries().at(1).platform->variant, QStringLiteral("v7"));
    QVERIFY(!model.hasDuplicates()); // only loaded rows compare

    // With a client on a port nothing listens on, loading fails and says why.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    Registry::ClientOptions options;
    options.maxAttempts = 1;
    options.maxOperationAttempts = 1;
    Registry::Client client(&network, options);
    model.setClient(&client);
    Index::IndexEntry unreachable;
    unreachable.image = Image::Reference::parse(QStringLiteral("127.0.0.1:%1/app:1").arg(port)).value();
    const int row = model.addEntry(unreachable);
    QTRY_COMPARE_WITH_TIMEOUT(model.state(row), IndexEntryModel::State::Failed, 20000);
    QVERIFY(!model.index(row, IndexEntryModel::StatusColumn).data().toString().isEmpty());

    model.removeEntry(0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, IndexEntryModel::ImageColumn).data().toString(), QStringLiteral("localhost:5000/app:arm"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.entries().isEmpty());
}

QTEST_MAIN(ModelsTest)
#include "tst_models.moc"
