// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui's main window driven like a user would (objectNames, key clicks, mouse clicks) against
// a real docker-registry seeded with umoci-built images. What the GUI pushes is checked with skopeo and
// umoci (ImageVerifier), never with Restack's own code.
//
// Images: demo/base:1.0 (3 layers, ENV and CMD between), demo/base:2.0 (1 layer), demo/app:1.0 (base 1.0
// + 2 layers), and filler repositories so that the filter has something to filter.

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "browserwidget.h"
#include "imagedetailswidget.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "layermodel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "rebaseworkspace.h"
#include "registryfixture.h"
#include "registrylistmodel.h"
#include "repositorymodel.h"
#include "session.h"
#include "stackmodel.h"
#include "tagmodel.h"
#include "tools.h"
#include "uitest.h"

using namespace Restack;
using namespace Restack::Test;
using Restack::Ui::MainWindow;

namespace
{

constexpr int Timeout = 20000;

const QByteArray Base1OsRelease = QByteArrayLiteral("NAME=\"Demo OS\"\nVERSION=\"1.0\"\n");
const QByteArray Base2OsRelease = QByteArrayLiteral("NAME=\"Demo OS\"\nVERSION=\"2.0\"\n");
const QByteArray HelloScript = QByteArrayLiteral("#!/bin/sh\necho \"hello, $1\"\n");
const QByteArray AppData = QByteArrayLiteral("demo data\n");

} // namespace

class MainWindowTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void browseFilterAndDetails();
    void rebaseAndPush();
    void confirmationWarnsWhenTagMoves();
    void problemsDisablePush();
    void connectionRefusedIsSpecific();
    void registryWithoutCatalog();
    void stateIsRestored();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    /** Clicks the row of @p index in @p view (scrolled into view first). */
    static void clickIndex(QAbstractItemView *view, const QModelIndex &index);
    /** Selects REPOSITORY:TAG in the browser through the filter and the tag table. */
    void selectImage(const QString &repository, const QString &tag);
    template<typename T>
    T *child(const QString &name) const
    {
        return namedChild<T>(m_gui.window.get(), name);
    }

    QTemporaryDir m_settingsDir;
    RegistryFixture m_registry;
    ImageFactory m_factory;
    ImageVerifier m_verifier;
    BuiltImage m_base1;
    BuiltImage m_base2;
    BuiltImage m_app;
    QString m_base1Digest;

    GuiHarness m_gui;
};

void MainWindowTest::initTestCase()
{
    // Settings go to a throwaway directory, never the user's.
    QVERIFY(m_settingsDir.isValid());
    isolateSettings(m_settingsDir.path(), QStringLiteral("ui_mainwindow"));

    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));

    ImageSpec base1;
    base1.addLayer({{QStringLiteral("/etc/os-release"), Base1OsRelease}}, QStringLiteral("COPY os-release /etc/"));
    base1.addEnv({QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin")});
    base1.addLayer({{QStringLiteral("/usr/lib/libdemo.so.1"), QByteArrayLiteral("libdemo 1.0\n")}},
                   QStringLiteral("COPY libdemo.so.1 /usr/lib/"));
    base1.addLayer({{QStringLiteral("/usr/bin/demo-tool"), QByteArrayLiteral("#!/bin/sh\necho tool\n")}},
                   QStringLiteral("COPY demo-tool /usr/bin/"));
    base1.addCmd({QStringLiteral("/usr/bin/demo-tool")});

    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"), Base2OsRelease},
                    {QStringLiteral("/usr/lib/libdemo.so.2"), QByteArrayLiteral("libdemo 2.0\n")}},
                   QStringLiteral("COPY rootfs /"));

    ImageSpec app;
    app.base = QStringLiteral("base1");
    LayerSpec hello;
    hello.files.insert(QStringLiteral("/app/bin/hello"), HelloScript);
    hello.executables << QStringLiteral("/app/bin/hello");
    hello.createdBy = QStringLiteral("COPY hello /app/bin/");
    app.addLayer(hello);
    app.addLayer({{QStringLiteral("/app/share/data.txt"), AppData}}, QStringLiteral("COPY data.txt /app/share/"));
    app.addEntrypoint({QStringLiteral("/app/bin/hello")});
    app.labels.insert(QStringLiteral("org.opencontainers.image.title"), QStringLiteral("demo-app"));

    const auto build = [this](const QString &tag, const ImageSpec &spec, BuiltImage *into) {
        const Result<BuiltImage> built = m_factory.build(tag, spec);
        if (!built)
            qWarning().noquote() << built.error().toString();
        else
            *into = *built;
        return built.ok();
    };
    QVERIFY(build(QStringLiteral("base1"), base1, &m_base1));
    QVERIFY(build(QStringLiteral("base2"), base2, &m_base2));
    QVERIFY(build(QStringLiteral("app"), app, &m_app));
    const QList<std::pair<QString, QString>> pushes{
        {QStringLiteral("base1"), QStringLiteral("demo/base:1.0")}, {QStringLiteral("base2"), QStringLiteral("demo/base:2.0")},
        {QStringLiteral("app"), QStringLiteral("demo/app:1.0")},    {QStringLiteral("base2"), QStringLiteral("filler/alpha:1")},
        {QStringLiteral("base2"), QStringLiteral("filler/beta:1")}, {QStringLiteral("base1"), QStringLiteral("demo/app:moving")},
    };
    for (const auto &[tag, target] : pushes) {
        const Result<QString> digest = m_factory.push(tag, ref(target));
        QVERIFY2(digest.ok(), qPrintable(digest.ok() ? QString() : digest.error().toString()));
        if (target == QLatin1String("demo/base:1.0"))
            m_base1Digest = *digest;
    }
}

void MainWindowTest::init()
{
    QSettings().clear();
    Registry::ClientOptions options;
    options.transferTimeoutMs = 10000;
    QVERIFY(m_gui.start(options));
}

void MainWindowTest::cleanup()
{
    m_gui.stop();
}

void MainWindowTest::clickIndex(QAbstractItemView *view, const QModelIndex &index)
{
    QVERIFY(index.isValid());
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    QVERIFY2(!rect.isEmpty(), "the row is not visible");
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

void MainWindowTest::selectImage(const QString &repository, const QString &tag)
{
    m_gui.window->showPage(0);
    // Find (Ctrl+F) focuses the repository filter.
    QTest::keyClick(m_gui.window.get(), Qt::Key_F, Qt::ControlModifier);
    auto *filter = child<QLineEdit>(QStringLiteral("repositoryFilter"));
    QVERIFY(filter);
    QTRY_VERIFY(filter->hasFocus());
    filter->clear();
    QTest::keyClicks(filter, repository);
    auto *repositories = child<QListView>(QStringLiteral("repositoryList"));
    QTRY_COMPARE_WITH_TIMEOUT(repositories->model()->rowCount(), 1, Timeout);
    QCOMPARE(repositories->model()->index(0, 0).data().toString(), repository);
    clickIndex(repositories, repositories->model()->index(0, 0));
    if (QTest::currentTestFailed())
        return;

    auto *tags = child<QTableView>(QStringLiteral("tagTable"));
    Ui::TagModel *tagModel = m_gui.window->browser()->tagModel();
    QTRY_COMPARE_WITH_TIMEOUT(tagModel->state(), Ui::TagModel::State::Loaded, Timeout);
    QCOMPARE(tagModel->repository().repository(), repository);
    const QModelIndexList match = tags->model()->match(tags->model()->index(0, Ui::TagModel::TagColumn), Qt::DisplayRole,
                                                       tag, 1, Qt::MatchExactly);
    QCOMPARE(match.size(), 1);
    clickIndex(tags, match.first());
    if (QTest::currentTestFailed())
        return;
    Ui::ImageDetailsWidget *details = m_gui.window->browser()->details();
    QCOMPARE(details->reference().toString(), ref(repository + QLatin1Char(':') + tag));
    QTRY_VERIFY_WITH_TIMEOUT(details->isLoaded(), Timeout);
}

void MainWindowTest::browseFilterAndDetails()
{
    // Ctrl+L, type the registry, Enter: it is added to the list (for this session) and listed.
    QTest::keyClick(m_gui.window.get(), Qt::Key_L, Qt::ControlModifier);
    auto *location = child<QLineEdit>(QStringLiteral("location"));
    QTRY_VERIFY(location->hasFocus());
    QTest::keyClicks(location, m_registry.host());
    QTest::keyClick(location, Qt::Key_Return);
    Ui::RegistryListModel *registries = m_gui.session->registries();
    QCOMPARE(registries->rowOf(m_registry.host()), 0);
    QVERIFY(!registries->entry(0).saved);
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Loaded, Timeout);
    QCOMPARE(repositories->receivedCount(), 4); // demo/app, demo/base, filler/alpha, filler/beta
    QTRY_COMPARE(child<QLabel>(QStringLiteral("repositoryStatus"))->text(), QStringLiteral("4 repositories"));

    selectImage(QStringLiteral("demo/app"), QStringLiteral("1.0"));
    if (QTest::currentTestFailed())
        return;

    // The tag's lazily loaded details.
    Ui::TagModel *tags = m_gui.window->browser()->tagModel();
    const int row = tags->rowOf(QStringLiteral("1.0"));
    QTRY_COMPARE_WITH_TIMEOUT(tags->index(row, 0).data(Ui::TagModel::DetailsStateRole).toInt(),
                              int(Ui::TagModel::DetailsState::Loaded), Timeout);
    QCOMPARE(tags->index(row, 0).data(Ui::TagModel::DigestRole).toString(), m_factory.image(QStringLiteral("app"))->manifestDigest);
    qint64 total = 0;
    for (qint64 size : std::as_const(m_app.layerSizes))
        total += size;
    QCOMPARE(tags->index(row, Ui::TagModel::SizeColumn).data(Ui::TagModel::SortRole).toLongLong(), total);
    QCOMPARE(tags->index(row, Ui::TagModel::PlatformsColumn).data().toString(), QStringLiteral("linux/amd64"));
    QVERIFY(tags->index(row, Ui::TagModel::CreatedColumn).data().isValid());

    // The layer table: 5 layers with the history's empty entries between them.
    Ui::ImageDetailsWidget *details = m_gui.window->browser()->details();
    Ui::LayerModel *layers = details->layerModel();
    QCOMPARE(layers->layerCount(), 5);
    QCOMPARE(layers->rowCount(), m_app.history.size());
    QStringList shownLayers;
    for (int r = 0; r < layers->rowCount(); ++r) {
        const QModelIndex index = layers->index(r, 0);
        QCOMPARE(index.data(Ui::LayerModel::IsEmptyLayerRole).toBool(),
                 m_app.history.at(r).toObject().value(QStringLiteral("empty_layer")).toBool());
        if (!index.data(Ui::LayerModel::IsEmptyLayerRole).toBool())
            shownLayers << index.data(Ui::LayerModel::DigestRole).toString();
    }
    QCOMPARE(shownLayers, m_app.layerDigests);
    QCOMPARE(child<QLabel>(QStringLiteral("configEntrypoint"))->text(), QStringLiteral("[\"/app/bin/hello\"]"));
    QVERIFY(child<QLabel>(QStringLiteral("configLabels"))->text().contains(QStringLiteral("org.opencontainers.image.title=demo-app")));
    QCOMPARE(child<QLabel>(QStringLiteral("configPlatform"))->text(), QStringLiteral("linux/amd64"));

    // Copy buttons: REPOSITORY@DIGEST and a pull command.
    QTest::mouseClick(child<QPushButton>(QStringLiteral("copyReference")), Qt::LeftButton);
    const QString pinned = ref(QStringLiteral("demo/app@")) + m_factory.image(QStringLiteral("app"))->manifestDigest;
    QCOMPARE(QApplication::clipboard()->text(), pinned);
    QTest::mouseClick(child<QPushButton>(QStringLiteral("copyPullCommand")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("docker pull ") + pinned);
    // Copy (Ctrl+C) in the tag table copies the same reference.
    QApplication::clipboard()->clear();
    auto *tagView = child<QTableView>(QStringLiteral("tagTable"));
    tagView->setFocus();
    QTest::keyClick(tagView, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), pinned);

    // Refresh (F5) lists everything again and keeps the selection.
    QSignalSpy states(repositories, &Ui::RepositoryModel::stateChanged);
    QTest::keyClick(m_gui.window.get(), Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Loaded, Timeout);
    QCOMPARE(states.size(), 2);
    QCOMPARE(states.first().first().value<Ui::RepositoryModel::State>(), Ui::RepositoryModel::State::Loading);
    QTRY_COMPARE_WITH_TIMEOUT(tagView->currentIndex().data(Ui::TagModel::TagRole).toString(), QStringLiteral("1.0"), Timeout);
    QCOMPARE(details->reference().toString(), ref(QStringLiteral("demo/app:1.0")));
}

void MainWindowTest::stateIsRestored()
{
    // Window geometry, the open page and splitter positions survive a restart.
    m_gui.window->browser()->splitter()->setSizes({300, 450, 650});
    m_gui.window->showPage(1);
    const QList<int> sizes = m_gui.window->browser()->splitter()->sizes();
    const QList<int> rebaseSizes = m_gui.window->workspace()->splitter()->sizes();
    QVERIFY(m_gui.window->close());
    m_gui.window = std::make_unique<MainWindow>(m_gui.session.get());
    m_gui.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_gui.window.get()));
    QCOMPARE(m_gui.window->size(), QSize(1400, 900));
    QCOMPARE(m_gui.window->tabs()->currentIndex(), 1);
    QTRY_COMPARE(m_gui.window->workspace()->splitter()->sizes(), rebaseSizes);
    m_gui.window->showPage(0); // the hidden page's splitter is restored once it has its size
    QTRY_COMPARE(m_gui.window->browser()->splitter()->sizes(), sizes);
}

void MainWindowTest::rebaseAndPush()
{
    QVERIFY(m_gui.window->openLocation(m_registry.host()));
    // The app as source: "Rebase This Image…" switches to the workspace.
    selectImage(QStringLiteral("demo/app"), QStringLiteral("1.0"));
    if (QTest::currentTestFailed())
        return;
    QTest::mouseClick(child<QPushButton>(QStringLiteral("rebaseThisImage")), Qt::LeftButton);
    QCOMPARE(m_gui.window->tabs()->currentWidget(), m_gui.window->workspace());
    QCOMPARE(child<QLineEdit>(QStringLiteral("rebaseSource"))->text(), ref(QStringLiteral("demo/app:1.0")));

    // Both bases chosen in the browser.
    selectImage(QStringLiteral("demo/base"), QStringLiteral("1.0"));
    if (QTest::currentTestFailed())
        return;
    QTest::mouseClick(child<QPushButton>(QStringLiteral("useAsOldBase")), Qt::LeftButton);
    selectImage(QStringLiteral("demo/base"), QStringLiteral("2.0"));
    if (QTest::currentTestFailed())
        return;
    QTest::mouseClick(child<QPushButton>(QStringLiteral("useAsNewBase")), Qt::LeftButton);
    m_gui.window->showPage(1);
    QCOMPARE(child<QLineEdit>(QStringLiteral("rebaseOldBase"))->text(), ref(QStringLiteral("demo/base:1.0")));
    QCOMPARE(child<QLineEdit>(QStringLiteral("rebaseNewBase"))->text(), ref(QStringLiteral("demo/base:2.0")));
    // The target is suggested; the user types another.
    auto *target = child<QLineEdit>(QStringLiteral("rebaseTarget"));
    QCOMPARE(target->text(), ref(QStringLiteral("demo/app:1.0-base2.0")));
    target->selectAll();
    QTest::keyClicks(target, ref(QStringLiteral("demo/app:gui")));

    // The preview: core's dry run, both stacks side by side.
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    QTRY_VERIFY_WITH_TIMEOUT(workspace->preview().has_value() && !workspace->isBusy(), Timeout);
    QVERIFY(!workspace->problem());
    Ui::StackModel *stacks = workspace->stackModel();
    QCOMPARE(stacks->rowCount(), 6);
    const auto side = [stacks](int row, int column, int role) { return stacks->index(row, column).data(role); };
    for (int r = 0; r < 3; ++r) {
        QCOMPARE(side(r, Ui::StackModel::LeftLayerColumn, Ui::StackModel::OriginRole).toInt(), int(Rebase::Origin::OldBase));
        QCOMPARE(side(r, Ui::StackModel::RightLayerColumn, Ui::StackModel::OriginRole).toInt(), -1);
        QCOMPARE(side(r, Ui::StackModel::LeftLayerColumn, Ui::StackModel::DigestRole).toString(), m_base1.layerDigests.at(r));
    }
    QCOMPARE(side(3, Ui::StackModel::LeftLayerColumn, Ui::StackModel::OriginRole).toInt(), -1);
    QCOMPARE(side(3, Ui::StackModel::RightLayerColumn, Ui::StackModel::OriginRole).toInt(), int(Rebase::Origin::NewBase));
    QCOMPARE(side(3, Ui::StackModel::RightLayerColumn, Ui::StackModel::DigestRole).toString(), m_base2.layerDigests.at(0));
    for (int r = 4; r < 6; ++r) {
        QCOMPARE(side(r, Ui::StackModel::LeftLayerColumn, Ui::StackModel::OriginRole).toInt(), int(Rebase::Origin::App));
        QCOMPARE(side(r, Ui::StackModel::RightLayerColumn, Ui::StackModel::OriginRole).toInt(), int(Rebase::Origin::App));
        QCOMPARE(side(r, Ui::StackModel::LeftLayerColumn, Ui::StackModel::DigestRole).toString(), m_app.layerDigests.at(r - 1));
        QCOMPARE(side(r, Ui::StackModel::RightLayerColumn, Ui::StackModel::DigestRole).toString(), m_app.layerDigests.at(r - 1));
    }
    QVERIFY(child<QLabel>(QStringLiteral("rebaseTotals"))->text().startsWith(QStringLiteral("Removes 3 old base layers")));
    const QString predicted = workspace->preview()->digest.toString();
    QVERIFY(child<QLabel>(QStringLiteral("predictedDigest"))->text().contains(predicted));

    // Push: confirm (a window-modal box, answered like a user), then the result.
    auto *push = child<QPushButton>(QStringLiteral("rebaseAndPush"));
    QTRY_VERIFY(push->isEnabled());
    QTest::mouseClick(push, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleMessageBox(QStringLiteral("confirmPush"))) != nullptr);
    QVERIFY(box->text().contains(ref(QStringLiteral("demo/app:gui"))));
    QVERIFY(!box->informativeText().contains(QStringLiteral("exists"))); // a new tag: nothing moves
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmPushButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(workspace->pushResult().has_value(), Timeout);
    QCOMPARE(workspace->pushResult()->digest.toString(), predicted);
    QVERIFY(child<QLabel>(QStringLiteral("pushResult"))->text().contains(predicted));
    QVERIFY(child<QWidget>(QStringLiteral("pushResultPanel"))->isVisible());

    // The browser selects the new tag.
    QTRY_COMPARE_WITH_TIMEOUT(m_gui.window->browser()->currentImage().toString(), ref(QStringLiteral("demo/app:gui")), Timeout);
    auto *tagView = child<QTableView>(QStringLiteral("tagTable"));
    QTRY_COMPARE_WITH_TIMEOUT(tagView->currentIndex().data(Ui::TagModel::TagRole).toString(), QStringLiteral("gui"), Timeout);

    // What the registry now serves, checked with skopeo and umoci.
    const Result<VerifiedImage> verified = m_verifier.verify(ref(QStringLiteral("demo/app:gui")));
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
    QCOMPARE(verified->manifestDigest, predicted);
    QCOMPARE(verified->layerDigests, QStringList() << m_base2.layerDigests << m_app.layerDigests.mid(3));
    const Result<Rootfs> rootfs = m_verifier.unpack(*verified);
    QVERIFY2(rootfs.ok(), qPrintable(rootfs.ok() ? QString() : rootfs.error().toString()));
    QCOMPARE(rootfs->fileContents(QStringLiteral("/etc/os-release")), Base2OsRelease);
    QCOMPARE(rootfs->fileContents(QStringLiteral("/app/bin/hello")), HelloScript);
    QVERIFY(rootfs->isExecutable(QStringLiteral("/app/bin/hello")));
    QCOMPARE(rootfs->fileContents(QStringLiteral("/app/share/data.txt")), AppData);
    QVERIFY(!rootfs->fileExists(QStringLiteral("/usr/bin/demo-tool")));
    QVERIFY(!rootfs->fileExists(QStringLiteral("/usr/lib/libdemo.so.1")));
}

void MainWindowTest::confirmationWarnsWhenTagMoves()
{
    // demo/app:moving holds base 1.0: pushing there moves the tag. The user cancels.
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(Image::Reference::parse(ref(QStringLiteral("demo/app:1.0"))).value());
    workspace->setNewBase(Image::Reference::parse(ref(QStringLiteral("demo/base:2.0"))).value());
    workspace->setTarget(ref(QStringLiteral("demo/app:moving")));
    // The old base is left empty and the source has no base annotations: the dry run finds it in the
    // new base's repository and the field shows it.
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && (workspace->preview() || workspace->problem()), Timeout);
    QVERIFY2(workspace->preview(), qPrintable(workspace->problem() ? workspace->problem()->toString() : QString()));
    QCOMPARE(child<QLineEdit>(QStringLiteral("rebaseOldBase"))->text().section(QLatin1Char('@'), 0, 0),
             ref(QStringLiteral("demo/base:1.0")));
    QVERIFY(!child<QLabel>(QStringLiteral("oldBaseNote"))->text().isEmpty());

    QTest::mouseClick(child<QPushButton>(QStringLiteral("rebaseAndPush")), Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleMessageBox(QStringLiteral("confirmPush"))) != nullptr);
    QCOMPARE(box->icon(), QMessageBox::Warning);
    QVERIFY2(box->informativeText().contains(QStringLiteral("exists and points at %1").arg(m_base1Digest.left(19))),
             qPrintable(box->informativeText()));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!visibleMessageBox(QStringLiteral("confirmPush")));
    QVERIFY(!workspace->isBusy());
    QVERIFY(!workspace->pushResult());
    const Result<QByteArray> manifest = m_verifier.rawManifest(ref(QStringLiteral("demo/app:moving")));
    QVERIFY(manifest.ok());
    QCOMPARE(sha256Digest(*manifest), m_base1Digest); // untouched
}

void MainWindowTest::problemsDisablePush()
{
    // The new base is not what the app was built on: the preview says so inline and pushing is disabled.
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(Image::Reference::parse(ref(QStringLiteral("demo/app:1.0"))).value());
    workspace->setOldBase(Image::Reference::parse(ref(QStringLiteral("demo/base:2.0"))).value());
    workspace->setNewBase(Image::Reference::parse(ref(QStringLiteral("demo/base:2.0"))).value());
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && workspace->problem().has_value(), Timeout);
    QCOMPARE(workspace->problem()->kind, Error::Kind::NotPrefix);
    auto *problems = child<Ui::MessageBanner>(QStringLiteral("rebaseProblems"));
    QVERIFY(problems->isVisible());
    QVERIFY2(problems->text().contains(QStringLiteral("prefix")), qPrintable(problems->text()));
    QVERIFY(!child<QPushButton>(QStringLiteral("rebaseAndPush"))->isEnabled());
    QCOMPARE(workspace->stackModel()->rowCount(), 0);
    QVERIFY(!QApplication::activeModalWidget());

    // Fixing the old base clears the problem.
    workspace->setOldBase(Image::Reference::parse(ref(QStringLiteral("demo/base:1.0"))).value());
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && workspace->preview().has_value(), Timeout);
    QVERIFY(!problems->isVisible());
    QVERIFY(child<QPushButton>(QStringLiteral("rebaseAndPush"))->isEnabled());
}

void MainWindowTest::connectionRefusedIsSpecific()
{
    // A port nothing listens on (the fixture's port + 1 is not guaranteed free: find a closed one).
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString host = QStringLiteral("127.0.0.1:%1").arg(port);
    QVERIFY(m_gui.window->openLocation(host));
    Ui::MessageBanner *banner = m_gui.window->banner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), Timeout);
    QCOMPARE(banner->level(), Ui::MessageBanner::Level::Error);
    const QString text = banner->text();
    QVERIFY2(text.contains(QStringLiteral("Listing the repositories of %1").arg(host)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("What to do: Nothing answered at this address")), qPrintable(text));
    QVERIFY(!QApplication::activeModalWidget()); // non-modal
    QCOMPARE(m_gui.window->browser()->repositoryModel()->state(), Ui::RepositoryModel::State::Failed);
}

void MainWindowTest::registryWithoutCatalog()
{
    // A registry that wants a password answers the catalog with 401: the window offers to log in, or the user
    // types a repository instead.
    RegistryOptions options;
    options.htpasswdUsers.insert(QStringLiteral("alice"), QStringLiteral("secret"));
    RegistryFixture locked(options);
    QString error;
    QVERIFY2(locked.start(&error), qPrintable(error));
    QVERIFY(m_gui.window->openLocation(locked.host()));
    Ui::RepositoryModel *repositories = m_gui.window->browser()->repositoryModel();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->state(), Ui::RepositoryModel::State::Unavailable, Timeout);
    const QString status = child<QLabel>(QStringLiteral("repositoryStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral("only to users who log in (HTTP 401)")), qPrintable(status));
    QTRY_VERIFY(m_gui.window->banner()->isVisible());
    QCOMPARE(m_gui.window->banner()->actionText(), QStringLiteral("Log In…"));
    auto *name = child<QLineEdit>(QStringLiteral("repositoryName"));
    QTRY_VERIFY(name->hasFocus());
    QTest::keyClicks(name, QStringLiteral("demo/app"));
    QTest::keyClick(name, Qt::Key_Return);
    Ui::TagModel *tags = m_gui.window->browser()->tagModel();
    QCOMPARE(tags->repository().repository(), QStringLiteral("demo/app"));
    // Listing its tags needs the password too: a specific, non-modal message.
    QTRY_COMPARE_WITH_TIMEOUT(tags->state(), Ui::TagModel::State::Failed, Timeout);
    const QString text = m_gui.window->banner()->text();
    QVERIFY2(text.contains(QStringLiteral("Registry answered: HTTP 401")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("wants credentials")), qPrintable(text));
}

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
