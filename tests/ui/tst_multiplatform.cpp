// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// restack-gui with multi-platform images, against a real docker-registry. Images are built per
// architecture with umoci (ImageFactory) and joined into OCI indexes here (RawPusher), as the CLI's
// multi-platform test does:
// - the browser's platform chooser on an index tag;
// - an index source in the rebase workspace: one row per platform, each platform's stacks with the
//   right origins, the old base found per platform when left empty, and "Rebase and Push" writing the
//   whole index, checked with skopeo and umoci (ImageVerifier) child by child;
// - the index composer: two single-platform images from different repositories (one platform field
//   edited) pushed as an OCI index under a tag and an extra tag, every descriptor checked against what
//   skopeo reads; two images of one platform refused with core's message; a manifest-tool spec loaded.

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "browserwidget.h"
#include "imagedetailswidget.h"
#include "imagefactory.h"
#include "imageverifier.h"
#include "indexcomposer.h"
#include "indexentrymodel.h"
#include "layermodel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "platformpreviewmodel.h"
#include "rawpusher.h"
#include "rebaseworkspace.h"
#include "registryfixture.h"
#include "session.h"
#include "stackmodel.h"
#include "tools.h"
#include "uitest.h"

using namespace Restack;
using namespace Restack::Test;
using Ui::StackModel;

namespace
{

constexpr int Timeout = 30000;
const QString OciIndex = QStringLiteral("application/vnd.oci.image.index.v1+json");
const QString OciManifest = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
const QStringList Arches{QStringLiteral("amd64"), QStringLiteral("arm64")};

QJsonObject platformJson(const QString &architecture, const QString &variant = {})
{
    QJsonObject p{{QStringLiteral("os"), QStringLiteral("linux")}, {QStringLiteral("architecture"), architecture}};
    if (!variant.isEmpty())
        p.insert(QStringLiteral("variant"), variant);
    return p;
}

} // namespace

class MultiPlatformUiTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void browserPlatformChooser();
    void indexSourcePreviewAndPush();
    void indexSourceFindsOldBasePerPlatform();
    void composerPushesAnIndex();
    void composerRefusesDuplicatePlatforms();
    void composerLoadsSpec();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    Image::Reference reference(const QString &path) const { return Image::Reference::parse(ref(path)).value(); }
    QJsonObject childDescriptor(const QString &factoryTag, const QString &architecture) const;
    QString pushIndex(const QString &repository, const QString &tag, const QJsonArray &children);
    /** Types @p text into the composer's reference field and presses Enter. */
    void addToComposer(const QString &text);
    template<typename T>
    T *child(const QString &name) const
    {
        return namedChild<T>(m_gui.window.get(), name);
    }

    QTemporaryDir m_settingsDir;
    RegistryFixture m_registry;
    ImageFactory m_factory;
    ImageVerifier m_verifier;
    std::unique_ptr<RawPusher> m_pusher;
    GuiHarness m_gui;
};

QJsonObject MultiPlatformUiTest::childDescriptor(const QString &factoryTag, const QString &architecture) const
{
    const auto image = m_factory.image(factoryTag);
    return {{QStringLiteral("mediaType"), OciManifest},
            {QStringLiteral("digest"), image->manifestDigest},
            {QStringLiteral("size"), image->manifest.size()},
            {QStringLiteral("platform"), platformJson(architecture)}};
}

QString MultiPlatformUiTest::pushIndex(const QString &repository, const QString &tag, const QJsonArray &children)
{
    const QJsonObject index{{QStringLiteral("schemaVersion"), 2},
                            {QStringLiteral("mediaType"), OciIndex},
                            {QStringLiteral("manifests"), children}};
    const auto digest = m_pusher->pushManifest(repository, tag, RawPusher::json(index), OciIndex);
    return digest.ok() ? *digest : QString();
}

void MultiPlatformUiTest::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    isolateSettings(m_settingsDir.path(), QStringLiteral("ui_multiplatform"));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    m_pusher = std::make_unique<RawPusher>(m_registry.host());

    QJsonArray base1Children, base2Children, appChildren;
    for (const QString &arch : Arches) {
        ImageSpec base1;
        base1.architecture = arch;
        base1.addLayer({{QStringLiteral("/etc/os-release"), QStringLiteral("Demo OS 1.0 (%1)\n").arg(arch).toUtf8()}},
                       QStringLiteral("COPY os-release /etc/"));
        base1.addLayer({{QStringLiteral("/usr/lib/libold-%1.so").arg(arch), QByteArrayLiteral("old\n")}},
                       QStringLiteral("COPY libold /usr/lib/"));
        ImageSpec base2;
        base2.architecture = arch;
        base2.addLayer({{QStringLiteral("/etc/os-release"), QStringLiteral("Demo OS 2.0 (%1)\n").arg(arch).toUtf8()}},
                       QStringLiteral("COPY rootfs /"));
        ImageSpec app;
        app.base = QStringLiteral("base1-") + arch;
        app.architecture = arch;
        app.addLayer({{QStringLiteral("/app/") + arch, QByteArrayLiteral("app binary\n")}}, QStringLiteral("COPY app /app/"));
        const QList<std::tuple<QString, ImageSpec, QString>> builds{
            {QStringLiteral("base1-") + arch, base1, QStringLiteral("multi/base:1.0-") + arch},
            {QStringLiteral("base2-") + arch, base2, QStringLiteral("multi/base:2.0-") + arch},
            {QStringLiteral("app-") + arch, app, QStringLiteral("multi/app:1.0-") + arch}};
        for (const auto &[tag, spec, target] : builds) {
            const auto pushed = m_factory.buildAndPush(tag, spec, ref(target));
            QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
        }
        base1Children.append(childDescriptor(QStringLiteral("base1-") + arch, arch));
        base2Children.append(childDescriptor(QStringLiteral("base2-") + arch, arch));
        appChildren.append(childDescriptor(QStringLiteral("app-") + arch, arch));
    }
    QVERIFY(!pushIndex(QStringLiteral("multi/base"), QStringLiteral("1.0"), base1Children).isEmpty());
    QVERIFY(!pushIndex(QStringLiteral("multi/base"), QStringLiteral("2.0"), base2Children).isEmpty());
    QVERIFY(!pushIndex(QStringLiteral("multi/app"), QStringLiteral("1.0"), appChildren).isEmpty());
    // The composer's images: the same app images in two other repositories.
    QVERIFY(m_factory.push(QStringLiteral("app-amd64"), ref(QStringLiteral("one/app:amd64"))).ok());
    QVERIFY(m_factory.push(QStringLiteral("app-arm64"), ref(QStringLiteral("two/app:arm64"))).ok());
}

void MultiPlatformUiTest::init()
{
    QSettings().clear();
    Registry::ClientOptions options;
    options.transferTimeoutMs = 10000;
    QVERIFY(m_gui.start(options));
}

void MultiPlatformUiTest::cleanup()
{
    m_gui.stop();
}

void MultiPlatformUiTest::browserPlatformChooser()
{
    QVERIFY(m_gui.window->openLocation(ref(QStringLiteral("multi/app:1.0"))));
    Ui::ImageDetailsWidget *details = m_gui.window->browser()->details();
    QTRY_VERIFY_WITH_TIMEOUT(details->isLoaded(), Timeout);
    auto *chooser = child<QComboBox>(QStringLiteral("platformChooser"));
    QVERIFY(chooser->isVisible());
    QCOMPARE(chooser->count(), 2);
    QCOMPARE(chooser->itemText(0), QStringLiteral("linux/amd64"));
    QCOMPARE(chooser->itemText(1), QStringLiteral("linux/arm64"));
    QCOMPARE(child<QLabel>(QStringLiteral("configPlatform"))->text(), QStringLiteral("linux/amd64"));
    QSignalSpy loaded(details, &Ui::ImageDetailsWidget::imageLoaded);
    chooser->setFocus();
    QTest::keyClick(chooser, Qt::Key_Down); // activates the next platform
    QVERIFY(loaded.wait(Timeout));
    QCOMPARE(child<QLabel>(QStringLiteral("configPlatform"))->text(), QStringLiteral("linux/arm64"));
    QCOMPARE(details->layerModel()->layerCount(), 3);
}

void MultiPlatformUiTest::indexSourcePreviewAndPush()
{
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(reference(QStringLiteral("multi/app:1.0")));
    workspace->setOldBase(reference(QStringLiteral("multi/base:1.0")));
    workspace->setNewBase(reference(QStringLiteral("multi/base:2.0")));
    workspace->setTarget(ref(QStringLiteral("multi/app:gui-rebased")));
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && (workspace->preview() || workspace->problem()), Timeout);
    QVERIFY2(workspace->preview(), qPrintable(workspace->problem() ? workspace->problem()->toString() : QString()));
    QVERIFY(workspace->preview()->isIndex);

    // One row per platform, each with its own stacks.
    Ui::PlatformPreviewModel *platforms = workspace->platformModel();
    QTableView *platformView = workspace->platformView();
    QVERIFY(platformView->isVisible());
    QCOMPARE(platforms->rowCount(), 2);
    Ui::StackModel *stacks = workspace->stackModel();
    for (int row = 0; row < 2; ++row) {
        const QString arch = Arches.at(row);
        QCOMPARE(platforms->index(row, 0).data(Ui::PlatformPreviewModel::PlatformRole).toString(), QStringLiteral("linux/") + arch);
        QCOMPARE(platforms->index(row, 0).data(Ui::PlatformPreviewModel::RemovedRole).toInt(), 2);
        QCOMPARE(platforms->index(row, 0).data(Ui::PlatformPreviewModel::AddedRole).toInt(), 1);
        QCOMPARE(platforms->index(row, 0).data(Ui::PlatformPreviewModel::KeptRole).toInt(), 1);
        QCOMPARE(platforms->index(row, Ui::PlatformPreviewModel::FoundByColumn).data().toString(), QStringLiteral("given"));
        // Selecting the row (a click, like a user) shows this platform's stacks.
        const QRect rect = platformView->visualRect(platforms->index(row, Ui::PlatformPreviewModel::PlatformColumn));
        QTest::mouseClick(platformView->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(platformView->currentIndex().row(), row);
        const auto base1 = m_factory.image(QStringLiteral("base1-") + arch);
        const auto base2 = m_factory.image(QStringLiteral("base2-") + arch);
        const auto app = m_factory.image(QStringLiteral("app-") + arch);
        QCOMPARE(stacks->rowCount(), 4); // 2 removed, 1 added, 1 kept
        const auto side = [stacks](int r, int column, int role) { return stacks->index(r, column).data(role); };
        for (int r = 0; r < 2; ++r) {
            QCOMPARE(side(r, StackModel::LeftLayerColumn, StackModel::OriginRole).toInt(), int(Rebase::Origin::OldBase));
            QCOMPARE(side(r, StackModel::RightLayerColumn, StackModel::OriginRole).toInt(), -1);
            QCOMPARE(side(r, StackModel::LeftLayerColumn, StackModel::DigestRole).toString(), base1->layerDigests.at(r));
        }
        QCOMPARE(side(2, StackModel::LeftLayerColumn, StackModel::OriginRole).toInt(), -1);
        QCOMPARE(side(2, StackModel::RightLayerColumn, StackModel::OriginRole).toInt(), int(Rebase::Origin::NewBase));
        QCOMPARE(side(2, StackModel::RightLayerColumn, StackModel::DigestRole).toString(), base2->layerDigests.at(0));
        QCOMPARE(side(3, StackModel::LeftLayerColumn, StackModel::OriginRole).toInt(), int(Rebase::Origin::App));
        QCOMPARE(side(3, StackModel::RightLayerColumn, StackModel::OriginRole).toInt(), int(Rebase::Origin::App));
        QCOMPARE(side(3, StackModel::RightLayerColumn, StackModel::DigestRole).toString(), app->layerDigests.last());
        QVERIFY(child<QLabel>(QStringLiteral("sourceStackTitle"))->text().contains(QStringLiteral("linux/") + arch));
        QCOMPARE(workspace->preview()->platforms.at(row).digest.toString(),
                 platforms->index(row, 0).data(Ui::PlatformPreviewModel::DigestRole).toString());
    }
    const QString predicted = workspace->preview()->digest.toString();

    // Push the whole index.
    QTest::mouseClick(child<QPushButton>(QStringLiteral("rebaseAndPush")), Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleMessageBox(QStringLiteral("confirmPush"))) != nullptr);
    QVERIFY2(box->text().contains(QStringLiteral("2 platforms")), qPrintable(box->text()));
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmPushButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(workspace->pushResult().has_value(), Timeout);
    QCOMPARE(workspace->pushResult()->digest.toString(), predicted);
    QVERIFY(child<QLabel>(QStringLiteral("pushResult"))->text().contains(QStringLiteral("an index of 2 platforms")));

    // What the registry serves, read with skopeo: an index of both platforms, each child rebased.
    const auto raw = m_verifier.rawManifest(ref(QStringLiteral("multi/app:gui-rebased")));
    QVERIFY2(raw.ok(), qPrintable(raw.ok() ? QString() : raw.error().toString()));
    QCOMPARE(sha256Digest(*raw), predicted);
    const QJsonObject index = QJsonDocument::fromJson(*raw).object();
    QCOMPARE(index.value(QLatin1String("mediaType")).toString(), OciIndex);
    const QJsonArray manifests = index.value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QString arch = Arches.at(i);
        const QJsonObject descriptor = manifests.at(i).toObject();
        QCOMPARE(descriptor.value(QLatin1String("platform")).toObject(), platformJson(arch));
        const QString childRef = ref(QStringLiteral("multi/app@")) + descriptor.value(QLatin1String("digest")).toString();
        const auto verified = m_verifier.verify(childRef);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
        QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
        QCOMPARE(verified->manifestDigest, workspace->pushResult()->platforms.at(i).digest.toString());
        QCOMPARE(descriptor.value(QLatin1String("size")).toInteger(), verified->manifest.size());
        QCOMPARE(verified->layerDigests, (QStringList{m_factory.image(QStringLiteral("base2-") + arch)->layerDigests.first(),
                                                      m_factory.image(QStringLiteral("app-") + arch)->layerDigests.last()}));
        QCOMPARE(verified->configJson.value(QLatin1String("architecture")).toString(), arch);
        const auto rootfs = m_verifier.unpack(*verified);
        QVERIFY(rootfs.ok());
        QCOMPARE(rootfs->fileContents(QStringLiteral("/etc/os-release")), QStringLiteral("Demo OS 2.0 (%1)\n").arg(arch).toUtf8());
        QVERIFY(rootfs->fileExists(QStringLiteral("/app/") + arch));
        QVERIFY(!rootfs->fileExists(QStringLiteral("/usr/lib/libold-%1.so").arg(arch)));
    }
}

void MultiPlatformUiTest::indexSourceFindsOldBasePerPlatform()
{
    // No old base: each platform finds its own by searching the new base's repository.
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(reference(QStringLiteral("multi/app:1.0")));
    workspace->setNewBase(reference(QStringLiteral("multi/base:2.0")));
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && (workspace->preview() || workspace->problem()), Timeout);
    QVERIFY2(workspace->preview(), qPrintable(workspace->problem() ? workspace->problem()->toString() : QString()));
    Ui::PlatformPreviewModel *platforms = workspace->platformModel();
    QCOMPARE(platforms->rowCount(), 2);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(platforms->index(row, Ui::PlatformPreviewModel::FoundByColumn).data().toString(), QStringLiteral("search by layers"));
        const auto oldBase = Image::Reference::parse(platforms->index(row, 0).data(Ui::PlatformPreviewModel::OldBaseRole).toString());
        QVERIFY(oldBase.ok());
        QCOMPARE(oldBase->repository(), QStringLiteral("multi/base"));
        QCOMPARE(workspace->preview()->platforms.at(row).plan.oldBase.manifest.digest().toString(),
                 m_factory.image(QStringLiteral("base1-") + Arches.at(row))->manifestDigest);
    }
    QVERIFY(!child<QLabel>(QStringLiteral("oldBaseNote"))->text().isEmpty());
    QVERIFY(!workspace->problem());
}

void MultiPlatformUiTest::addToComposer(const QString &text)
{
    auto *field = child<QLineEdit>(QStringLiteral("composerReference"));
    field->setFocus();
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Return);
    QVERIFY(field->text().isEmpty());
}

void MultiPlatformUiTest::composerPushesAnIndex()
{
    // Ctrl+3 opens the composer.
    QTest::keyClick(m_gui.window.get(), Qt::Key_3, Qt::ControlModifier);
    Ui::IndexComposer *composer = m_gui.window->composer();
    QCOMPARE(m_gui.window->tabs()->currentWidget(), composer);
    addToComposer(ref(QStringLiteral("one/app:amd64")));
    // The second from the browser's selection.
    m_gui.window->openLocation(ref(QStringLiteral("two/app:arm64")));
    QTRY_VERIFY_WITH_TIMEOUT(m_gui.window->browser()->details()->isLoaded(), Timeout);
    m_gui.window->showPage(2);
    auto *addSelection = child<QPushButton>(QStringLiteral("composerAddSelection"));
    QTRY_VERIFY(addSelection->isEnabled());
    QTest::mouseClick(addSelection, Qt::LeftButton);

    // The platforms come from the configs.
    Ui::IndexEntryModel *entries = composer->entryModel();
    QCOMPARE(entries->rowCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!entries->isLoading(), Timeout);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(entries->state(row), Ui::IndexEntryModel::State::Loaded);
        QCOMPARE(entries->index(row, Ui::IndexEntryModel::OsColumn).data().toString(), QStringLiteral("linux"));
        QCOMPARE(entries->index(row, Ui::IndexEntryModel::ArchitectureColumn).data().toString(), Arches.at(row));
        QVERIFY(!entries->index(row, Ui::IndexEntryModel::ArchitectureColumn).data(Ui::IndexEntryModel::OverriddenRole).toBool());
    }
    // Edit the arm64 image's variant, as a user would (type over the cell, Enter).
    QTableView *view = composer->entryView();
    view->setFocus();
    view->setCurrentIndex(entries->index(1, Ui::IndexEntryModel::VariantColumn));
    QTest::keyClick(view, Qt::Key_F2);
    QLineEdit *editor = nullptr;
    QTRY_VERIFY((editor = view->findChild<QLineEdit *>()) != nullptr && editor->isVisible());
    QTest::keyClicks(editor, QStringLiteral("v8"));
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits from the event loop.
    QTRY_COMPARE(entries->index(1, Ui::IndexEntryModel::VariantColumn).data().toString(), QStringLiteral("v8"));
    QVERIFY(entries->index(1, Ui::IndexEntryModel::VariantColumn).data(Ui::IndexEntryModel::OverriddenRole).toBool());

    // Target (suggested from the first image, replaced) and an extra tag.
    auto *target = child<QLineEdit>(QStringLiteral("composerTarget"));
    QCOMPARE(target->text(), ref(QStringLiteral("one/app:multi")));
    target->selectAll();
    QTest::keyClicks(target, ref(QStringLiteral("combo/app:1")));
    QTest::keyClicks(child<QLineEdit>(QStringLiteral("composerExtraTags")), QStringLiteral("latest"));
    QCOMPARE(child<QComboBox>(QStringLiteral("composerType"))->currentText(), QStringLiteral("OCI image index"));

    // The dry run: the index JSON and how each blob gets into combo/app (mounted: same registry).
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isBusy() && (composer->preview() || composer->problem()), Timeout);
    QVERIFY2(composer->preview(), qPrintable(composer->problem() ? composer->problem()->toString() : QString()));
    const Index::IndexOutcome preview = *composer->preview();
    QCOMPARE(preview.tags, (QStringList{QStringLiteral("1"), QStringLiteral("latest")}));
    const QString json = child<QPlainTextEdit>(QStringLiteral("composerIndexJson"))->toPlainText();
    for (const QString &arch : Arches)
        QVERIFY(json.contains(m_factory.image(QStringLiteral("app-") + arch)->manifestDigest));
    QVERIFY(json.contains(QStringLiteral("\"variant\": \"v8\"")));
    QVERIFY(child<QLabel>(QStringLiteral("composerDigest"))->text().contains(preview.digest.shortString()));
    QVERIFY(child<QLabel>(QStringLiteral("composerDigest"))->toolTip().contains(preview.digest.toString()));
    for (const Index::IndexChild &c : preview.children) {
        QCOMPARE(c.blobs.size(), 4); // config and three layers
        for (const Registry::BlobItem &blob : c.blobs)
            QCOMPARE(blob.action, Registry::BlobAction::Mount);
    }
    const auto *blobs = child<QTableView>(QStringLiteral("composerBlobs"))->model();
    QCOMPARE(blobs->rowCount(), 2 * 5 + 1); // blobs and manifest of each image, then the index
    QVERIFY(blobs->index(0, 4).data().toString().startsWith(QStringLiteral("mount from")));

    // Push.
    auto *push = child<QPushButton>(QStringLiteral("composerPush"));
    QTRY_VERIFY(push->isEnabled());
    QTest::mouseClick(push, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleMessageBox(QStringLiteral("confirmIndexPush"))) != nullptr);
    QVERIFY2(box->text().contains(ref(QStringLiteral("combo/app:latest"))), qPrintable(box->text()));
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmIndexPushButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(composer->pushResult().has_value(), Timeout);
    const QString digest = composer->pushResult()->digest.toString();
    QCOMPARE(digest, preview.digest.toString());
    QVERIFY(child<QLabel>(QStringLiteral("composerResult"))->text().contains(digest));
    QTest::mouseClick(child<QPushButton>(QStringLiteral("composerCopyDigest")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), digest);
    QTest::mouseClick(child<QPushButton>(QStringLiteral("composerCopyReference")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), ref(QStringLiteral("combo/app@")) + digest);

    // What skopeo reads: the same bytes under both tags, every descriptor exact.
    const auto raw = m_verifier.rawManifest(ref(QStringLiteral("combo/app:1")));
    QVERIFY2(raw.ok(), qPrintable(raw.ok() ? QString() : raw.error().toString()));
    QCOMPARE(sha256Digest(*raw), digest);
    const auto latest = m_verifier.rawManifest(ref(QStringLiteral("combo/app:latest")));
    QVERIFY(latest.ok());
    QCOMPARE(*latest, *raw);
    const QJsonObject index = QJsonDocument::fromJson(*raw).object();
    QCOMPARE(index.value(QLatin1String("schemaVersion")).toInt(), 2);
    QCOMPARE(index.value(QLatin1String("mediaType")).toString(), OciIndex);
    const QJsonArray manifests = index.value(QLatin1String("manifests")).toArray();
    QCOMPARE(manifests.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QString arch = Arches.at(i);
        const auto image = m_factory.image(QStringLiteral("app-") + arch);
        const QJsonObject descriptor = manifests.at(i).toObject();
        QCOMPARE(descriptor.value(QLatin1String("mediaType")).toString(), OciManifest);
        QCOMPARE(descriptor.value(QLatin1String("digest")).toString(), image->manifestDigest);
        QCOMPARE(descriptor.value(QLatin1String("size")).toInteger(), image->manifest.size());
        QCOMPARE(descriptor.value(QLatin1String("platform")).toObject(), platformJson(arch, i == 1 ? QStringLiteral("v8") : QString()));
        // The child is in combo/app now, byte for byte, with all its blobs.
        const auto verified = m_verifier.verify(ref(QStringLiteral("combo/app@")) + image->manifestDigest);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().toString()));
        QVERIFY2(verified->ok(), qPrintable(verified->errors.join(QLatin1Char('\n'))));
        QCOMPARE(verified->manifest, image->manifest);
        QCOMPARE(verified->layerDigests, image->layerDigests);
    }
}

void MultiPlatformUiTest::composerRefusesDuplicatePlatforms()
{
    m_gui.window->showPage(2);
    Ui::IndexComposer *composer = m_gui.window->composer();
    addToComposer(ref(QStringLiteral("one/app:amd64")));
    addToComposer(ref(QStringLiteral("multi/app:1.0-amd64")));
    composer->setTarget(ref(QStringLiteral("combo/app:dup")));
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isBusy() && composer->problem().has_value(), Timeout);
    QCOMPARE(composer->problem()->kind, Error::Kind::InvalidInput);
    auto *problems = child<Ui::MessageBanner>(QStringLiteral("composerProblems"));
    QVERIFY(problems->isVisible());
    QVERIFY2(problems->text().contains(QStringLiteral("are both linux/amd64")), qPrintable(problems->text()));
    QVERIFY2(problems->text().contains(QStringLiteral("one image per platform")), qPrintable(problems->text()));
    QVERIFY(!child<QPushButton>(QStringLiteral("composerPush"))->isEnabled());
    Ui::IndexEntryModel *entries = composer->entryModel();
    QVERIFY(entries->hasDuplicates());
    QVERIFY(entries->index(0, Ui::IndexEntryModel::StatusColumn).data(Ui::IndexEntryModel::DuplicateRole).toBool());
    QVERIFY(entries->index(1, Ui::IndexEntryModel::StatusColumn).data().toString().startsWith(QStringLiteral("Same platform as row 1")));
    QVERIFY(!m_verifier.rawManifest(ref(QStringLiteral("combo/app:dup"))).ok()); // nothing pushed

    // A distinguishing field (os.version) makes them two platforms.
    QVERIFY(entries->setData(entries->index(1, Ui::IndexEntryModel::OsVersionColumn), QStringLiteral("2")));
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isBusy() && composer->preview().has_value(), Timeout);
    QVERIFY(!problems->isVisible());
    QVERIFY(!entries->hasDuplicates());
}

void MultiPlatformUiTest::composerLoadsSpec()
{
    m_gui.window->showPage(2);
    Ui::IndexComposer *composer = m_gui.window->composer();
    const QByteArray spec = QStringLiteral("image: %1\n"
                                           "tags: ['v1', 'stable']\n"
                                           "manifests:\n"
                                           "  - image: %2\n"
                                           "    platform:\n"
                                           "      architecture: amd64\n"
                                           "      os: linux\n"
                                           "  - image: %3\n"
                                           "    platform:\n"
                                           "      architecture: arm64\n"
                                           "      os: linux\n"
                                           "      variant: v8\n")
                                .arg(ref(QStringLiteral("spec/app:1")), ref(QStringLiteral("multi/app:1.0")),
                                     ref(QStringLiteral("multi/app:1.0")))
                                .toUtf8();
    QVERIFY(composer->loadSpec(spec, QStringLiteral("spec.yaml")));
    QCOMPARE(child<QLineEdit>(QStringLiteral("composerTarget"))->text(), ref(QStringLiteral("spec/app:1")));
    QCOMPARE(child<QLineEdit>(QStringLiteral("composerExtraTags"))->text(), QStringLiteral("v1, stable"));
    Ui::IndexEntryModel *entries = composer->entryModel();
    QCOMPARE(entries->rowCount(), 2);
    // Both name the same index: the platform picks each one's child.
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isBusy() && composer->preview().has_value(), Timeout);
    QCOMPARE(entries->index(0, Ui::IndexEntryModel::StatusColumn).data(Ui::IndexEntryModel::DigestRole).toString(),
             m_factory.image(QStringLiteral("app-amd64"))->manifestDigest);
    QCOMPARE(entries->index(1, Ui::IndexEntryModel::StatusColumn).data(Ui::IndexEntryModel::DigestRole).toString(),
             m_factory.image(QStringLiteral("app-arm64"))->manifestDigest);
    QCOMPARE(composer->preview()->tags, (QStringList{QStringLiteral("1"), QStringLiteral("v1"), QStringLiteral("stable")}));

    // A spec that does not parse is reported, and nothing is replaced.
    QVERIFY(!composer->loadSpec(QByteArrayLiteral("image: [unclosed\n"), QStringLiteral("broken.yaml")));
    QVERIFY(child<Ui::MessageBanner>(QStringLiteral("composerProblems"))->text().contains(QStringLiteral("broken.yaml")));
    QCOMPARE(entries->rowCount(), 2);
}

QTEST_MAIN(MultiPlatformUiTest)
#include "tst_multiplatform.moc"
