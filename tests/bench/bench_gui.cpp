// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Benchmark of restack-gui's browser with a large registry (prints figures; asserts nothing about time).
//
// Seeds a real docker-registry with a repository of 5,001 tags (big/tags: parallel manifest PUTs) and
// 10,000 repositories (team-NN/service-NNNNN, a tagged image each: copies of big/tags:latest in the
// registry's storage). Then shows
// the application's BrowserWidget (restack_ui, offscreen platform, 1400 x 900) and, as a user would:
//   1. opens the registry: time to the first repository rows, and to the whole catalog;
//   2. types "service-042" into the repository filter, key by key: time per key to the filtered rows painted;
//   3. opens big/tags: time to the first tag rows, to all 5,001, and to the visible rows' details;
//   4. types "v49" into the tag filter, key by key.
// Throughout, a 1 ms heartbeat timer on the GUI thread records the longest gap between its ticks: the
// longest time the GUI thread did not answer (target: under 50 ms).

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

#include "benchsupport.h"
#include "browserwidget.h"
#include "rawpusher.h"
#include "registryfixture.h"
#include "repositorymodel.h"
#include "session.h"
#include "tagmodel.h"
#include "tools.h"

using namespace Restack;
using namespace Restack::Bench;
using namespace Restack::Test;

namespace
{

constexpr int Teams = 100;
constexpr int ServicesPerTeam = 100; // 10,000 repositories
constexpr int BigTags = 5000;    // and "latest"

/** A 1 ms timer on the GUI thread: the longest gap between two ticks is the longest stall. */
class Heartbeat
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_timer.start();
    }
    /** Starts a new phase: the longest gap from now on. */
    void reset()
    {
        tick();
        m_longest = 0;
    }
    /** The longest gap since reset(), in ms, counting a gap still open now. */
    double longest()
    {
        tick();
        return m_longest / 1e6;
    }

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_longest = std::max(m_longest, now - m_last);
        m_last = now;
    }
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

/** Runs the event loop until @p done, at most @p timeoutMs; returns the elapsed ms, or -1 on timeout. */
double waitUntil(const std::function<bool()> &done, int timeoutMs = 120000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return -1;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return timer.nsecsElapsed() / 1e6;
}

struct Keystrokes
{
    QList<double> perKeyMs;
    double longestStallMs = 0;
};

/**
 * Types @p text into @p edit one key at a time, from the event loop (as key presses arrive), each followed
 * by a synchronous repaint of @p view: returns each key's time from key press to rows painted.
 */
Keystrokes type(QLineEdit *edit, QAbstractItemView *view, const QString &text, Heartbeat &heartbeat)
{
    Keystrokes result;
    heartbeat.reset();
    for (qsizetype i = 1; i <= text.size(); ++i) {
        bool done = false;
        QTimer::singleShot(0, edit, [&, i] {
            QElapsedTimer timer;
            timer.start();
            edit->setText(text.left(i));
            view->viewport()->repaint();
            result.perKeyMs << timer.nsecsElapsed() / 1e6;
            done = true;
        });
        waitUntil([&] { return done; });
        waitUntil([] { return false; }, 30); // a typist's pause: let the heartbeat see the loop idle
    }
    result.longestStallMs = heartbeat.longest();
    return result;
}

QString keys(const Keystrokes &k)
{
    QStringList s;
    for (double v : k.perKeyMs)
        s << ms(v);
    return s.join(QStringLiteral(", "));
}

double maxOf(const QList<double> &values)
{
    return values.isEmpty() ? 0 : *std::max_element(values.cbegin(), values.cend());
}

} // namespace

int main(int argc, char *argv[])
{
    // No settings of the user's are read or written.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The registry's storage (180,000 files and folders) in memory where possible: seeding and removing it
    // from a disk would take most of a minute.
    if (QFileInfo(QStringLiteral("/dev/shm")).isWritable())
        qputenv("TMPDIR", "/dev/shm");
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("restack-bench"));

    const auto started = startRegistry(QStringLiteral("error"));
    if (!started)
        return 1;
    RegistryFixture &registry = *started;
    const QString host = registry.host();

    // --- seeding: one config blob, mounted into every repository, and an image without layers ------------------
    QElapsedTimer seeding;
    seeding.start();
    RawPusher pusher(host);
    const QByteArray configBytes = RawPusher::json(QJsonObject{
        {QStringLiteral("architecture"), QStringLiteral("amd64")},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("created"), QStringLiteral("2026-01-01T00:00:00Z")},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                               {QStringLiteral("diff_ids"), QJsonArray()}}}});
    const auto configDigest = pusher.pushBlob(QStringLiteral("seed/base"), configBytes);
    if (!configDigest) {
        out() << "bench: seeding failed: " << configDigest.error().toString() << Qt::endl;
        return 1;
    }
    const QString manifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
    const QByteArray manifest = RawPusher::json(QJsonObject{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), manifestType},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.config.v1+json")},
                                               {QStringLiteral("digest"), configDigest.value()},
                                               {QStringLiteral("size"), configBytes.size()}}},
        {QStringLiteral("layers"), QJsonArray()}});
    // big/tags through the registry's API: the config mounted, then 5,000 tags and "latest" PUT in parallel.
    QList<ParallelRequests::Request> requests;
    for (int i = 0; i < BigTags; ++i)
        requests << ParallelRequests::Request{"PUT", QStringLiteral("/v2/big/tags/manifests/v%1").arg(i, 4, 10, QLatin1Char('0')),
                                              manifest, manifestType.toUtf8()};
    requests << ParallelRequests::Request{"PUT", QStringLiteral("/v2/big/tags/manifests/latest"), manifest, manifestType.toUtf8()};
    ParallelRequests parallel(host);
    if (parallel.run({{"POST", QStringLiteral("/v2/big/tags/blobs/uploads/?mount=%1&from=seed/base").arg(configDigest.value()), {}, {}}})
            != 0
        || parallel.run(requests) != 0) {
        out() << "bench: seeding failed" << Qt::endl;
        return 1;
    }
    const double apiSeconds = seeding.elapsed() / 1000.0;
    // The 10,000 repositories: 20,000 more requests would take most of a minute on a 2-core machine, so each
    // is a copy of what the registry itself stored for big/tags:latest (its storage's link files: the config
    // linked, the manifest revision, the tag), written straight into the registry's filesystem storage.
    const QDir storage(registry.storageDir() + QStringLiteral("/docker/registry/v2/repositories"));
    const QString manifestDigest = sha256Digest(manifest);
    const QStringList links{
        QStringLiteral("_layers/sha256/%1/link").arg(configDigest->mid(7)),
        QStringLiteral("_manifests/revisions/sha256/%1/link").arg(manifestDigest.mid(7)),
        QStringLiteral("_manifests/tags/latest/current/link"),
        QStringLiteral("_manifests/tags/latest/index/sha256/%1/link").arg(manifestDigest.mid(7)),
    };
    QMap<QString, QByteArray> linkContents;
    for (const QString &link : links) {
        QFile file(storage.filePath(QStringLiteral("big/tags/") + link));
        if (!file.open(QIODevice::ReadOnly)) {
            out() << "bench: the registry's storage has no " << file.fileName() << Qt::endl;
            return 1;
        }
        linkContents.insert(link, file.readAll());
    }
    QStringList repositories;
    for (int team = 0; team < Teams; ++team) {
        for (int service = 0; service < ServicesPerTeam; ++service)
            repositories << QStringLiteral("team-%1/service-%2")
                                .arg(team, 2, 10, QLatin1Char('0'))
                                .arg(service + team * ServicesPerTeam, 5, 10, QLatin1Char('0'));
    }
    for (const QString &repository : std::as_const(repositories)) {
        for (auto it = linkContents.cbegin(); it != linkContents.cend(); ++it) {
            const QString path = storage.filePath(repository + QLatin1Char('/') + it.key());
            QDir().mkpath(QFileInfo(path).path());
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(it.value()) != it.value().size()) {
                out() << "bench: cannot write " << path << Qt::endl;
                return 1;
            }
        }
    }
    // The registry serves them as it does big/tags.
    if (!pusher.manifest(repositories.last(), QStringLiteral("latest"))) {
        out() << "bench: the registry does not serve the copied repositories" << Qt::endl;
        return 1;
    }
    const double seedSeconds = seeding.elapsed() / 1000.0;
    const qsizetype catalogSize = repositories.size() + 2; // and big/tags, seed/base

    out() << "Restack benchmark: restack-gui's browser with " << catalogSize << " repositories and a " << BigTags + 1
          << "-tag repository\n"
          << "  docker-registry 2.8 on " << host << ", storage in " << QDir::tempPath() << "; seeding took "
          << QString::number(seedSeconds, 'f', 1) << " s (" << requests.size() + 2 << " requests "
          << QString::number(apiSeconds, 'f', 1) << " s); platform " << QApplication::platformName() << "\n\n";

    // --- the application ---------------------------------------------------------------------------------------
    QNetworkAccessManager network;
    Ui::Session session(&network, {});
    Ui::BrowserWidget browser(&session);
    browser.resize(1400, 900);
    browser.show();
    auto *repositoryView = browser.findChild<QListView *>(QStringLiteral("repositoryList"));
    auto *repositoryFilter = browser.findChild<QLineEdit *>(QStringLiteral("repositoryFilter"));
    auto *tagFilter = browser.findChild<QLineEdit *>(QStringLiteral("tagFilter"));
    QTableView *tagView = browser.tagView();
    if (!repositoryView || !repositoryFilter || !tagFilter || !tagView) {
        out() << "bench: the browser's widgets were not found by object name" << Qt::endl;
        return 1;
    }
    Heartbeat heartbeat;
    waitUntil([] { return false; }, 200); // settle: first layout and paint
    QElapsedTimer clock;
    struct Row
    {
        QString what;
        double value;
        QString unit;
    };
    QList<Row> rows;
    double longestOverall = 0;

    // 1. the catalog
    heartbeat.reset();
    clock.start();
    double firstRepositories = -1;
    QObject::connect(repositoryView->model(), &QAbstractItemModel::rowsInserted, &browser, [&] {
        if (firstRepositories < 0)
            firstRepositories = clock.nsecsElapsed() / 1e6;
    });
    browser.open(host);
    const double catalogLoaded = waitUntil([&] {
        return browser.repositoryModel()->state() == Ui::RepositoryModel::State::Loaded
               || browser.repositoryModel()->state() == Ui::RepositoryModel::State::Failed;
    });
    const double catalogStall = heartbeat.longest();
    if (browser.repositoryModel()->state() != Ui::RepositoryModel::State::Loaded
        || browser.repositoryModel()->receivedCount() != catalogSize) {
        out() << "bench: the catalog did not load: " << browser.repositoryModel()->receivedCount() << " repositories"
              << Qt::endl;
        return 1;
    }
    rows << Row{QStringLiteral("catalog: first rows shown"), firstRepositories, QStringLiteral("ms")}
         << Row{QStringLiteral("catalog: all %1 received").arg(catalogSize), catalogLoaded, QStringLiteral("ms")}
         << Row{QStringLiteral("catalog: longest GUI-thread stall"), catalogStall, QStringLiteral("ms")};
    longestOverall = std::max(longestOverall, catalogStall);

    // 2. the repository filter
    const Keystrokes repositoryKeys = type(repositoryFilter, repositoryView, QStringLiteral("service-042"), heartbeat);
    const int filteredRepositories = repositoryView->model()->rowCount();
    rows << Row{QStringLiteral("repository filter \"service-042\": slowest key to rows painted"), maxOf(repositoryKeys.perKeyMs),
                QStringLiteral("ms")}
         << Row{QStringLiteral("repository filter: longest GUI-thread stall"), repositoryKeys.longestStallMs, QStringLiteral("ms")};
    longestOverall = std::max(longestOverall, repositoryKeys.longestStallMs);
    repositoryFilter->clear();

    // 3. the 5,001 tags
    waitUntil([] { return false; }, 50);
    heartbeat.reset();
    clock.restart();
    double firstTags = -1;
    QObject::connect(tagView->model(), &QAbstractItemModel::rowsInserted, &browser, [&] {
        if (firstTags < 0)
            firstTags = clock.nsecsElapsed() / 1e6;
    });
    browser.open(host, QStringLiteral("big/tags"));
    const double tagsLoaded = waitUntil([&] {
        return browser.tagModel()->state() == Ui::TagModel::State::Loaded || browser.tagModel()->state() == Ui::TagModel::State::Failed;
    });
    if (browser.tagModel()->rowCount() != BigTags + 1) {
        out() << "bench: the tags did not load: " << browser.tagModel()->rowCount() << Qt::endl;
        return 1;
    }
    // The details of the rows in view (a manifest and a config request each, at most 4 at a time).
    const double detailsLoaded = waitUntil([&] {
        const int visible = std::max(1, tagView->rowAt(tagView->viewport()->height() - 1) + 1);
        for (int row = 0; row < std::min(visible, tagView->model()->rowCount()); ++row) {
            const auto state = Ui::TagModel::DetailsState(
                tagView->model()->index(row, 0).data(Ui::TagModel::DetailsStateRole).toInt());
            if (state == Ui::TagModel::DetailsState::NotLoaded || state == Ui::TagModel::DetailsState::Loading)
                return false;
        }
        return true;
    });
    const int visibleTags = tagView->rowAt(tagView->viewport()->height() - 1) + 1;
    const double tagStall = heartbeat.longest();
    rows << Row{QStringLiteral("tags: first rows shown"), firstTags, QStringLiteral("ms")}
         << Row{QStringLiteral("tags: all %1 listed").arg(BigTags + 1), tagsLoaded, QStringLiteral("ms")}
         << Row{QStringLiteral("tags: details of the %1 rows in view").arg(visibleTags), detailsLoaded, QStringLiteral("ms")}
         << Row{QStringLiteral("tags: longest GUI-thread stall"), tagStall, QStringLiteral("ms")};
    longestOverall = std::max(longestOverall, tagStall);

    // 4. the tag filter
    const Keystrokes tagKeys = type(tagFilter, tagView, QStringLiteral("v49"), heartbeat);
    const int filteredTags = tagView->model()->rowCount();
    int detailsRequested = 0; // rows whose details were asked for (loading or loaded): the filter should not ask
    for (int row = 0; row < browser.tagModel()->rowCount(); ++row) {
        if (Ui::TagModel::DetailsState(browser.tagModel()->index(row, 0).data(Ui::TagModel::DetailsStateRole).toInt())
            != Ui::TagModel::DetailsState::NotLoaded)
            ++detailsRequested;
    }
    rows << Row{QStringLiteral("tag filter \"v49\": slowest key to rows painted"), maxOf(tagKeys.perKeyMs), QStringLiteral("ms")}
         << Row{QStringLiteral("tag filter: longest GUI-thread stall"), tagKeys.longestStallMs, QStringLiteral("ms")};
    longestOverall = std::max(longestOverall, tagKeys.longestStallMs);

    for (const Row &row : rows)
        out() << "  " << qSetFieldWidth(62) << Qt::left << row.what << qSetFieldWidth(0) << ms(row.value) << ' ' << row.unit << '\n';
    out() << "  per key, repository filter (" << filteredRepositories << " rows left): " << keys(repositoryKeys) << " ms\n";
    out() << "  per key, tag filter (" << filteredTags << " rows left): " << keys(tagKeys) << " ms\n";
    out() << "  tag rows whose details were requested after filtering: " << detailsRequested << " of "
          << browser.tagModel()->rowCount() << " (" << visibleTags << " in view before)\n";
    out() << "\nTargets:\n";
    out() << "  longest GUI-thread stall under 50 ms ......... " << ms(longestOverall) << " ms "
          << (longestOverall < 50 ? "met" : "MISSED") << '\n';
    out().flush();
    return 0;
}
