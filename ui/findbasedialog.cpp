// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "findbasedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "basecandidatemodel.h"
#include "messagebanner.h"
#include "originstyle.h"
#include "rebase/basefinder.h"
#include "rebase/resolver.h"
#include "registry/client.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

using Image::Reference;

FindBaseDialog::FindBaseDialog(Registry::Client *client, const Reference &source, const Reference &repository,
                               const std::optional<Image::Platform> &platform, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_source(source)
    , m_wantedPlatform(platform)
    , m_sourceLabel(makeLabel(this, QStringLiteral("findBaseSource"), LabelKind::Value, tr("Source")))
    , m_platformLabel(new QLabel(tr("&Platform:"), this))
    , m_platforms(new QComboBox(this))
    , m_repository(makeLineEdit(this, QStringLiteral("findBaseRepository"), tr("registry/repository to search"),
                                tr("Repository to search")))
    , m_limit(new QSpinBox(this))
    , m_searchButton(new QPushButton(tr("&Search"), this))
    , m_stopButton(new QPushButton(tr("S&top"), this))
    , m_progress(new QProgressBar(this))
    , m_problem(new MessageBanner(this))
    , m_view(new QTableView(this))
    , m_candidates(new BaseCandidateModel(this))
    , m_status(makeLabel(this, QStringLiteral("findBaseStatus"), LabelKind::Note))
    , m_use(new QPushButton(tr("&Use as Old Base"), this))
{
    setObjectName(QStringLiteral("findBaseDialog"));
    setWindowTitle(tr("Find Old Base"));
    m_sourceLabel->setText(source.toString());
    m_sourceLabel->setWordWrap(false);
    m_platforms->setObjectName(QStringLiteral("findBasePlatform"));
    m_platforms->setAccessibleName(tr("Platform of the source"));
    m_platformLabel->setBuddy(m_platforms);
    m_platformLabel->hide();
    m_platforms->hide();
    m_repository->setText(repository.repositoryOnly().toString());
    m_limit->setObjectName(QStringLiteral("findBaseLimit"));
    m_limit->setAccessibleName(tr("Tags to examine at most"));
    m_limit->setRange(1, 10000);
    m_limit->setValue(100);
    m_limit->setSuffix(tr(" tags"));
    m_limit->setToolTip(tr("Examine at most this many tags (newest-looking names first)"));
    m_searchButton->setObjectName(QStringLiteral("findBaseSearch"));
    m_searchButton->setAccessibleName(tr("Search"));
    m_stopButton->setObjectName(QStringLiteral("findBaseStop"));
    m_stopButton->setAccessibleName(tr("Stop the search"));
    m_progress->setObjectName(QStringLiteral("findBaseProgress"));
    m_progress->setAccessibleName(tr("Tags examined"));
    m_progress->setFormat(tr("%v of %m tags examined"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_problem->setObjectName(QStringLiteral("findBaseProblem"));

    m_view->setObjectName(QStringLiteral("findBaseCandidates"));
    m_view->setAccessibleName(tr("Base candidates, best first"));
    m_view->setModel(m_candidates);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(BaseCandidateModel::TagsColumn, 200);
    m_view->setColumnWidth(BaseCandidateModel::MatchedColumn, 110);
    m_view->setColumnWidth(BaseCandidateModel::RuleColumn, 110);
    m_view->setColumnWidth(BaseCandidateModel::PlatformColumn, 130);
    m_use->setObjectName(QStringLiteral("findBaseUse"));
    m_use->setAccessibleName(tr("Use the selected candidate as the old base"));
    m_use->setDefault(true);

    auto *explanation = makeLabel(this, QStringLiteral("findBaseExplanation"), LabelKind::Note);
    explanation->setText(tr("Images whose layers begin the source's, best first: the tag named like the source's "
                            "os.version (in bold), then the longest match."));

    auto *grid = new QGridLayout;
    auto *sourceTitle = new QLabel(tr("Source:"), this);
    grid->addWidget(sourceTitle, 0, 0);
    grid->addWidget(m_sourceLabel, 0, 1, 1, 3);
    grid->addWidget(m_platformLabel, 1, 0);
    grid->addWidget(m_platforms, 1, 1, 1, 3);
    auto *repositoryLabel = new QLabel(tr("Search &in:"), this);
    repositoryLabel->setBuddy(m_repository);
    grid->addWidget(repositoryLabel, 2, 0);
    grid->addWidget(m_repository, 2, 1);
    grid->addWidget(m_limit, 2, 2);
    grid->addWidget(m_searchButton, 2, 3);
    grid->setColumnStretch(1, 1);

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_stopButton);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_use, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, &FindBaseDialog::useSelected);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(progressRow);
    layout->addWidget(m_problem);
    layout->addWidget(explanation);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_searchButton, &QPushButton::clicked, this, &FindBaseDialog::search);
    connect(m_repository, &QLineEdit::returnPressed, this, &FindBaseDialog::search);
    connect(m_stopButton, &QPushButton::clicked, this, &FindBaseDialog::stop);
    connect(m_platforms, &QComboBox::activated, this, &FindBaseDialog::search);
    connect(m_view, &QTableView::doubleClicked, this, &FindBaseDialog::useSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FindBaseDialog::updateButtons);
    connect(this, &QDialog::rejected, this, &FindBaseDialog::stop);

    resize(760, 420);
    setSearching(false);
    search();
}

FindBaseDialog::~FindBaseDialog() = default;

void FindBaseDialog::search()
{
    const auto repository = Reference::parseRepository(m_repository->text().trimmed());
    if (!repository.ok()) {
        showFailure(repository.error(), tr("The repository to search is not valid"));
        return;
    }
    delete m_requests; // abandons a search in flight
    m_requests = new QObject(this);
    m_problem->clear();
    m_candidates->clear();
    m_examined = 0;
    m_total = 0;
    m_progress->setRange(0, 0);
    setSearching(true);
    m_status->setText(tr("Reading %1…").arg(m_source.toString()));

    const Reference where = repository.value();
    m_client->fetchManifest(m_source, m_requests, [this, where](Result<Image::Manifest> manifest) {
        if (!manifest.ok())
            return showFailure(manifest.error(), tr("Reading the source"));
        std::optional<Image::Platform> platform;
        m_sourceIsIndex = manifest->isIndex();
        if (m_sourceIsIndex) {
            // An index: the base of one of its platforms is looked for.
            if (m_platformList.isEmpty()) {
                m_platformList = Rebase::indexPlatforms(manifest.value());
                int preferred = -1;
                for (int i = 0; i < m_platformList.size(); ++i) {
                    const Image::Platform &p = m_platformList.at(i);
                    m_platforms->addItem(p.toString(true));
                    const bool wanted = m_wantedPlatform ? p.matches(*m_wantedPlatform)
                                                         : p.os == QLatin1String("linux") && p.architecture == QLatin1String("amd64");
                    if (wanted && preferred < 0)
                        preferred = i;
                }
                m_platforms->setCurrentIndex(qMax(0, preferred));
                m_platformLabel->show();
                m_platforms->show();
            }
            if (m_platforms->currentIndex() >= 0 && m_platforms->currentIndex() < m_platformList.size())
                platform = m_platformList.at(m_platforms->currentIndex());
        }
        Rebase::resolveImage(m_client, m_source, platform, m_requests, [this, where](Result<Rebase::ImageData> source) {
            if (!source.ok())
                return showFailure(source.error(), tr("Reading the source"));
            m_status->setText(tr("Listing the tags of %1…").arg(where.name()));
            const Rebase::ImageData image = source.value();
            const int layers = int(image.config.diffIds().size());
            auto *finder = new Rebase::BaseFinder(
                m_client, image, where, m_limit->value(),
                [this, layers, where](Result<QList<Rebase::BaseCandidate>> found) {
                    m_finder = nullptr;
                    setSearching(false);
                    if (!found.ok()) {
                        if (found.error().kind == Error::Kind::Cancelled) {
                            m_status->setText(tr("Stopped after %1 of %2 tags.").arg(m_examined).arg(m_total));
                            return;
                        }
                        return showFailure(found.error(), tr("Searching %1").arg(where.name()));
                    }
                    m_candidates->setCandidates(found.value(), layers);
                    if (found->isEmpty()) {
                        m_status->setText(tr("No image of %1 has layers that begin the source's (%2 examined). Try "
                                             "another repository, or more tags.")
                                              .arg(where.name(), counted(m_examined, tr("tag"), tr("tags"))));
                    } else {
                        m_status->setText(tr("%1 (%2 examined). Choose the one the source was built on.")
                                              .arg(counted(found->size(), tr("candidate"), tr("candidates")),
                                                   counted(m_examined, tr("tag"), tr("tags"))));
                        m_view->selectRow(0);
                        m_view->setFocus();
                    }
                    updateButtons();
                },
                m_requests);
            finder->setProgress([this](int examined, int total) {
                m_examined = examined;
                m_total = total;
                m_progress->setRange(0, qMax(1, total));
                m_progress->setValue(examined);
            });
            m_finder = finder;
            finder->start();
        });
    });
}

void FindBaseDialog::stop()
{
    if (m_finder) {
        m_finder->abort(); // reports Cancelled
        return;
    }
    if (!m_searching)
        return;
    delete m_requests;
    m_requests = nullptr;
    setSearching(false);
    m_status->setText(tr("Stopped."));
}

void FindBaseDialog::useSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QModelIndex row = rows.first();
    // A single image's base is pinned; an index source's platforms each find their own child by tag.
    const QString text = (m_sourceIsIndex ? row.data(BaseCandidateModel::ReferenceRole)
                                          : row.data(BaseCandidateModel::PinnedRole))
                             .toString();
    const auto ref = Reference::parse(text);
    if (!ref.ok())
        return;
    Q_EMIT baseChosen(ref.value());
    accept();
}

void FindBaseDialog::showFailure(const Error &error, const QString &context)
{
    setSearching(false);
    m_progress->setRange(0, 1);
    m_problem->showError(error, context);
    m_status->clear();
}

void FindBaseDialog::setSearching(bool searching)
{
    m_searching = searching;
    m_searchButton->setEnabled(!searching);
    m_stopButton->setEnabled(searching);
    m_repository->setReadOnly(searching);
    m_limit->setEnabled(!searching);
    m_platforms->setEnabled(!searching);
    if (!searching && m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    updateButtons();
}

void FindBaseDialog::updateButtons()
{
    m_use->setEnabled(m_view->selectionModel()->hasSelection());
}

} // namespace Restack::Ui
