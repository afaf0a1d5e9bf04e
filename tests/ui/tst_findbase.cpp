// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// "Find Old Base" in the rebase workspace, against a real docker-registry: the source (demo/app:1.0)
// carries no base annotation; demo/base holds several tags: 0.9 (the bottom layer only), 1.0,
// 1.0-stable and 10.0.17763.1 (all three the image the app was built on; the last one is the app's
// os.version) and 2.0 (another image). The search lists the two candidates with their tags, matched
// layers and the os.version marker, shows its progress, can be stopped, and choosing a candidate sets
// the old base, after which the preview shows the right stacks.

#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "basecandidatemodel.h"
#include "findbasedialog.h"
#include "imagefactory.h"
#include "mainwindow.h"
#include "rebaseworkspace.h"
#include "registryfixture.h"
#include "session.h"
#include "stackmodel.h"
#include "uitest.h"

using namespace Restack;
using namespace Restack::Test;

namespace
{
constexpr int Timeout = 30000;
const QString OsVersion = QStringLiteral("10.0.17763.1");
} // namespace

class FindBaseTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void candidatesAreListed();
    void choosingOneSetsTheOldBase();
    void stopAndChooseAnother();

private:
    QString ref(const QString &path) const { return m_registry.host() + QLatin1Char('/') + path; }
    Ui::FindBaseDialog *waitForDialog()
    {
        return waitForVisible<Ui::FindBaseDialog>([this] { return m_gui.window->findChild<Ui::FindBaseDialog *>(); }, Timeout);
    }
    template<typename T>
    T *child(QWidget *parent, const QString &name) const
    {
        return namedChild<T>(parent, name);
    }

    QTemporaryDir m_settingsDir;
    RegistryFixture m_registry;
    ImageFactory m_factory;
    GuiHarness m_gui;
};

void FindBaseTest::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    isolateSettings(m_settingsDir.path(), QStringLiteral("ui_findbase"));
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));

    ImageSpec base0;
    base0.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("Demo OS 1.0\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec base1;
    base1.base = QStringLiteral("base0");
    base1.addLayer({{QStringLiteral("/usr/lib/libdemo.so.1"), QByteArrayLiteral("libdemo 1\n")}}, QStringLiteral("COPY libdemo /usr/lib/"));
    base1.addLayer({{QStringLiteral("/usr/bin/tool"), QByteArrayLiteral("tool\n")}}, QStringLiteral("COPY tool /usr/bin/"));
    ImageSpec base2;
    base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("Demo OS 2.0\n")}}, QStringLiteral("COPY os-release /etc/"));
    ImageSpec app;
    app.base = QStringLiteral("base1");
    app.osVersion = OsVersion;
    app.addLayer({{QStringLiteral("/app/run"), QByteArrayLiteral("#!/bin/sh\n")}}, QStringLiteral("COPY run /app/"));
    app.addLayer({{QStringLiteral("/app/data"), QByteArrayLiteral("data\n")}}, QStringLiteral("COPY data /app/"));
    for (const auto &[tag, spec] : {std::pair{QStringLiteral("base0"), base0}, std::pair{QStringLiteral("base1"), base1},
                                    std::pair{QStringLiteral("base2"), base2}, std::pair{QStringLiteral("app"), app}}) {
        const auto built = m_factory.build(tag, spec);
        QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    }
    const QList<std::pair<QString, QString>> pushes{
        {QStringLiteral("base0"), QStringLiteral("demo/base:0.9")},      {QStringLiteral("base1"), QStringLiteral("demo/base:1.0")},
        {QStringLiteral("base1"), QStringLiteral("demo/base:1.0-stable")}, {QStringLiteral("base1"), QStringLiteral("demo/base:") + OsVersion},
        {QStringLiteral("base2"), QStringLiteral("demo/base:2.0")},      {QStringLiteral("app"), QStringLiteral("demo/app:1.0")}};
    for (const auto &[tag, target] : pushes) {
        const auto pushed = m_factory.push(tag, ref(target));
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }

    QVERIFY(m_gui.start({}, QSize(1300, 850)));
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    m_gui.window->showPage(1);
    workspace->setSource(Image::Reference::parse(ref(QStringLiteral("demo/app:1.0"))).value());
    workspace->setNewBase(Image::Reference::parse(ref(QStringLiteral("demo/base:2.0"))).value());
}

void FindBaseTest::cleanupTestCase()
{
    m_gui.stop();
}

void FindBaseTest::candidatesAreListed()
{
    QTest::mouseClick(child<QPushButton>(m_gui.window.get(), QStringLiteral("findOldBase")), Qt::LeftButton);
    Ui::FindBaseDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    // Searched where the new base lives, at once.
    QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("findBaseRepository"))->text(), ref(QStringLiteral("demo/base")));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isSearching(), Timeout);

    // Progress: every tag examined, as the bar says.
    QCOMPARE(dialog->total(), 5);
    QCOMPARE(dialog->examined(), 5);
    auto *progress = child<QProgressBar>(dialog, QStringLiteral("findBaseProgress"));
    QCOMPARE(progress->maximum(), 5);
    QCOMPARE(progress->value(), 5);
    QCOMPARE(progress->text(), QStringLiteral("5 of 5 tags examined"));

    Ui::BaseCandidateModel *candidates = dialog->candidates();
    QCOMPARE(candidates->rowCount(), 2);
    // Best first: the os.version tag's image, with all three of its tags and 3 of the source's 5 layers.
    const QModelIndex best = candidates->index(0, 0);
    QVERIFY(best.data(Ui::BaseCandidateModel::OsVersionTagRole).toBool());
    QCOMPARE(best.data(Ui::BaseCandidateModel::MatchedLayersRole).toInt(), 3);
    QStringList tags = best.data(Ui::BaseCandidateModel::TagsRole).toStringList();
    tags.sort();
    QCOMPARE(tags, (QStringList{QStringLiteral("1.0"), QStringLiteral("1.0-stable"), OsVersion}));
    QCOMPARE(candidates->index(0, Ui::BaseCandidateModel::MatchedColumn).data().toString(), QStringLiteral("3 of 5"));
    QCOMPARE(candidates->index(0, Ui::BaseCandidateModel::RuleColumn).data().toString(), QStringLiteral("os.version tag"));
    QCOMPARE(candidates->index(0, Ui::BaseCandidateModel::DigestColumn).data(Qt::ToolTipRole).toString(),
             m_factory.image(QStringLiteral("base1"))->manifestDigest);
    // Then the shorter match.
    const QModelIndex other = candidates->index(1, 0);
    QVERIFY(!other.data(Ui::BaseCandidateModel::OsVersionTagRole).toBool());
    QCOMPARE(other.data(Ui::BaseCandidateModel::MatchedLayersRole).toInt(), 1);
    QCOMPARE(other.data(Ui::BaseCandidateModel::TagsRole).toStringList(), QStringList{QStringLiteral("0.9")});
    QCOMPARE(candidates->index(1, Ui::BaseCandidateModel::RuleColumn).data().toString(), QStringLiteral("layers"));
    QVERIFY(child<QLabel>(dialog, QStringLiteral("findBaseStatus"))->text().startsWith(QStringLiteral("2 candidates")));
}

void FindBaseTest::choosingOneSetsTheOldBase()
{
    Ui::FindBaseDialog *dialog = m_gui.window->findChild<Ui::FindBaseDialog *>();
    QVERIFY(dialog);
    QTableView *view = dialog->candidateView();
    QCOMPARE(view->currentIndex().row(), 0); // the best is preselected
    auto *use = child<QPushButton>(dialog, QStringLiteral("findBaseUse"));
    QVERIFY(use->isEnabled());
    QTest::mouseClick(use, Qt::LeftButton);
    QTRY_VERIFY(!m_gui.window->findChild<Ui::FindBaseDialog *>());

    // A single-platform source: the base is pinned to the image found.
    auto *oldBase = child<QLineEdit>(m_gui.window.get(), QStringLiteral("rebaseOldBase"));
    const auto chosen = Image::Reference::parse(oldBase->text());
    QVERIFY2(chosen.ok(), qPrintable(oldBase->text()));
    QCOMPARE(chosen->repository(), QStringLiteral("demo/base"));
    QCOMPARE(chosen->digest().toString(), m_factory.image(QStringLiteral("base1"))->manifestDigest);
    QVERIFY(child<QLabel>(m_gui.window.get(), QStringLiteral("oldBaseNote"))->text().contains(QStringLiteral("Chosen")));

    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && (workspace->preview() || workspace->problem()), Timeout);
    QVERIFY2(workspace->preview(), qPrintable(workspace->problem() ? workspace->problem()->toString() : QString()));
    QCOMPARE(workspace->preview()->plan().oldBase.manifest.digest().toString(), m_factory.image(QStringLiteral("base1"))->manifestDigest);
    QCOMPARE(workspace->preview()->platforms.first().oldBaseSource, Rebase::OldBaseSource::Given);
    QCOMPARE(workspace->stackModel()->rowCount(), 6); // 3 removed, 1 added, 2 kept
}

void FindBaseTest::stopAndChooseAnother()
{
    // Ctrl+Shift+F opens the search again; Stop ends it at once.
    m_gui.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_gui.window.get()));
    QTest::keyClick(m_gui.window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    Ui::FindBaseDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isSearching());
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("findBaseStop")), Qt::LeftButton);
    QTRY_VERIFY(!dialog->isSearching());
    QVERIFY(child<QLabel>(dialog, QStringLiteral("findBaseStatus"))->text().startsWith(QStringLiteral("Stopped")));
    QCOMPARE(dialog->candidates()->rowCount(), 0);

    // Search again, then choose the shorter match with a double click: the preview follows.
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("findBaseSearch")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isSearching() && dialog->candidates()->rowCount() == 2, Timeout);
    QTableView *view = dialog->candidateView();
    const QRect rect = view->visualRect(dialog->candidates()->index(1, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_VERIFY(!m_gui.window->findChild<Ui::FindBaseDialog *>());
    Ui::RebaseWorkspace *workspace = m_gui.window->workspace();
    QTRY_VERIFY_WITH_TIMEOUT(!workspace->isBusy() && (workspace->preview() || workspace->problem()), Timeout);
    QVERIFY2(workspace->preview(), qPrintable(workspace->problem() ? workspace->problem()->toString() : QString()));
    QCOMPARE(workspace->preview()->plan().oldBase.manifest.digest().toString(), m_factory.image(QStringLiteral("base0"))->manifestDigest);
    QCOMPARE(workspace->stackModel()->rowCount(), 6); // 1 removed, 1 added, 4 kept
}

QTEST_MAIN(FindBaseTest)
#include "tst_findbase.moc"
