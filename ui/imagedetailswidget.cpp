// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagedetailswidget.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "layermodel.h"
#include "originstyle.h"
#include "rebase/resolver.h"
#include "registry/client.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

using Image::Manifest;
using Image::Reference;

namespace
{

QString commandLine(const QStringList &words)
{
    if (words.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(words)).toJson(QJsonDocument::Compact));
}

} // namespace

ImageDetailsWidget::ImageDetailsWidget(Registry::Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(makeLabel(this, QStringLiteral("imageTitle"), LabelKind::Value, tr("Image")))
    , m_status(makeLabel(this, QStringLiteral("imageStatus"), LabelKind::Value, tr("Status")))
    , m_digestLabel(makeLabel(this, QStringLiteral("imageDigest"), LabelKind::Value, tr("Digest")))
    , m_copyReference(new QPushButton(tr("Copy Reference"), this))
    , m_copyPull(new QPushButton(tr("Copy Pull Command"), this))
    , m_platformLabel(new QLabel(tr("&Platform:"), this))
    , m_platforms(new QComboBox(this))
    , m_rebase(new QPushButton(tr("Rebase This Image…"), this))
    , m_useOldBase(new QPushButton(tr("Use as Old Base"), this))
    , m_useNewBase(new QPushButton(tr("Use as New Base"), this))
    , m_summary(new QGroupBox(tr("Configuration"), this))
    , m_form(new QFormLayout)
    , m_platform(makeLabel(m_summary, QStringLiteral("configPlatform"), LabelKind::Value, tr("Platform")))
    , m_created(makeLabel(m_summary, QStringLiteral("configCreated"), LabelKind::Value, tr("Created")))
    , m_entrypoint(makeLabel(m_summary, QStringLiteral("configEntrypoint"), LabelKind::Value, tr("Entrypoint")))
    , m_cmd(makeLabel(m_summary, QStringLiteral("configCmd"), LabelKind::Value, tr("Command")))
    , m_labels(makeLabel(m_summary, QStringLiteral("configLabels"), LabelKind::Value, tr("Labels")))
    , m_layerSummary(makeLabel(this, QStringLiteral("layerSummary"), LabelKind::Value, tr("Layers")))
    , m_layerView(new QTableView(this))
    , m_layers(new LayerModel(this))
{
    setObjectName(QStringLiteral("imageDetails"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_digestLabel->setWordWrap(false);
    m_status->setEnabled(false);

    m_copyReference->setObjectName(QStringLiteral("copyReference"));
    m_copyReference->setToolTip(tr("Copy REPOSITORY@DIGEST to the clipboard"));
    m_copyPull->setObjectName(QStringLiteral("copyPullCommand"));
    m_copyPull->setToolTip(tr("Copy a docker pull command for this exact image"));
    m_platforms->setObjectName(QStringLiteral("platformChooser"));
    m_platforms->setAccessibleName(tr("Platform"));
    m_platformLabel->setBuddy(m_platforms);
    m_rebase->setObjectName(QStringLiteral("rebaseThisImage"));
    m_rebase->setToolTip(tr("Open the rebase workspace with this image as the source"));
    m_useOldBase->setObjectName(QStringLiteral("useAsOldBase"));
    m_useOldBase->setToolTip(tr("Use this image as the base the source was built on"));
    m_useNewBase->setObjectName(QStringLiteral("useAsNewBase"));
    m_useNewBase->setToolTip(tr("Use this image as the base to rebase onto"));
    for (QPushButton *button : {m_copyReference, m_copyPull, m_rebase, m_useOldBase, m_useNewBase})
        button->setAccessibleName(button->text().remove(QStringLiteral("\u2026")));

    m_layerView->setObjectName(QStringLiteral("layerTable"));
    m_layerView->setAccessibleName(tr("Layers and history"));
    m_layerView->setModel(m_layers);
    m_layerView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layerView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layerView->setWordWrap(false);
    m_layerView->setTextElideMode(Qt::ElideMiddle);
    m_layerView->verticalHeader()->hide();
    m_layerView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layerView->horizontalHeader()->setStretchLastSection(true);
    m_layerView->horizontalHeader()->setSectionResizeMode(LayerModel::IndexColumn, QHeaderView::ResizeToContents);
    m_layerView->horizontalHeader()->setSectionResizeMode(LayerModel::DigestColumn, QHeaderView::ResizeToContents);
    m_layerView->horizontalHeader()->setSectionResizeMode(LayerModel::SizeColumn, QHeaderView::ResizeToContents);

    m_form->addRow(tr("Platform:"), m_platform);
    m_form->addRow(tr("Created:"), m_created);
    m_form->addRow(tr("Entrypoint:"), m_entrypoint);
    m_form->addRow(tr("Cmd:"), m_cmd);
    m_form->addRow(tr("Labels:"), m_labels);
    m_summary->setLayout(m_form);

    auto *digestRow = new QHBoxLayout;
    digestRow->addWidget(m_digestLabel, 1);
    digestRow->addWidget(m_copyReference);
    digestRow->addWidget(m_copyPull);
    auto *platformRow = new QHBoxLayout;
    platformRow->addWidget(m_platformLabel);
    platformRow->addWidget(m_platforms, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_rebase);
    actions->addWidget(m_useOldBase);
    actions->addWidget(m_useNewBase);
    actions->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addLayout(digestRow);
    layout->addLayout(platformRow);
    layout->addLayout(actions);
    layout->addWidget(m_summary);
    layout->addWidget(m_layerSummary);
    layout->addWidget(m_layerView, 1);
    layout->addStretch(0); // keeps the header at the top while the layer table is hidden

    connect(m_copyReference, &QPushButton::clicked, this, &ImageDetailsWidget::copyReference);
    connect(m_copyPull, &QPushButton::clicked, this, &ImageDetailsWidget::copyPullCommand);
    connect(m_platforms, &QComboBox::activated, this, &ImageDetailsWidget::showPlatform);
    connect(m_rebase, &QPushButton::clicked, this, [this] { Q_EMIT rebaseRequested(m_reference); });
    connect(m_useOldBase, &QPushButton::clicked, this, [this] { Q_EMIT oldBaseRequested(m_reference); });
    connect(m_useNewBase, &QPushButton::clicked, this, [this] { Q_EMIT newBaseRequested(m_reference); });
    clear();
}

ImageDetailsWidget::~ImageDetailsWidget() = default;

QObject *ImageDetailsWidget::freshRequests()
{
    delete m_requests; // aborts what is in flight, without callbacks
    m_requests = new QObject(this);
    return m_requests;
}

void ImageDetailsWidget::clear()
{
    freshRequests();
    m_reference = {};
    m_digest = {};
    m_children.clear();
    m_loaded = false;
    m_title->setText(tr("No image selected"));
    setStatus(tr("Choose a registry, a repository and a tag."));
    m_digestLabel->clear();
    m_digestLabel->setToolTip({});
    m_platforms->clear();
    m_platformLabel->hide();
    m_platforms->hide();
    m_summary->hide();
    m_layerSummary->hide();
    m_layerView->hide();
    m_layers->clear();
    updateButtons();
}

void ImageDetailsWidget::showImage(const Reference &ref)
{
    clear();
    m_reference = ref;
    m_title->setText(ref.toString());
    m_title->setToolTip(ref.toString());
    setStatus(tr("Loading the manifest…"));
    m_client->fetchManifest(ref, freshRequests(), [this](Result<Manifest> manifest) {
        if (!manifest.ok())
            return fail(manifest.error());
        onManifest(manifest.value());
    });
}

void ImageDetailsWidget::onManifest(const Manifest &manifest)
{
    m_digest = manifest.digest();
    m_digestLabel->setText(tr("%1 · %2").arg(m_digest.shortString(), manifest.isIndex() ? tr("index") : tr("image")));
    m_digestLabel->setToolTip(m_digest.toString() + QLatin1Char('\n') + manifest.mediaType());
    updateButtons();
    if (!manifest.isIndex())
        return loadConfig(manifest);

    // An index: choose a platform (the first, or the one matching this machine when present).
    m_children.clear();
    m_platforms->clear();
    const QList<Image::Platform> platforms = Rebase::indexPlatforms(manifest);
    for (const Image::Descriptor &child : manifest.manifests()) {
        if (!child.platform || !platforms.contains(*child.platform))
            continue;
        m_children << child;
        m_platforms->addItem(child.platform->toString(true), child.digest.toString());
    }
    if (m_children.isEmpty()) {
        m_loaded = true;
        setStatus(tr("This index lists no runnable platform."));
        updateButtons();
        return;
    }
    m_platformLabel->show();
    m_platforms->show();
    int preferred = 0;
    for (int i = 0; i < m_children.size(); ++i) {
        if (m_children.at(i).platform->os == QLatin1String("linux")
            && m_children.at(i).platform->architecture == QLatin1String("amd64")) {
            preferred = i;
            break;
        }
    }
    m_platforms->setCurrentIndex(preferred);
    showPlatform(preferred);
}

void ImageDetailsWidget::showPlatform(int index)
{
    if (index < 0 || index >= m_children.size())
        return;
    const Reference child = m_reference.repositoryOnly().withDigest(m_children.at(index).digest);
    setStatus(tr("Loading the %1 image…").arg(m_children.at(index).platform->toString()));
    m_client->fetchManifest(child, freshRequests(), [this](Result<Manifest> manifest) {
        if (!manifest.ok())
            return fail(manifest.error());
        if (manifest->isIndex())
            return fail(Error::make(Error::Kind::Unsupported, tr("an index inside an index is not supported")));
        loadConfig(manifest.value());
    });
}

void ImageDetailsWidget::loadConfig(const Manifest &manifest)
{
    setStatus(tr("Loading the configuration…"));
    QObject *context = m_requests;
    m_client->fetchBlob(m_reference, manifest.config(), context, [this, manifest](Result<QByteArray> blob) {
        if (!blob.ok())
            return fail(blob.error());
        const auto config = Image::ImageConfig::parse(blob.value());
        if (!config.ok())
            return fail(config.error());
        showConfig(manifest, config.value());
    });
}

void ImageDetailsWidget::showConfig(const Manifest &manifest, const Image::ImageConfig &config)
{
    m_loaded = true;
    setStatus({});
    m_platform->setText(config.platform().toString(true));
    const QDateTime created = QDateTime::fromString(config.created(), Qt::ISODateWithMs);
    m_created->setText(created.isValid() ? QLocale().toString(created.toLocalTime(), QLocale::LongFormat) : config.created());
    m_entrypoint->setText(commandLine(config.entrypoint()));
    m_cmd->setText(commandLine(config.cmd()));
    QStringList labels;
    const QJsonObject labelObject = config.labels();
    for (auto it = labelObject.begin(); it != labelObject.end(); ++it)
        labels << it.key() + QLatin1Char('=') + it.value().toString();
    m_labels->setText(labels.isEmpty() ? tr("(none)") : labels.join(QLatin1Char('\n')));
    for (QLabel *label : {m_entrypoint, m_cmd}) {
        if (label->text().isEmpty())
            label->setText(tr("(none)"));
    }
    m_summary->show();

    m_layers->setImage(manifest, config);
    m_layerSummary->setText(tr("%1, %2 compressed")
                                .arg(counted(manifest.layers().size(), tr("layer"), tr("layers")),
                                     humanSize(manifest.layersSize())));
    m_layerSummary->setToolTip(exactSize(manifest.layersSize()));
    m_layerSummary->show();
    m_layerView->show();
    updateButtons();
    Q_EMIT imageLoaded(m_reference);
}

void ImageDetailsWidget::fail(const Error &error)
{
    setStatus(tr("Could not load this image: %1").arg(error.message));
    Q_EMIT failed(error, tr("Loading %1").arg(m_reference.toString()));
}

void ImageDetailsWidget::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void ImageDetailsWidget::updateButtons()
{
    const bool known = m_digest.isValid();
    m_copyReference->setEnabled(known);
    m_copyPull->setEnabled(known);
    const bool valid = m_reference.isValid();
    m_rebase->setEnabled(valid);
    m_useOldBase->setEnabled(valid);
    m_useNewBase->setEnabled(valid);
    m_digestLabel->setVisible(known);
    m_copyReference->setVisible(valid);
    m_copyPull->setVisible(valid);
    m_rebase->setVisible(valid);
    m_useOldBase->setVisible(valid);
    m_useNewBase->setVisible(valid);
}

QString ImageDetailsWidget::pinnedReference() const
{
    if (!m_digest.isValid())
        return {};
    return m_reference.name() + QLatin1Char('@') + m_digest.toString();
}

QString ImageDetailsWidget::pullCommand() const
{
    const QString pinned = pinnedReference();
    return pinned.isEmpty() ? QString() : QStringLiteral("docker pull ") + pinned;
}

void ImageDetailsWidget::copyReference()
{
    if (!pinnedReference().isEmpty())
        QApplication::clipboard()->setText(pinnedReference());
}

void ImageDetailsWidget::copyPullCommand()
{
    if (!pullCommand().isEmpty())
        QApplication::clipboard()->setText(pullCommand());
}

} // namespace Restack::Ui
