// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "indexcomposer.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
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
#include "image/mediatypes.h"
#include "indexentrymodel.h"
#include "messagebanner.h"
#include "originstyle.h"
#include "registry/client.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

using Image::Reference;
namespace MediaType = Image::MediaType;

namespace
{
QStringList splitTags(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QStandardItem *item(const QString &text, const QString &tip = {})
{
    auto *item = new QStandardItem(text);
    if (!tip.isEmpty())
        item->setToolTip(tip);
    return item;
}
} // namespace

IndexComposer::IndexComposer(Registry::Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_previewTimer(new QTimer(this))
    , m_entries(new IndexEntryModel(this))
    , m_blobs(new QStandardItemModel(this))
{
    setObjectName(QStringLiteral("indexComposer"));
    m_entries->setClient(client);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(PreviewDelayMs);
    connect(m_previewTimer, &QTimer::timeout, this, &IndexComposer::startPreview);

    // --- the images -------------------------------------------------------------------------------
    auto *imageGroup = new QGroupBox(tr("Images (one per platform)"), this);
    m_reference = makeLineEdit(imageGroup, QStringLiteral("composerReference"),
                               tr("registry/repository:tag of an image to add, then Enter"), tr("Image to add"));
    m_add = new QPushButton(tr("&Add"), imageGroup);
    m_add->setObjectName(QStringLiteral("composerAdd"));
    m_add->setAccessibleName(tr("Add the image typed"));
    m_addSelection = new QPushButton(tr("Add &Selection"), imageGroup);
    m_addSelection->setObjectName(QStringLiteral("composerAddSelection"));
    m_addSelection->setToolTip(tr("Add the image selected in the browser"));
    m_addSelection->setAccessibleName(tr("Add the image selected in the browser"));
    m_remove = new QPushButton(tr("Re&move"), imageGroup);
    m_remove->setObjectName(QStringLiteral("composerRemove"));
    m_remove->setAccessibleName(tr("Remove the selected images"));
    m_remove->setToolTip(tr("Remove the selected images (Delete)"));
    m_loadSpec = new QPushButton(tr("&Load Spec…"), imageGroup);
    m_loadSpec->setObjectName(QStringLiteral("composerLoadSpec"));
    m_loadSpec->setToolTip(tr("Load a manifest-tool YAML spec (image, tags, manifests with platforms)"));
    m_loadSpec->setAccessibleName(tr("Load a manifest-tool spec"));

    m_entryView = new QTableView(imageGroup);
    m_entryView->setObjectName(QStringLiteral("composerEntries"));
    m_entryView->setAccessibleName(tr("Images of the index and their platforms"));
    m_entryView->setModel(m_entries);
    m_entryView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_entryView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                 | QAbstractItemView::AnyKeyPressed);
    m_entryView->setWordWrap(false);
    m_entryView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_entryView->horizontalHeader()->setStretchLastSection(true);
    m_entryView->setColumnWidth(IndexEntryModel::ImageColumn, 380);
    m_entryView->setColumnWidth(IndexEntryModel::OsColumn, 80);
    m_entryView->setColumnWidth(IndexEntryModel::ArchitectureColumn, 100);
    m_entryView->setColumnWidth(IndexEntryModel::VariantColumn, 70);
    m_entryView->setColumnWidth(IndexEntryModel::OsVersionColumn, 120);
    m_entryView->setColumnWidth(IndexEntryModel::FeaturesColumn, 110);
    auto *removeAction = new QAction(tr("Remove"), m_entryView);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(removeAction, &QAction::triggered, this, &IndexComposer::removeSelected);
    m_entryView->addAction(removeAction);
    auto *entryNote = makeLabel(imageGroup, QStringLiteral("composerEntryNote"), LabelKind::Note);
    entryNote->setText(tr("Platforms come from each image's config; edit a cell (F2) to override it."));

    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_reference, 1);
    addRow->addWidget(m_add);
    addRow->addWidget(m_addSelection);
    auto *entryButtons = new QHBoxLayout;
    entryButtons->addWidget(m_remove);
    entryButtons->addWidget(m_loadSpec);
    entryButtons->addWidget(entryNote, 1);
    auto *imageLayout = new QVBoxLayout(imageGroup);
    imageLayout->addLayout(addRow);
    imageLayout->addWidget(m_entryView, 1);
    imageLayout->addLayout(entryButtons);

    // --- the index: type, target, tags ----------------------------------------------------------
    auto *indexGroup = new QGroupBox(tr("Index"), this);
    m_type = new QComboBox(indexGroup);
    m_type->setObjectName(QStringLiteral("composerType"));
    m_type->setAccessibleName(tr("Index type"));
    m_type->addItem(tr("OCI image index"), int(MediaType::Family::Oci));
    m_type->addItem(tr("Docker manifest list"), int(MediaType::Family::Docker));
    m_type->setToolTip(tr("A Docker manifest list can only hold Docker schema 2 images; an OCI index holds both."));
    m_target = makeLineEdit(indexGroup, QStringLiteral("composerTarget"), tr("registry/repository:tag to push the index to"),
                            tr("Target tag"));
    m_extraTags = makeLineEdit(indexGroup, QStringLiteral("composerExtraTags"), tr("more tags of the same repository, "
                                                                                   "e.g. latest, 1"),
                               tr("Extra tags"));
    m_annotationNote = makeLabel(indexGroup, QStringLiteral("composerAnnotations"), LabelKind::Note);
    m_annotationNote->hide();
    auto *form = new QGridLayout(indexGroup);
    const auto addField = [form, indexGroup](int column, const QString &text, QWidget *field, int stretch) {
        auto *label = new QLabel(text, indexGroup);
        label->setBuddy(field);
        form->addWidget(label, 0, column);
        form->addWidget(field, 0, column + 1);
        form->setColumnStretch(column + 1, stretch);
    };
    addField(0, tr("T&ype:"), m_type, 0);
    addField(2, tr("&Target:"), m_target, 3);
    addField(4, tr("E&xtra tags:"), m_extraTags, 1);
    form->addWidget(m_annotationNote, 1, 1, 1, 5);

    m_problems = new MessageBanner(this);
    m_problems->setObjectName(QStringLiteral("composerProblems"));
    m_problems->setAccessibleName(tr("Index problems"));

    // --- the preview: JSON and blobs --------------------------------------------------------------
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("composerSplitter"));
    auto *jsonGroup = new QGroupBox(tr("Index JSON"), m_splitter);
    m_digest = makeLabel(jsonGroup, QStringLiteral("composerDigest"));
    m_json = new QPlainTextEdit(jsonGroup);
    m_json->setObjectName(QStringLiteral("composerIndexJson"));
    m_json->setAccessibleName(tr("Index JSON"));
    m_json->setReadOnly(true);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *jsonLayout = new QVBoxLayout(jsonGroup);
    jsonLayout->addWidget(m_digest);
    jsonLayout->addWidget(m_json, 1);
    auto *blobGroup = new QGroupBox(tr("What will be brought into the target repository"), m_splitter);
    m_blobView = new QTableView(blobGroup);
    m_blobView->setObjectName(QStringLiteral("composerBlobs"));
    m_blobView->setAccessibleName(tr("Blobs and manifests to push"));
    m_blobView->setModel(m_blobs);
    m_blobView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_blobView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_blobView->setWordWrap(false);
    m_blobView->verticalHeader()->hide();
    m_blobView->horizontalHeader()->setStretchLastSection(true);
    auto *blobLayout = new QVBoxLayout(blobGroup);
    blobLayout->addWidget(m_blobView);
    m_splitter->addWidget(jsonGroup);
    m_splitter->addWidget(blobGroup);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    // --- push, progress, result ----------------------------------------------------------------
    m_status = makeLabel(this, QStringLiteral("composerStatus"), LabelKind::Note);
    m_push = new QPushButton(tr("Push Index…"), this);
    m_push->setObjectName(QStringLiteral("composerPush"));
    m_push->setAccessibleName(tr("Push the index"));
    const ProgressPanel progress = makeProgressPanel(
        this, {QStringLiteral("composerProgressPanel"), QStringLiteral("composerProgressText"),
               QStringLiteral("composerProgress"), QStringLiteral("composerCancel")},
        tr("push"));
    m_progressPanel = progress.panel;
    m_progressText = progress.text;
    m_progressBar = progress.bar;
    m_progressBar->setRange(0, 0); // IndexOperation reports what it does, not how far
    m_cancel = progress.cancel;

    m_copyReference = new QPushButton(tr("Copy Reference"), this);
    m_copyReference->setObjectName(QStringLiteral("composerCopyReference"));
    m_copyReference->setAccessibleName(tr("Copy the pushed index's reference"));
    m_copyDigest = new QPushButton(tr("Copy Digest"), this);
    m_copyDigest->setObjectName(QStringLiteral("composerCopyDigest"));
    m_copyDigest->setAccessibleName(tr("Copy the pushed index's digest"));
    const ResultPanel result = makeResultPanel(this, QStringLiteral("composerResultPanel"), QStringLiteral("composerResult"),
                                               {m_copyReference, m_copyDigest});
    m_resultPanel = result.panel;
    m_resultText = result.text;

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_push);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(imageGroup, 1);
    layout->addWidget(indexGroup);
    layout->addWidget(m_problems);
    layout->addWidget(m_splitter, 3);
    layout->addLayout(bottom);
    layout->addWidget(m_progressPanel);
    layout->addWidget(m_resultPanel);

    connect(m_reference, &QLineEdit::returnPressed, this, [this] {
        if (addImageText(m_reference->text()))
            m_reference->clear();
    });
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (addImageText(m_reference->text()))
            m_reference->clear();
    });
    connect(m_addSelection, &QPushButton::clicked, this, [this] {
        if (m_selection.isValid())
            addImage(m_selection);
    });
    connect(m_remove, &QPushButton::clicked, this, &IndexComposer::removeSelected);
    connect(m_loadSpec, &QPushButton::clicked, this, &IndexComposer::chooseSpecFile);
    connect(m_entries, &IndexEntryModel::entriesChanged, this, &IndexComposer::schedulePreview);
    connect(m_entryView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &IndexComposer::updateButtons);
    connect(m_type, &QComboBox::currentIndexChanged, this, &IndexComposer::schedulePreview);
    connect(m_target, &QLineEdit::textChanged, this, &IndexComposer::schedulePreview);
    connect(m_extraTags, &QLineEdit::textChanged, this, &IndexComposer::schedulePreview);
    connect(m_push, &QPushButton::clicked, this, &IndexComposer::confirmAndPush);
    connect(m_cancel, &QPushButton::clicked, this, &IndexComposer::cancelPush);
    connect(m_copyReference, &QPushButton::clicked, this, [this] {
        if (m_pushed)
            QApplication::clipboard()->setText(m_pushed->target.name() + QLatin1Char('@') + m_pushed->digest.toString());
    });
    connect(m_copyDigest, &QPushButton::clicked, this, [this] {
        if (m_pushed)
            QApplication::clipboard()->setText(m_pushed->digest.toString());
    });

    clearPreview();
    m_status->setText(tr("Add the images of each platform (typed, or selected in the browser), then name the target."));
    updateButtons();
}

IndexComposer::~IndexComposer() = default;

void IndexComposer::setClient(Registry::Client *client)
{
    m_client = client;
    m_entries->setClient(client);
}

void IndexComposer::setSelection(const Reference &ref)
{
    m_selection = ref;
    updateButtons();
}

void IndexComposer::addImage(const Reference &ref, const std::optional<Image::Platform> &platform)
{
    if (!ref.isValid())
        return;
    Index::IndexEntry entry;
    entry.image = ref;
    entry.platform = platform;
    const int row = m_entries->addEntry(entry);
    m_entryView->selectRow(row);
    // The first image suggests the target: its repository, tag "multi".
    if (m_target->text().trimmed().isEmpty())
        m_target->setText(ref.repositoryOnly().withTag(QStringLiteral("multi")).toString());
}

bool IndexComposer::addImageText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return false;
    const auto ref = Reference::parse(trimmed);
    if (!ref.ok()) {
        m_problems->showError(ref.error(), tr("“%1” is not an image reference").arg(trimmed));
        return false;
    }
    addImage(ref.value());
    return true;
}

void IndexComposer::setTarget(const QString &target)
{
    m_target->setText(target);
}

void IndexComposer::setExtraTags(const QString &tags)
{
    m_extraTags->setText(tags);
}

void IndexComposer::setType(MediaType::Family family)
{
    m_type->setCurrentIndex(m_type->findData(int(family)));
}

bool IndexComposer::loadSpec(const QByteArray &yaml, const QString &fileName)
{
    const auto spec = Index::parseSpec(yaml);
    if (!spec.ok()) {
        // Reported, but the composition shown stays as it was (and pushable).
        m_problems->showError(spec.error(), fileName.isEmpty() ? tr("The spec cannot be read") : tr("Reading %1").arg(fileName));
        return false;
    }
    m_entries->clear();
    m_target->setText(spec->target.toString());
    m_extraTags->setText(spec->extraTags.join(QStringLiteral(", ")));
    if (spec->type)
        setType(*spec->type);
    m_annotations = spec->annotations;
    m_annotationNote->setText(m_annotations.isEmpty()
                                  ? QString()
                                  : tr("%1 from the spec (OCI index only)")
                                        .arg(counted(m_annotations.size(), tr("annotation"), tr("annotations"))));
    m_annotationNote->setToolTip(QString::fromUtf8(QJsonDocument(m_annotations).toJson(QJsonDocument::Indented)));
    m_annotationNote->setVisible(!m_annotations.isEmpty());
    for (const Index::IndexEntry &entry : spec->entries)
        m_entries->addEntry(entry);
    Q_EMIT statusMessage(tr("Loaded %1").arg(fileName.isEmpty() ? tr("the spec") : fileName));
    return true;
}

void IndexComposer::chooseSpecFile()
{
    auto *dialog = new QFileDialog(this, tr("Load a manifest-tool Spec"));
    dialog->setObjectName(QStringLiteral("composerSpecDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("YAML files (*.yaml *.yml)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            showProblem(Error::make(Error::Kind::InvalidInput, tr("%1 cannot be read: %2").arg(path, file.errorString())),
                        tr("Loading a spec"));
            return;
        }
        loadSpec(file.read(1024 * 1024), QFileInfo(path).fileName());
    });
    dialog->open();
}

bool IndexComposer::isBusy() const
{
    return m_previewOperation || m_pushOperation;
}

void IndexComposer::removeSelected()
{
    if (m_pushOperation)
        return;
    QList<int> rows;
    for (const QModelIndex &index : m_entryView->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : std::as_const(rows))
        m_entries->removeEntry(row);
}

void IndexComposer::schedulePreview()
{
    if (m_pushOperation)
        return;
    if (m_previewOperation)
        m_previewOperation->deleteLater();
    m_previewOperation = nullptr;
    m_preview.reset();
    m_previewRequest.reset();
    clearPreview();
    m_previewTimer->start();
    updateButtons();
}

void IndexComposer::refresh()
{
    if (m_pushOperation)
        return;
    m_entries->reload();
    schedulePreview();
}

std::optional<Index::IndexRequest> IndexComposer::readRequest()
{
    Index::IndexRequest request;
    request.entries = m_entries->entries();
    if (request.entries.isEmpty()) {
        m_status->setText(tr("Add the images of each platform (typed, or selected in the browser), then name the "
                             "target."));
        return std::nullopt;
    }
    const QString target = m_target->text().trimmed();
    if (target.isEmpty()) {
        m_status->setText(tr("Enter the target tag to see the preview."));
        return std::nullopt;
    }
    const auto ref = Reference::parse(target);
    if (!ref.ok()) {
        showProblem(ref.error(), tr("The target is not a valid reference"));
        return std::nullopt;
    }
    if (ref->tag().isEmpty() || ref->hasDigest()) {
        showProblem(Error::make(Error::Kind::InvalidInput, tr("the target must name a tag and no digest"),
                                tr("Write it as registry/repository:tag.")),
                    tr("Target"));
        return std::nullopt;
    }
    request.target = ref.value();
    for (const QString &tag : splitTags(m_extraTags->text())) {
        const auto tagged = Reference::parse(ref->repositoryOnly().toString() + QLatin1Char(':') + tag);
        if (!tagged.ok() || tagged->tag() != tag) {
            showProblem(Error::make(Error::Kind::InvalidInput, tr("“%1” is not a valid tag").arg(tag),
                                    tr("Tags are letters, digits, '_', '.' and '-', at most 128.")),
                        tr("Extra tags"));
            return std::nullopt;
        }
        if (tag != ref->tag() && !request.extraTags.contains(tag))
            request.extraTags << tag;
    }
    request.type = MediaType::Family(m_type->currentData().toInt());
    request.annotations = m_annotations;
    request.dryRun = true;
    return request;
}

void IndexComposer::startPreview()
{
    if (m_pushOperation)
        return;
    m_problems->clear();
    m_problem.reset();
    const std::optional<Index::IndexRequest> request = readRequest();
    if (!request) {
        updateButtons();
        return;
    }
    if (m_entries->isLoading()) {
        m_status->setText(tr("Reading the images…"));
        return; // started again once they are loaded (entriesChanged)
    }
    m_previewRequest = request;
    m_previewOperation = new Index::IndexOperation(m_client, *request, this);
    connect(m_previewOperation, &Index::IndexOperation::finished, this, &IndexComposer::onPreviewFinished);
    m_status->setText(tr("Checking the images and the target repository…"));
    m_previewOperation->start();
    updateButtons();
}

void IndexComposer::onPreviewFinished()
{
    auto *operation = qobject_cast<Index::IndexOperation *>(sender());
    if (!operation || operation != m_previewOperation)
        return;
    operation->deleteLater();
    m_previewOperation = nullptr;
    const Result<Index::IndexOutcome> &result = operation->result();
    if (!result.ok()) {
        showProblem(result.error(), tr("The index cannot be assembled"));
        updateButtons();
        return;
    }
    m_preview = result.value();
    showPreview(*m_preview);
    updateButtons();
}

void IndexComposer::showPreview(const Index::IndexOutcome &outcome)
{
    const QJsonDocument document = QJsonDocument::fromJson(outcome.index);
    m_json->setPlainText(QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
    const QString kind = outcome.mediaType == MediaType::OciIndex ? tr("OCI image index") : tr("Docker manifest list");
    m_digest->setText(tr("Digest %1 · %2 · %3").arg(outcome.digest.shortString(), kind, exactSize(outcome.index.size())));
    m_digest->setToolTip(tr("%1\n%2\nThe digest of the exact bytes that will be pushed: the same JSON, compact (shown "
                            "indented here).")
                             .arg(outcome.digest.toString(), outcome.mediaType));

    m_blobs->clear();
    m_blobs->setHorizontalHeaderLabels({tr("Platform"), tr("Blob"), tr("Size"), tr("What"), tr("How it gets into %1").arg(outcome.target.name())});
    const Reference targetRepository = outcome.target.repositoryOnly();
    for (const Index::IndexChild &child : outcome.children) {
        const QString image = child.image.reference.toString();
        const QString platform = child.descriptor.platform ? child.descriptor.platform->toString(true) : QString();
        const bool elsewhere = child.image.reference.repositoryOnly() != targetRepository;
        for (const Registry::BlobItem &blob : child.blobs) {
            QString how;
            switch (blob.action) {
            case Registry::BlobAction::Present: how = tr("already present"); break;
            case Registry::BlobAction::Mount: how = tr("mount from %1").arg(blob.from.repository()); break;
            case Registry::BlobAction::Copy: how = tr("copy from %1").arg(blob.from.name()); break;
            case Registry::BlobAction::Upload: how = tr("upload"); break;
            case Registry::BlobAction::External: how = tr("external (foreign layer, not touched)"); break;
            }
            auto *size = item(humanSize(blob.blob.size), exactSize(blob.blob.size));
            size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            const bool config = blob.blob.digest == child.image.manifest.config().digest;
            m_blobs->appendRow({item(platform, image), item(blob.blob.digest.shortString(), blob.blob.digest.toString()), size,
                                item(config ? tr("config") : tr("layer")), item(how)});
        }
        auto *size = item(humanSize(child.descriptor.size), exactSize(child.descriptor.size));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_blobs->appendRow({item(platform, image), item(child.descriptor.digest.shortString(), child.descriptor.digest.toString()),
                            size, item(tr("manifest")),
                            item(elsewhere ? tr("PUT by digest (a copy of %1's)").arg(child.image.reference.repository())
                                           : tr("already there"),
                                 child.image.reference.toString())});
    }
    auto *indexSize = item(humanSize(outcome.index.size()), exactSize(outcome.index.size()));
    indexSize->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QStringList tags;
    for (const QString &tag : outcome.tags)
        tags << QLatin1Char(':') + tag;
    m_blobs->appendRow({item(tr("all")), item(outcome.digest.shortString(), outcome.digest.toString()), indexSize,
                        item(tr("index")), item(tr("PUT as %1, last").arg(tags.join(QStringLiteral(", "))),
                             targetRepository.withTag(outcome.tags.value(0)).toString())});
    m_blobView->resizeColumnsToContents();
    m_status->setText(tr("Preview of the index: nothing has been written yet."));
}

void IndexComposer::clearPreview()
{
    m_json->clear();
    m_blobs->clear();
    m_digest->setText(tr("Digest: —"));
    m_digest->setToolTip({});
}

void IndexComposer::showProblem(const Error &error, const QString &context)
{
    m_problem = error;
    m_problems->showError(error, context);
    if (offersLogin(error)) {
        QString registry = error.registry;
        if (const auto target = Reference::parse(m_target->text().trimmed()); registry.isEmpty() && target.ok())
            registry = target->registry();
        if (!registry.isEmpty())
            m_problems->setAction(tr("Log In…"), [this, registry] { Q_EMIT logInRequested(registry); });
    }
    m_status->setText(tr("Pushing is disabled until the problem above is solved."));
}

void IndexComposer::confirmAndPush()
{
    if (!m_preview || m_pushOperation || !m_push->isEnabled())
        return;
    const Index::IndexOutcome &preview = *m_preview;
    QStringList tags;
    for (const QString &tag : preview.tags)
        tags << preview.target.repositoryOnly().withTag(tag).toString();
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("confirmIndexPush"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("Push Index"));
    box->setIcon(QMessageBox::Question);
    box->setTextFormat(Qt::PlainText);
    box->setText(tr("Push the %1 of %2 as %3?")
                     .arg(preview.mediaType == MediaType::OciIndex ? tr("OCI image index") : tr("Docker manifest list"),
                          counted(preview.children.size(), tr("image"), tr("images")), tags.join(QStringLiteral(", "))));
    box->setInformativeText(tr("Images from other repositories are brought into %1 first (blobs mounted or copied, "
                               "manifests pushed by digest); the index %2 is written last, so a failure leaves the tags "
                               "untouched. Existing tags move to the new index.")
                                .arg(preview.target.name(), preview.digest.shortString()));
    QPushButton *push = box->addButton(tr("Push"), QMessageBox::AcceptRole);
    push->setObjectName(QStringLiteral("confirmIndexPushButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, push] {
        if (box->clickedButton() == push)
            startPush();
    });
    box->open();
}

void IndexComposer::startPush()
{
    if (!m_preview || !m_previewRequest || m_pushOperation)
        return;
    Index::IndexRequest request = *m_previewRequest;
    request.dryRun = false;
    m_pushed.reset();
    m_resultPanel->hide();
    m_problems->clear();
    m_pushOperation = new Index::IndexOperation(m_client, request, this);
    connect(m_pushOperation, &Index::IndexOperation::statusChanged, this, [this] {
        if (!m_pushOperation)
            return;
        QString text = m_pushOperation->status();
        if (!text.isEmpty())
            text[0] = text.at(0).toUpper();
        m_progressText->setText(text);
    });
    connect(m_pushOperation, &Index::IndexOperation::finished, this, &IndexComposer::onPushFinished);
    m_progressText->setText(tr("Starting…"));
    m_progressPanel->show();
    updateButtons();
    Q_EMIT statusMessage(tr("Pushing %1…").arg(request.target.toString()));
    m_pushOperation->start();
}

void IndexComposer::cancelPush()
{
    if (m_pushOperation)
        m_pushOperation->cancel();
}

void IndexComposer::onPushFinished()
{
    auto *operation = qobject_cast<Index::IndexOperation *>(sender());
    if (!operation || operation != m_pushOperation)
        return;
    operation->deleteLater();
    m_pushOperation = nullptr;
    m_progressPanel->hide();
    const Result<Index::IndexOutcome> &result = operation->result();
    if (!result.ok()) {
        m_problems->showError(result.error(), tr("Pushing the index"));
        Q_EMIT statusMessage(tr("The push did not complete."));
        updateButtons();
        return;
    }
    m_pushed = result.value();
    QStringList others = m_pushed->tags.mid(1);
    QString text = tr("Pushed %1").arg(m_pushed->target.toString());
    if (!others.isEmpty())
        text += tr(" (also tagged %1)").arg(others.join(QStringLiteral(", ")));
    text += QLatin1Char('\n') + m_pushed->digest.toString();
    if (m_preview && m_preview->digest != m_pushed->digest)
        text += QLatin1Char('\n') + tr("The digest differs from the preview's: an image changed in the meantime.");
    m_resultText->setText(text);
    m_resultPanel->show();
    m_status->setText(tr("Pushed: the index above is what was written."));
    const Reference pushedRef = m_pushed->target.withDigest(m_pushed->digest);
    Q_EMIT statusMessage(tr("Pushed %1").arg(pushedRef.toString()));
    updateButtons();
    Q_EMIT pushed(pushedRef);
}

void IndexComposer::updateButtons()
{
    const bool pushing = m_pushOperation;
    m_reference->setReadOnly(pushing);
    m_add->setEnabled(!pushing);
    m_addSelection->setEnabled(!pushing && m_selection.isValid());
    m_remove->setEnabled(!pushing && m_entryView->selectionModel()->hasSelection());
    m_loadSpec->setEnabled(!pushing);
    m_type->setEnabled(!pushing);
    m_target->setReadOnly(pushing);
    m_extraTags->setReadOnly(pushing);
    m_entryView->setEnabled(!pushing);
    const bool ready = m_preview.has_value() && !m_problem && !pushing && !m_previewOperation;
    m_push->setEnabled(ready);
    m_push->setToolTip(ready ? tr("Push %1 after a confirmation").arg(m_preview->target.toString())
                             : tr("Available once the preview shows no problem"));
}

} // namespace Restack::Ui
