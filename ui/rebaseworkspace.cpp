// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rebaseworkspace.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "errortext.h"
#include "findbasedialog.h"
#include "messagebanner.h"
#include "originstyle.h"
#include "platformpreviewmodel.h"
#include "registry/client.h"
#include "stackmodel.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

using Image::Reference;
using Rebase::BlobAction;
using Rebase::Origin;

namespace
{

/** A tag derived from @p text: invalid characters become '-', at most 128 characters (distribution's tag grammar). */
QString sanitisedTag(const QString &text)
{
    QString tag = text;
    static const QRegularExpression invalid(QStringLiteral("[^A-Za-z0-9_.-]"));
    tag.replace(invalid, QStringLiteral("-"));
    while (!tag.isEmpty() && (tag.front() == QLatin1Char('.') || tag.front() == QLatin1Char('-')))
        tag.remove(0, 1);
    return tag.left(128);
}

QString imageSummary(const Rebase::ImageData &image)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("Restack::Ui::RebaseWorkspace", text); };
    // A child of an index is named by tag and digest: the tag and the short digest say enough.
    const Image::Reference &ref = image.reference;
    const QString name = ref.hasDigest() && !ref.tag().isEmpty() ? ref.withTag(ref.tag()).toString() : ref.toString();
    return tr("%1 (%2, %3, %4)")
        .arg(name, image.manifest.digest().shortString(), image.config.platform().toString(true),
             counted(image.manifest.layers().size(), tr("layer"), tr("layers")));
}

} // namespace

RebaseWorkspace::RebaseWorkspace(Registry::Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_previewTimer(new QTimer(this))
    , m_platforms(new PlatformPreviewModel(this))
    , m_stacks(new StackModel(this))
    , m_steps(new QStandardItemModel(this))
{
    setObjectName(QStringLiteral("rebaseWorkspace"));
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(PreviewDelayMs);
    connect(m_previewTimer, &QTimer::timeout, this, &RebaseWorkspace::startPreview);

    // --- the four references -------------------------------------------------------------------
    auto *form = new QGroupBox(tr("Rebase"), this);
    m_source = makeLineEdit(form, QStringLiteral("rebaseSource"),
                            tr("registry/repository:tag of the image to rebase"),
                            tr("Source image"));
    m_oldBase = makeLineEdit(form, QStringLiteral("rebaseOldBase"),
                            tr("Found from the source's base annotations when left empty"),
                            tr("Old base image"));
    m_newBase = makeLineEdit(form, QStringLiteral("rebaseNewBase"),
                            tr("registry/repository:tag of the base to rebase onto"),
                            tr("New base image"));
    m_target = makeLineEdit(form, QStringLiteral("rebaseTarget"),
                            tr("registry/repository:tag to push the result to"),
                            tr("Target tag"));
    const auto selectionButton = [form](const QString &objectName, const QString &what) {
        auto *button = new QPushButton(tr("Use Selection"), form);
        button->setObjectName(objectName);
        button->setToolTip(tr("Use the image selected in the browser as the %1").arg(what));
        button->setAccessibleName(tr("Use selection as %1").arg(what));
        return button;
    };
    m_sourceFromSelection = selectionButton(QStringLiteral("sourceFromSelection"), tr("source"));
    m_oldBaseFromSelection = selectionButton(QStringLiteral("oldBaseFromSelection"), tr("old base"));
    m_newBaseFromSelection = selectionButton(QStringLiteral("newBaseFromSelection"), tr("new base"));
    m_findOldBase = new QPushButton(tr("F&ind…"), form);
    m_findOldBase->setObjectName(QStringLiteral("findOldBase"));
    m_findOldBase->setToolTip(tr("Search a repository for the image the source was built on (Ctrl+Shift+F)"));
    m_findOldBase->setAccessibleName(tr("Find the old base"));
    m_oldBaseNote = makeLabel(form, QStringLiteral("oldBaseNote"), LabelKind::Note);
    m_targetNote = makeLabel(form, QStringLiteral("targetNote"), LabelKind::Note);

    auto *grid = new QGridLayout(form);
    const auto addRow = [grid, form](int row, const QString &text, QLineEdit *field, QWidget *button) {
        auto *label = new QLabel(text, form);
        label->setBuddy(field);
        grid->addWidget(label, row, 0);
        grid->addWidget(field, row, 1);
        if (button)
            grid->addWidget(button, row, 2);
    };
    addRow(0, tr("&Source:"), m_source, m_sourceFromSelection);
    addRow(1, tr("&Old base:"), m_oldBase, m_oldBaseFromSelection);
    grid->addWidget(m_findOldBase, 1, 3);
    grid->addWidget(m_oldBaseNote, 2, 1, 1, 2);
    addRow(3, tr("&New base:"), m_newBase, m_newBaseFromSelection);
    addRow(4, tr("&Target:"), m_target, nullptr);
    grid->addWidget(m_targetNote, 5, 1, 1, 2);
    grid->setColumnStretch(1, 1);

    m_problems = new MessageBanner(this);
    m_problems->setObjectName(QStringLiteral("rebaseProblems"));
    m_problems->setAccessibleName(tr("Rebase problems"));
    m_previewStatus = makeLabel(this, QStringLiteral("previewStatus"), LabelKind::Note);

    // --- both stacks ---------------------------------------------------------------------------
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("rebaseSplitter"));
    auto *stackGroup = new QGroupBox(tr("Layer stacks (bottom layer first)"), m_splitter);
    m_platformPanel = new QWidget(stackGroup);
    m_platformPanel->setObjectName(QStringLiteral("rebasePlatformPanel"));
    auto *platformTitle = new QLabel(tr("&Platforms of the index (select one to see its stacks):"), m_platformPanel);
    m_platformView = new QTableView(m_platformPanel);
    m_platformView->setObjectName(QStringLiteral("rebasePlatforms"));
    m_platformView->setAccessibleName(tr("Platforms of the index source"));
    m_platformView->setModel(m_platforms);
    m_platformView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_platformView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_platformView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_platformView->setWordWrap(false);
    m_platformView->verticalHeader()->hide();
    m_platformView->horizontalHeader()->setStretchLastSection(true);
    m_platformView->setColumnWidth(PlatformPreviewModel::PlatformColumn, 170);
    m_platformView->setColumnWidth(PlatformPreviewModel::OldBaseColumn, 330);
    m_platformView->setColumnWidth(PlatformPreviewModel::FoundByColumn, 130);
    m_platformView->setColumnWidth(PlatformPreviewModel::LayersColumn, 90);
    platformTitle->setBuddy(m_platformView);
    auto *platformLayout = new QVBoxLayout(m_platformPanel);
    platformLayout->setContentsMargins(0, 0, 0, 0);
    platformLayout->addWidget(platformTitle);
    platformLayout->addWidget(m_platformView);
    m_platformPanel->hide();
    m_leftTitle = makeLabel(stackGroup, QStringLiteral("sourceStackTitle"));
    m_rightTitle = makeLabel(stackGroup, QStringLiteral("resultStackTitle"));
    m_stackView = new QTableView(stackGroup);
    m_stackView->setObjectName(QStringLiteral("stackTable"));
    m_stackView->setAccessibleName(tr("Old and new layer stacks side by side"));
    m_stackView->setModel(m_stacks);
    m_stackView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stackView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stackView->setWordWrap(false);
    m_stackView->setTextElideMode(Qt::ElideRight);
    m_stackView->verticalHeader()->hide();
    m_stackView->setShowGrid(false);
    QHeaderView *header = m_stackView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    for (int column : {int(StackModel::LeftIndexColumn), int(StackModel::RightIndexColumn)})
        m_stackView->setColumnWidth(column, 34);
    for (int column : {int(StackModel::LeftLayerColumn), int(StackModel::RightLayerColumn)})
        m_stackView->setColumnWidth(column, 150);
    for (int column : {int(StackModel::LeftSizeColumn), int(StackModel::RightSizeColumn)})
        m_stackView->setColumnWidth(column, 78);
    for (int column : {int(StackModel::LeftOriginColumn), int(StackModel::RightOriginColumn)})
        m_stackView->setColumnWidth(column, 150);
    for (int column : {int(StackModel::LeftCreatedByColumn), int(StackModel::RightCreatedByColumn)})
        m_stackView->setColumnWidth(column, 170);
    m_stackView->setColumnWidth(StackModel::ChangeColumn, 30);
    header->setStretchLastSection(true);
    m_totals = makeLabel(stackGroup, QStringLiteral("rebaseTotals"));
    auto *titles = new QHBoxLayout;
    titles->addWidget(m_leftTitle, 1);
    titles->addWidget(m_rightTitle, 1);
    auto *stackLayout = new QVBoxLayout(stackGroup);
    stackLayout->addWidget(m_platformPanel);
    stackLayout->addLayout(titles);
    stackLayout->addWidget(m_stackView, 1);
    stackLayout->addWidget(m_totals);

    // --- the plan: predicted digest and blob steps ---------------------------------------------
    auto *planGroup = new QGroupBox(tr("What will be pushed"), m_splitter);
    m_predicted = makeLabel(planGroup, QStringLiteral("predictedDigest"));
    m_copyPredicted = new QPushButton(tr("Copy Digest"), planGroup);
    m_copyPredicted->setObjectName(QStringLiteral("copyPredictedDigest"));
    m_copyPredicted->setAccessibleName(tr("Copy predicted digest"));
    m_stepView = new QTableView(planGroup);
    m_stepView->setObjectName(QStringLiteral("blobSteps"));
    m_stepView->setAccessibleName(tr("Blob steps"));
    m_stepView->setModel(m_steps);
    m_stepView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stepView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stepView->verticalHeader()->hide();
    m_stepView->horizontalHeader()->setStretchLastSection(true);
    m_stepView->setWordWrap(false);
    m_notes = makeLabel(planGroup, QStringLiteral("planNotes"), LabelKind::Note);
    auto *digestRow = new QHBoxLayout;
    digestRow->addWidget(m_predicted, 1);
    digestRow->addWidget(m_copyPredicted);
    auto *planLayout = new QVBoxLayout(planGroup);
    planLayout->addLayout(digestRow);
    planLayout->addWidget(m_stepView, 1);
    planLayout->addWidget(m_notes);
    m_splitter->addWidget(stackGroup);
    m_splitter->addWidget(planGroup);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({330, 260});

    // --- push, progress, result ----------------------------------------------------------------
    m_push = new QPushButton(tr("Rebase and Push…"), this);
    m_push->setObjectName(QStringLiteral("rebaseAndPush"));
    m_push->setAccessibleName(tr("Rebase and push"));
    m_push->setDefault(true);

    const ProgressPanel progress = makeProgressPanel(
        this, {QStringLiteral("pushProgressPanel"), QStringLiteral("pushProgressText"), QStringLiteral("pushProgress"),
               QStringLiteral("cancelPush")},
        tr("push"));
    m_progressPanel = progress.panel;
    m_progressText = progress.text;
    m_progressBar = progress.bar;
    m_progressBar->setFormat(tr("%v of %m blobs"));
    m_cancel = progress.cancel;

    m_copyResult = new QPushButton(tr("Copy Reference"), this);
    m_copyResult->setObjectName(QStringLiteral("copyPushedReference"));
    m_copyResult->setAccessibleName(tr("Copy the pushed reference"));
    m_copyResultPull = new QPushButton(tr("Copy Pull Command"), this);
    m_copyResultPull->setObjectName(QStringLiteral("copyPushedPullCommand"));
    m_copyResultPull->setAccessibleName(tr("Copy a pull command for the pushed image"));
    const ResultPanel result = makeResultPanel(this, QStringLiteral("pushResultPanel"), QStringLiteral("pushResult"),
                                               {m_copyResult, m_copyResultPull});
    m_resultPanel = result.panel;
    m_resultText = result.text;

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_previewStatus, 1);
    bottom->addWidget(m_push);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(form);
    layout->addWidget(m_problems);
    layout->addWidget(m_splitter, 1);
    layout->addLayout(bottom);
    layout->addWidget(m_progressPanel);
    layout->addWidget(m_resultPanel);

    for (QLineEdit *field : {m_source, m_oldBase, m_newBase, m_target}) {
        connect(field, &QLineEdit::textChanged, this, &RebaseWorkspace::onEdited);
    }
    connect(m_oldBase, &QLineEdit::textEdited, this, [this] { m_oldBaseAuto = false; });
    connect(m_target, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_targetAuto = text.isEmpty();
        m_targetNote->clear();
    });
    connect(m_sourceFromSelection, &QPushButton::clicked, this, [this] { setSource(m_selection); });
    connect(m_oldBaseFromSelection, &QPushButton::clicked, this, [this] { setOldBase(m_selection); });
    connect(m_newBaseFromSelection, &QPushButton::clicked, this, [this] { setNewBase(m_selection); });
    connect(m_platformView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (m_preview && current.isValid())
                    showPlan(*m_preview, current.row());
            });
    connect(m_findOldBase, &QPushButton::clicked, this, &RebaseWorkspace::findOldBase);
    connect(m_push, &QPushButton::clicked, this, &RebaseWorkspace::confirmAndPush);
    connect(m_cancel, &QPushButton::clicked, this, &RebaseWorkspace::cancelPush);
    connect(m_copyPredicted, &QPushButton::clicked, this, [this] {
        if (m_preview)
            QApplication::clipboard()->setText(m_preview->digest.toString());
    });
    connect(m_copyResult, &QPushButton::clicked, this, [this] {
        if (m_pushed)
            QApplication::clipboard()->setText(m_pushed->target.name() + QLatin1Char('@') + m_pushed->digest.toString());
    });
    connect(m_copyResultPull, &QPushButton::clicked, this, [this] {
        if (m_pushed)
            QApplication::clipboard()->setText(QStringLiteral("docker pull ") + m_pushed->target.name() + QLatin1Char('@')
                                               + m_pushed->digest.toString());
    });

    clearPlan();
    m_previewStatus->setText(tr("Choose the image to rebase and the new base: select them in the browser "
                                "(Rebase This Image…, Use as New Base) or type their references."));
    updateButtons();
}

RebaseWorkspace::~RebaseWorkspace() = default;

void RebaseWorkspace::setClient(Registry::Client *client)
{
    m_client = client;
}

void RebaseWorkspace::findOldBase()
{
    if (m_pushOperation)
        return;
    const auto source = Reference::parse(m_source->text().trimmed());
    if (!source.ok()) {
        m_problems->showMessage(MessageBanner::Level::Information, tr("Enter the source first"),
                                tr("Find… looks for the image the source was built on."));
        m_source->setFocus();
        return;
    }
    // Where to look: the new base's repository (a newer tag of the same base), else the old base's, else the source's.
    Reference repository = source->repositoryOnly();
    for (QLineEdit *field : {m_oldBase, m_newBase}) {
        if (const auto ref = Reference::parse(field->text().trimmed()); ref.ok())
            repository = ref->repositoryOnly();
    }
    std::optional<Image::Platform> platform;
    const QModelIndex current = m_platformView->currentIndex();
    if (m_preview && m_preview->isIndex && current.isValid())
        platform = m_preview->platforms.at(current.row()).plan.source.config.platform();
    auto *dialog = new FindBaseDialog(m_client, source.value(), repository, platform, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FindBaseDialog::baseChosen, this, [this](const Reference &oldBase) {
        setOldBase(oldBase);
        m_oldBaseNote->setText(tr("Chosen among the candidates of the base search."));
        updateButtons();
    });
    dialog->open();
}

void RebaseWorkspace::setFieldText(QLineEdit *field, const QString &text)
{
    m_settingText = true;
    field->setText(text);
    m_settingText = false;
}

void RebaseWorkspace::setSource(const Reference &ref)
{
    if (!ref.isValid())
        return;
    // A new source has its own annotations: forget an old base that came from the previous one's.
    if (m_oldBaseAuto) {
        setFieldText(m_oldBase, {});
        m_oldBaseAuto = false;
    }
    m_source->setText(ref.toString());
}

void RebaseWorkspace::setOldBase(const Reference &ref)
{
    if (!ref.isValid())
        return;
    m_oldBaseAuto = false;
    m_oldBase->setText(ref.toString());
}

void RebaseWorkspace::setNewBase(const Reference &ref)
{
    if (ref.isValid())
        m_newBase->setText(ref.toString());
}

void RebaseWorkspace::setTarget(const QString &target)
{
    m_targetAuto = target.isEmpty();
    m_target->setText(target);
}

void RebaseWorkspace::setSelection(const Reference &ref)
{
    m_selection = ref;
    if (ref.isValid() && m_source->text().trimmed().isEmpty())
        setSource(ref);
    updateButtons();
}

bool RebaseWorkspace::isBusy() const
{
    return m_previewOperation || m_pushOperation;
}

void RebaseWorkspace::onEdited()
{
    if (m_pushOperation)
        return;
    if (sender() == m_oldBase && !m_settingText)
        m_oldBaseNote->clear();
    if (sender() != m_target)
        suggestTarget();
    if (m_settingText && sender() == m_oldBase)
        return; // the preview itself filled it in
    schedulePreview();
}

void RebaseWorkspace::suggestTarget()
{
    if (!m_targetAuto)
        return;
    // SOURCE_REPOSITORY:SOURCE_TAG-NEWBASE_NAME+TAG, e.g. demo/app:1.0 onto demo/base:2.0 → demo/app:1.0-base2.0
    const auto source = Reference::parse(m_source->text().trimmed());
    const auto newBase = Reference::parse(m_newBase->text().trimmed());
    QString suggestion;
    if (source.ok() && newBase.ok()) {
        const QString baseName = newBase->repository().section(QLatin1Char('/'), -1);
        const QString baseTag = newBase->tag().isEmpty() ? newBase->digest().hex().left(12) : newBase->tag();
        const QString sourceTag = source->tag().isEmpty() ? QStringLiteral("rebased") : source->tag();
        suggestion = source->repositoryOnly().withTag(sanitisedTag(sourceTag + QLatin1Char('-') + baseName + baseTag)).toString();
    }
    setFieldText(m_target, suggestion);
    m_targetNote->setText(suggestion.isEmpty() ? QString() : tr("Suggested from the source and the new base; edit it freely."));
}

void RebaseWorkspace::schedulePreview()
{
    // Anything shown is out of date now.
    if (m_previewOperation)
        m_previewOperation->deleteLater();
    m_previewOperation = nullptr;
    m_preview.reset();
    m_previewRequest.reset();
    clearPlan();
    m_resultPanel->hide(); // the last push's result (still copyable with Ctrl+C) is about other fields
    m_previewTimer->start();
    updateButtons();
}

void RebaseWorkspace::refresh()
{
    if (m_pushOperation)
        return;
    schedulePreview();
    m_previewTimer->stop();
    startPreview();
}

std::optional<RebaseWorkspace::Fields> RebaseWorkspace::readFields()
{
    Fields fields;
    const auto parse = [this](QLineEdit *field, const QString &role, bool required, Reference *into) {
        const QString text = field->text().trimmed();
        if (text.isEmpty()) {
            if (required)
                m_previewStatus->setText(tr("Enter the %1 to see the preview.").arg(role));
            return !required;
        }
        const auto ref = Reference::parse(text);
        if (!ref.ok()) {
            showProblem(ref.error(), tr("The %1 is not a valid reference").arg(role));
            return false;
        }
        *into = ref.value();
        return true;
    };
    Reference oldBase;
    if (!parse(m_source, tr("source"), true, &fields.source) || !parse(m_newBase, tr("new base"), true, &fields.newBase)
        || !parse(m_oldBase, tr("old base"), false, &oldBase) || !parse(m_target, tr("target"), true, &fields.target))
        return std::nullopt;
    if (oldBase.isValid())
        fields.oldBase = oldBase;
    if (fields.target.tag().isEmpty() || fields.target.hasDigest()) {
        showProblem(Error::make(Error::Kind::InvalidInput, tr("the target must name a tag and no digest"),
                                tr("Write it as registry/repository:tag.")),
                    tr("Target"));
        return std::nullopt;
    }
    return fields;
}

void RebaseWorkspace::startPreview()
{
    if (m_pushOperation)
        return;
    m_problems->clear();
    m_problem.reset();
    const std::optional<Fields> fields = readFields();
    if (!fields) {
        updateButtons();
        return;
    }
    Rebase::RebaseRequest request;
    request.source = fields->source;
    request.oldBase = fields->oldBase;
    request.newBase = fields->newBase;
    request.target = fields->target;
    request.dryRun = true;
    m_previewRequest = request;
    m_previewOperation = new Rebase::RebaseOperation(m_client, request, this);
    connect(m_previewOperation, &Rebase::RebaseOperation::finished, this, &RebaseWorkspace::onPreviewFinished);
    m_previewStatus->setText(tr("Checking the images and the target repository…"));
    m_previewOperation->start();
    updateButtons();
}

void RebaseWorkspace::onPreviewFinished()
{
    auto *operation = qobject_cast<Rebase::RebaseOperation *>(sender());
    if (!operation || operation != m_previewOperation)
        return;
    operation->deleteLater();
    m_previewOperation = nullptr;
    const Result<Rebase::RebaseOutcome> &result = operation->result();
    if (!result.ok()) {
        showProblem(result.error(), tr("The rebase cannot be planned"));
        updateButtons();
        return;
    }
    m_preview = result.value();
    m_platforms->setOutcome(*m_preview);
    m_platformPanel->setVisible(m_preview->isIndex);
    if (m_preview->isIndex) {
        // Tall enough for every platform (up to 6 rows; then it scrolls).
        const int rows = qMin(6, int(m_preview->platforms.size()));
        m_platformView->setFixedHeight(m_platformView->horizontalHeader()->sizeHint().height()
                                       + rows * m_platformView->verticalHeader()->defaultSectionSize()
                                       + 2 * m_platformView->frameWidth());
    }
    showPlatform(0);
    if (m_oldBase->text().trimmed().isEmpty() && !m_preview->platforms.isEmpty()) {
        // Found by core: show what and how. An index's platforms may each have found another image.
        const Rebase::PlatformResult &first = m_preview->platforms.first();
        bool same = true;
        for (const Rebase::PlatformResult &platform : std::as_const(m_preview->platforms))
            same = same && platform.plan.oldBase.reference == first.plan.oldBase.reference;
        if (same) {
            setFieldText(m_oldBase, first.plan.oldBase.reference.toString());
            m_oldBaseAuto = true;
        }
        QString how;
        switch (first.oldBaseSource) {
        case Rebase::OldBaseSource::Annotations:
            how = tr("Found in the source's base annotations (org.opencontainers.image.base.*).");
            break;
        case Rebase::OldBaseSource::OsVersionTag:
            how = tr("Found in the new base's repository: the tag named like the source's os.version.");
            break;
        case Rebase::OldBaseSource::Search:
            how = tr("Found by searching the new base's repository for the source's bottom layers; check that it is "
                     "right, or use Find… to choose among the candidates.");
            break;
        case Rebase::OldBaseSource::Given:
            break;
        }
        if (!same)
            how = tr("Each platform's old base was found separately: see the platforms table.") + QLatin1Char(' ') + how;
        m_oldBaseNote->setText(how);
    }
    updateButtons();
}

void RebaseWorkspace::showPlatform(int row)
{
    if (!m_preview || row < 0 || row >= m_preview->platforms.size())
        return;
    const QModelIndex index = m_platforms->index(row, 0);
    if (m_platformView->currentIndex().row() != row)
        m_platformView->setCurrentIndex(index); // shows the plan through currentRowChanged
    else
        showPlan(*m_preview, row);
}

void RebaseWorkspace::showPlan(const Rebase::RebaseOutcome &outcome, int platform)
{
    if (platform < 0 || platform >= outcome.platforms.size())
        return;
    const Rebase::PlatformResult &result = outcome.platforms.at(platform);
    const Rebase::Plan &plan = result.plan;
    m_stacks->setPlan(plan);
    m_leftTitle->setText(tr("Source: %1").arg(imageSummary(plan.source)));
    m_leftTitle->setToolTip(plan.source.pinned().toString());
    m_rightTitle->setText(tr("Result: %1 (predicted %2)").arg(outcome.target.toString(), result.digest.shortString()));
    m_rightTitle->setToolTip(outcome.target.name() + QLatin1Char('@') + result.digest.toString());

    int removed = 0;
    int added = 0;
    for (const Rebase::StackLayer &layer : plan.oldStack)
        removed += layer.origin == Origin::OldBase;
    for (const Rebase::StackLayer &layer : plan.newStack)
        added += layer.origin == Origin::NewBase;
    m_totals->setText(tr("Removes %1 (%2) · adds %3 (%4) · keeps %5.")
                          .arg(counted(removed, tr("old base layer"), tr("old base layers")), humanSize(plan.bytesRemoved()),
                               counted(added, tr("new base layer"), tr("new base layers")), humanSize(plan.bytesAdded()),
                               counted(plan.appLayerCount(), tr("app layer"), tr("app layers"))));
    m_totals->setToolTip(tr("Removed: %1\nAdded: %2").arg(exactSize(plan.bytesRemoved()), exactSize(plan.bytesAdded())));

    m_predicted->setText(tr("Predicted digest of %1: %2").arg(outcome.target.toString(), outcome.digest.toString()));
    if (outcome.isIndex)
        m_predicted->setText(m_predicted->text() + QLatin1Char('\n')
                             + tr("An index of %1; this platform's image: %2")
                                   .arg(counted(outcome.platforms.size(), tr("platform"), tr("platforms")),
                                        result.digest.toString()));
    m_predicted->setToolTip(tr("The manifest (%1, %2) is computed before anything is written: a push writes exactly these "
                               "bytes.")
                                .arg(plan.manifestMediaType, exactSize(plan.manifest.size())));

    m_steps->clear();
    m_steps->setHorizontalHeaderLabels({tr("Blob"), tr("Size"), tr("What"), tr("How it gets into %1").arg(outcome.target.name())});
    const QPalette palette = QGuiApplication::palette();
    for (const Rebase::BlobStep &step : result.steps) {
        auto *digest = new QStandardItem(step.blob.digest.shortString());
        digest->setToolTip(step.blob.digest.toString());
        auto *size = new QStandardItem(humanSize(step.blob.size));
        size->setToolTip(exactSize(step.blob.size));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *what = new QStandardItem(step.isConfig ? tr("config") : tr("layer (%1)").arg(OriginStyle::label(step.origin)));
        if (!step.isConfig)
            what->setIcon(OriginStyle::icon(step.origin, palette));
        QString how;
        switch (step.action) {
        case BlobAction::Present: how = tr("already present"); break;
        case BlobAction::Mount: how = tr("mount from %1").arg(step.from.name()); break;
        case BlobAction::Copy: how = tr("copy from %1").arg(step.from.name()); break;
        case BlobAction::Upload: how = tr("upload (%1)").arg(exactSize(step.blob.size)); break;
        case BlobAction::External: how = tr("external (foreign layer, not touched)"); break;
        }
        m_steps->appendRow({digest, size, what, new QStandardItem(how)});
    }
    auto *manifest = new QStandardItem(result.digest.shortString());
    manifest->setToolTip(result.digest.toString());
    auto *manifestSize = new QStandardItem(humanSize(plan.manifest.size()));
    manifestSize->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_steps->appendRow({manifest, manifestSize, new QStandardItem(tr("manifest")),
                        new QStandardItem(outcome.isIndex ? tr("PUT by digest")
                                                          : tr("PUT as %1, last").arg(outcome.target.toString()))});
    if (outcome.isIndex) {
        auto *index = new QStandardItem(outcome.digest.shortString());
        index->setToolTip(outcome.digest.toString());
        auto *indexSize = new QStandardItem(humanSize(outcome.index.size()));
        indexSize->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_steps->appendRow({index, indexSize, new QStandardItem(tr("index")),
                            new QStandardItem(tr("PUT as %1, last").arg(outcome.target.toString()))});
    }
    m_stepView->resizeColumnsToContents();

    const QStringList notes = plan.notes + outcome.notes;
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!notes.isEmpty());
    m_previewStatus->setText(tr("Preview of the rebase: nothing has been written yet."));
}

void RebaseWorkspace::clearPlan()
{
    m_platforms->clear();
    m_platformPanel->hide();
    m_stacks->clear();
    m_steps->clear();
    m_leftTitle->setText(tr("Source"));
    m_leftTitle->setToolTip({});
    m_rightTitle->setText(tr("Result"));
    m_rightTitle->setToolTip({});
    m_totals->clear();
    m_predicted->setText(tr("Predicted digest: —"));
    m_predicted->setToolTip({});
    m_notes->hide();
}

void RebaseWorkspace::showProblem(const Error &error, const QString &context)
{
    m_problem = error;
    m_problems->showError(error, context);
    if (offersLogin(error)) {
        QString registry = error.registry;
        if (const auto source = Reference::parse(m_source->text().trimmed()); registry.isEmpty() && source.ok())
            registry = source->registry();
        if (!registry.isEmpty())
            m_problems->setAction(tr("Log In…"), [this, registry] { Q_EMIT logInRequested(registry); });
    }
    m_previewStatus->setText(tr("Pushing is disabled until the problem above is solved."));
}

void RebaseWorkspace::confirmAndPush()
{
    if (!m_preview || m_pushOperation || !m_push->isEnabled())
        return;
    const Rebase::RebaseOutcome &preview = *m_preview;
    const QString target = preview.target.toString();
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("confirmPush"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("Rebase and Push"));
    box->setTextFormat(Qt::PlainText);
    QString details;
    if (preview.isIndex) {
        box->setText(tr("Push the rebased index (%1) as %2?")
                         .arg(counted(preview.platforms.size(), tr("platform"), tr("platforms")), target));
        details = tr("Each platform's image is pushed by digest, then the new index %1 is written last at the tag; "
                     "layers are mounted inside %2 and nothing is rebuilt.")
                      .arg(preview.digest.shortString(), preview.target.registry());
    } else {
        box->setText(tr("Push the rebased image as %1?").arg(target));
        details = tr("Layers are mounted inside %1 and the new manifest %2 is written last; nothing is rebuilt.")
                      .arg(preview.target.registry(), preview.digest.shortString());
    }
    const std::optional<Image::Descriptor> &existing = preview.previousTarget;
    if (existing && existing->digest != preview.digest) {
        box->setIcon(QMessageBox::Warning);
        details = tr("The tag %1 exists and points at %2: it will move to the rebased image. Anyone pulling %1 gets the "
                     "new image from then on.")
                      .arg(target, existing->digest.shortString())
            + QLatin1String("\n\n") + details;
    } else if (existing) {
        box->setIcon(QMessageBox::Information);
        details = tr("The tag %1 already points at this exact image: pushing changes nothing.").arg(target)
            + QLatin1String("\n\n") + details;
    } else {
        box->setIcon(QMessageBox::Question);
    }
    box->setInformativeText(details);
    QPushButton *push = box->addButton(tr("Push"), QMessageBox::AcceptRole);
    push->setObjectName(QStringLiteral("confirmPushButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, push] {
        if (box->clickedButton() == push)
            startPush();
    });
    box->open();
}

void RebaseWorkspace::startPush()
{
    if (!m_preview || m_pushOperation)
        return;
    Rebase::RebaseRequest request;
    // What the preview showed. For a single image the old base it found is pinned; for an index each
    // platform finds its own again.
    if (!m_previewRequest)
        return;
    request = *m_previewRequest;
    if (!m_preview->isIndex)
        request.oldBase = m_preview->plan().oldBase.reference;
    request.dryRun = false;
    m_pushed.reset();
    m_resultPanel->hide();
    m_problems->clear();
    m_pushOperation = new Rebase::RebaseOperation(m_client, request, this);
    connect(m_pushOperation, &Rebase::RebaseOperation::progressChanged, this, &RebaseWorkspace::onPushProgress);
    connect(m_pushOperation, &Rebase::RebaseOperation::finished, this, &RebaseWorkspace::onPushFinished);
    m_progressBar->setRange(0, 0);
    m_progressText->setText(tr("Starting…"));
    m_progressPanel->show();
    updateButtons();
    Q_EMIT statusMessage(tr("Pushing %1…").arg(request.target.toString()));
    m_pushOperation->start();
}

void RebaseWorkspace::onPushProgress()
{
    if (!m_pushOperation)
        return;
    const Rebase::Progress &progress = m_pushOperation->progress();
    QString message = progress.message;
    if (!message.isEmpty())
        message[0] = message.at(0).toUpper();
    m_progressText->setText(message);
    if (progress.stepsTotal > 0) {
        m_progressBar->setRange(0, progress.stepsTotal);
        m_progressBar->setValue(progress.stepsDone);
    }
    m_progressBar->setToolTip(progress.bytesDone > 0 ? tr("%1 copied").arg(exactSize(progress.bytesDone)) : QString());
}

void RebaseWorkspace::cancelPush()
{
    if (m_pushOperation)
        m_pushOperation->cancel();
}

void RebaseWorkspace::onPushFinished()
{
    auto *operation = qobject_cast<Rebase::RebaseOperation *>(sender());
    if (!operation || operation != m_pushOperation)
        return;
    operation->deleteLater();
    m_pushOperation = nullptr;
    m_progressPanel->hide();
    const Result<Rebase::RebaseOutcome> &result = operation->result();
    if (!result.ok()) {
        m_problems->showError(result.error(), tr("Rebase and push"));
        Q_EMIT statusMessage(tr("The push did not complete; %1 was not changed.").arg(operation->request().target.toString()));
        updateButtons();
        return;
    }
    m_pushed = result.value();
    const Reference pushedRef = m_pushed->target.withDigest(m_pushed->digest);
    QString text = m_pushed->isIndex
        ? tr("Pushed %1: an index of %2\n%3")
              .arg(m_pushed->target.toString(), counted(m_pushed->platforms.size(), tr("platform"), tr("platforms")),
                   m_pushed->digest.toString())
        : tr("Pushed %1\n%2").arg(m_pushed->target.toString(), m_pushed->digest.toString());
    if (m_preview && m_preview->digest != m_pushed->digest)
        text += QLatin1Char('\n') + tr("The digest differs from the preview's: an image changed in the meantime.");
    m_resultText->setText(text);
    m_resultPanel->show();
    m_previewStatus->setText(tr("Pushed: the stacks above are what was written."));
    Q_EMIT statusMessage(tr("Pushed %1").arg(pushedRef.toString()));
    // The target holds the result now: a second push is described truthfully.
    if (m_preview) {
        Image::Descriptor now;
        now.digest = m_pushed->digest;
        now.mediaType = m_pushed->isIndex ? m_pushed->indexMediaType : m_pushed->plan().manifestMediaType;
        m_preview->previousTarget = now;
    }
    updateButtons();
    Q_EMIT pushed(pushedRef);
}

void RebaseWorkspace::updateButtons()
{
    const bool pushing = m_pushOperation;
    for (QLineEdit *field : {m_source, m_oldBase, m_newBase, m_target})
        field->setReadOnly(pushing);
    const bool selection = m_selection.isValid() && !pushing;
    m_sourceFromSelection->setEnabled(selection);
    m_oldBaseFromSelection->setEnabled(selection);
    m_newBaseFromSelection->setEnabled(selection);
    m_findOldBase->setEnabled(!pushing);
    const bool ready = m_preview.has_value() && !m_problem && !pushing && !m_previewOperation;
    m_push->setEnabled(ready);
    m_push->setToolTip(ready ? tr("Push %1 after a confirmation").arg(m_preview->target.toString())
                             : tr("Available once the preview shows no problem"));
    m_copyPredicted->setEnabled(m_preview.has_value());
    m_oldBaseNote->setVisible(!m_oldBaseNote->text().isEmpty());
    m_targetNote->setVisible(!m_targetNote->text().isEmpty());
}

} // namespace Restack::Ui
