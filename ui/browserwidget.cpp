// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "browserwidget.h"

#include <QAction>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "imagedetailswidget.h"
#include "registrylistmodel.h"
#include "registrypane.h"
#include "repositorymodel.h"
#include "session.h"
#include "tagmodel.h"
#include "widgetfactory.h"

namespace Restack::Ui
{

using Image::Reference;

namespace
{

QVBoxLayout *groupLayout(QGroupBox *group)
{
    auto *layout = new QVBoxLayout(group);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    return layout;
}

} // namespace

BrowserWidget::BrowserWidget(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_repositories(new RepositoryModel(this))
    , m_repositoryProxy(new QSortFilterProxyModel(this))
    , m_tags(new TagModel(this))
    , m_tagProxy(new QSortFilterProxyModel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_leftSplitter(new QSplitter(Qt::Vertical, m_splitter))
{
    setObjectName(QStringLiteral("browser"));
    m_splitter->setObjectName(QStringLiteral("browserSplitter"));
    m_leftSplitter->setObjectName(QStringLiteral("browserLeftSplitter"));

    // Registries.
    auto *registryGroup = new QGroupBox(tr("Registries"), m_leftSplitter);
    m_registryPane = new RegistryPane(session->registries(), registryGroup);
    groupLayout(registryGroup)->addWidget(m_registryPane);

    // Repositories.
    auto *repositoryGroup = new QGroupBox(tr("Repositories"), m_leftSplitter);
    m_repositoryFilter = makeLineEdit(repositoryGroup, QStringLiteral("repositoryFilter"), tr("Filter repositories"));
    m_repositoryProxy->setSourceModel(m_repositories);
    m_repositoryProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_repositoryView = new QListView(repositoryGroup);
    m_repositoryView->setObjectName(QStringLiteral("repositoryList"));
    m_repositoryView->setAccessibleName(tr("Repositories"));
    m_repositoryView->setModel(m_repositoryProxy);
    m_repositoryView->setUniformItemSizes(true); // 10,000 rows lay out in constant time per row
    m_repositoryView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_repositoryStatus = makeLabel(repositoryGroup, QStringLiteral("repositoryStatus"), LabelKind::Note);
    m_repositoryName = new QLineEdit(repositoryGroup);
    m_repositoryName->setObjectName(QStringLiteral("repositoryName"));
    m_repositoryName->setPlaceholderText(tr("Open a repository by name…"));
    m_repositoryName->setAccessibleName(tr("Repository name"));
    m_repositoryName->setToolTip(tr("Type a repository name (e.g. library/alpine) and press Enter"));
    auto *repositoryLayout = groupLayout(repositoryGroup);
    repositoryLayout->addWidget(m_repositoryFilter);
    repositoryLayout->addWidget(m_repositoryView, 1);
    repositoryLayout->addWidget(m_repositoryStatus);
    repositoryLayout->addWidget(m_repositoryName);

    // Tags.
    auto *tagGroup = new QGroupBox(tr("Tags"), m_splitter);
    m_tagFilter = makeLineEdit(tagGroup, QStringLiteral("tagFilter"), tr("Filter tags"));
    m_tagProxy->setSourceModel(m_tags);
    m_tagProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_tagProxy->setFilterKeyColumn(TagModel::TagColumn);
    // The plain tag string: DisplayRole would format every row's details on each keystroke.
    m_tagProxy->setFilterRole(TagModel::TagRole);
    m_tagProxy->setSortRole(TagModel::SortRole);
    m_tagProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_tagView = new QTableView(tagGroup);
    m_tagView->setObjectName(QStringLiteral("tagTable"));
    m_tagView->setAccessibleName(tr("Tags"));
    m_tagView->setModel(m_tagProxy);
    m_tagView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tagView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tagView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tagView->setSortingEnabled(true);
    m_tagView->sortByColumn(TagModel::TagColumn, Qt::AscendingOrder);
    m_tagView->setWordWrap(false);
    m_tagView->verticalHeader()->hide();
    m_tagView->horizontalHeader()->setStretchLastSection(true);
    m_tagView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_tagView->horizontalHeader()->setSectionsMovable(true);
    m_tagView->setColumnWidth(TagModel::TagColumn, 90);
    m_tagView->setColumnWidth(TagModel::DigestColumn, 150);
    m_tagView->setColumnWidth(TagModel::TypeColumn, 52);
    m_tagView->setColumnWidth(TagModel::SizeColumn, 78);
    m_tagView->setColumnWidth(TagModel::CreatedColumn, 115);
    m_tagStatus = makeLabel(tagGroup, QStringLiteral("tagStatus"), LabelKind::Note);
    auto *tagLayout = groupLayout(tagGroup);
    tagLayout->addWidget(m_tagFilter);
    tagLayout->addWidget(m_tagView, 1);
    tagLayout->addWidget(m_tagStatus);

    // Details.
    m_details = new ImageDetailsWidget(session->client(), m_splitter);

    m_leftSplitter->addWidget(registryGroup);
    m_leftSplitter->addWidget(repositoryGroup);
    m_leftSplitter->setStretchFactor(1, 3);
    m_leftSplitter->setSizes({160, 560});
    m_splitter->addWidget(m_leftSplitter);
    m_splitter->addWidget(tagGroup);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 5);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({230, 610, 640}); // until the user's own sizes are restored

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_registryPane, &RegistryPane::currentRegistryChanged, this, &BrowserWidget::onRegistryChanged);
    connect(m_registryPane, &RegistryPane::logInRequested, this, &BrowserWidget::logInRequested);
    connect(m_registryPane, &RegistryPane::logOutRequested, this, &BrowserWidget::logOutRequested);
    connect(m_repositoryFilter, &QLineEdit::textChanged, this, &BrowserWidget::applyRepositoryFilter);
    connect(m_repositoryView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BrowserWidget::onRepositoryActivated);
    connect(m_repositoryName, &QLineEdit::returnPressed, this, &BrowserWidget::openTypedRepository);
    connect(m_tagFilter, &QLineEdit::textChanged, m_tagProxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_tagView->selectionModel(), &QItemSelectionModel::currentChanged, this, &BrowserWidget::onTagChanged);
    connect(m_tagView->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column) {
        // Sorting by a detail needs every row's details.
        if (column != TagModel::TagColumn)
            m_tags->loadAllDetails();
    });

    connect(m_repositories, &RepositoryModel::progressed, this, [this] {
        if (!m_repositoryFilter->text().isEmpty())
            m_repositories->fetchAll(); // a filter must see every name received
        selectPending();
        updateRepositoryStatus();
    });
    connect(m_repositories, &RepositoryModel::stateChanged, this, [this] {
        selectPending();
        updateRepositoryStatus();
    });
    connect(m_repositories, &RepositoryModel::failed, this, [this](const Error &error) {
        Q_EMIT failed(error, tr("Listing the repositories of %1").arg(m_registry));
    });
    connect(m_repositories, &RepositoryModel::catalogUnavailable, this, [this](const Error &error) {
        updateRepositoryStatus();
        // Refused without credentials: perhaps the user has some. Report it, so that the window offers to log in.
        if (needsLogin(error))
            Q_EMIT failed(error, tr("Listing the repositories of %1").arg(m_registry));
        if (m_tags->repository().isValid())
            return;
        m_repositoryName->setFocus();
    });
    connect(m_tags, &TagModel::stateChanged, this, [this] {
        selectPending();
        updateTagStatus();
    });
    connect(m_tags, &QAbstractItemModel::rowsInserted, this, [this] {
        selectPending();
        updateTagStatus();
    });
    connect(m_tags, &TagModel::failed, this, [this](const Error &error) {
        Q_EMIT failed(error, tr("Listing the tags of %1").arg(m_tags->repository().name()));
    });
    connect(m_details, &ImageDetailsWidget::failed, this, &BrowserWidget::failed);

    updateRepositoryStatus();
    updateTagStatus();
}

BrowserWidget::~BrowserWidget() = default;

void BrowserWidget::open(const QString &registry, const QString &repository, const QString &tag)
{
    if (m_session->registries()->rowOf(registry) < 0) {
        RegistryEntry entry;
        entry.address = registry;
        entry.saved = false;
        m_session->registries()->addRegistry(entry);
    }
    m_pendingRepository = repository;
    m_pendingTag = tag;
    if (m_registry != registry)
        m_registryPane->selectAddress(registry); // lists its repositories
    // Do not wait for the catalog (it may be long, or missing): open the repository at once.
    if (!repository.isEmpty() && m_tags->repository().repository() != repository)
        openRepository(repository);
    selectPending();
}

void BrowserWidget::openReference(const Reference &ref)
{
    open(ref.registry(), ref.repository(), ref.tag());
    if (ref.hasDigest() && ref.tag().isEmpty()) {
        m_details->showImage(ref);
        Q_EMIT currentImageChanged(ref);
    }
}

void BrowserWidget::showPushedImage(const Reference &pushed)
{
    const bool sameRepository = m_registry == pushed.registry() && m_tags->repository().isValid()
        && m_tags->repository().repository() == pushed.repository();
    if (sameRepository)
        m_tags->load(m_session->client(), m_tags->repository()); // lists the new tag too
    open(pushed.registry(), pushed.repository(), pushed.tag());
}

Reference BrowserWidget::currentImage() const
{
    return m_details->reference();
}

Reference BrowserWidget::currentRepository() const
{
    return m_tags->repository();
}

void BrowserWidget::refresh()
{
    if (m_registry.isEmpty())
        return;
    const QString repository = m_tags->repository().isValid() ? m_tags->repository().repository() : QString();
    const Reference image = m_details->reference();
    // The tags first: the selection must not be matched against the list being replaced.
    if (!repository.isEmpty()) {
        m_tags->load(m_session->client(), m_tags->repository());
        if (image.isValid() && image.tag().isEmpty())
            m_details->showImage(image); // shown by digest: not in the tag list
    }
    m_pendingRepository = repository;
    m_pendingTag = image.isValid() ? image.tag() : QString();
    m_repositories->load(m_session->client(), m_registry);
}

void BrowserWidget::focusFilter()
{
    const QWidget *focus = focusWidget();
    const bool tags = focus == m_tagView || focus == m_tagFilter;
    QLineEdit *filter = tags ? m_tagFilter : m_repositoryFilter;
    filter->setFocus(Qt::ShortcutFocusReason);
    filter->selectAll();
}

void BrowserWidget::onRegistryChanged(const QString &address)
{
    if (address == m_registry)
        return;
    m_registry = address;
    m_tags->clear();
    m_details->clear();
    m_repositoryFilter->clear();
    Q_EMIT currentImageChanged({});
    if (address.isEmpty()) {
        m_repositories->clear();
    } else {
        m_repositories->load(m_session->client(), address);
    }
    updateRepositoryStatus();
    updateTagStatus();
}

void BrowserWidget::onRepositoryActivated(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    openRepository(proxyIndex.data().toString());
}

void BrowserWidget::openTypedRepository()
{
    const QString name = m_repositoryName->text().trimmed();
    if (name.isEmpty() || m_registry.isEmpty())
        return;
    const auto ref = Reference::parseRepository(m_registry + QLatin1Char('/') + name);
    if (!ref.ok()) {
        Q_EMIT failed(ref.error(), tr("Opening repository “%1”").arg(name));
        return;
    }
    m_pendingTag.clear();
    openRepository(ref->repository());
}

void BrowserWidget::openRepository(const QString &repository)
{
    if (m_registry.isEmpty())
        return;
    if (m_tags->repository().isValid() && m_tags->repository().repository() == repository
        && m_tags->state() != TagModel::State::Failed)
        return;
    m_details->clear();
    Q_EMIT currentImageChanged({});
    m_tags->load(m_session->client(), Reference::fromParts(m_registry, repository));
    updateTagStatus();
}

void BrowserWidget::onTagChanged(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    const QString tag = proxyIndex.data(TagModel::TagRole).toString();
    const Reference ref = m_tags->repository().withTag(tag);
    if (m_details->reference() == ref && m_details->isLoaded())
        return;
    m_details->showImage(ref);
    Q_EMIT currentImageChanged(ref);
}

void BrowserWidget::selectPending()
{
    if (!m_pendingRepository.isEmpty()) {
        const int row = m_repositories->rowOf(m_pendingRepository);
        if (row >= 0) {
            QModelIndex proxyIndex = m_repositoryProxy->mapFromSource(m_repositories->index(row));
            if (!proxyIndex.isValid() && !m_repositoryFilter->text().isEmpty()) {
                m_repositoryFilter->clear(); // the filter hides the repository asked for
                proxyIndex = m_repositoryProxy->mapFromSource(m_repositories->index(row));
            }
            if (proxyIndex.isValid()) {
                m_repositoryView->setCurrentIndex(proxyIndex);
                m_repositoryView->scrollTo(proxyIndex);
            }
            m_pendingRepository.clear();
        } else if (m_repositories->state() != RepositoryModel::State::Loading) {
            m_pendingRepository.clear(); // not listed (or no catalog): it was opened by name
        }
    }
    if (!m_pendingTag.isEmpty() && m_tags->state() != TagModel::State::Empty) {
        const int row = m_tags->rowOf(m_pendingTag);
        if (row >= 0) {
            const QModelIndex proxyIndex = m_tagProxy->mapFromSource(m_tags->index(row, TagModel::TagColumn));
            if (proxyIndex.isValid()) {
                m_tagView->setCurrentIndex(proxyIndex);
                m_tagView->scrollTo(proxyIndex);
            } else {
                // Hidden by the tag filter: show it anyway.
                m_details->showImage(m_tags->repository().withTag(m_pendingTag));
                Q_EMIT currentImageChanged(m_details->reference());
            }
            m_pendingTag.clear();
        } else if (m_tags->state() == TagModel::State::Failed) {
            m_pendingTag.clear();
        } else if (m_tags->state() == TagModel::State::Loaded) {
            // The tag is not listed (yet): try it directly, the registry will say.
            m_details->showImage(m_tags->repository().withTag(m_pendingTag));
            Q_EMIT currentImageChanged(m_details->reference());
            m_pendingTag.clear();
        }
    }
}

bool BrowserWidget::needsLogin(const Error &error) const
{
    return error.kind == Error::Kind::Unauthorized && error.httpStatus == 401 && !m_registry.isEmpty()
        && !m_session->client()->hasCredential(m_registry);
}

void BrowserWidget::applyRepositoryFilter(const QString &text)
{
    if (!text.isEmpty())
        m_repositories->fetchAll();
    m_repositoryProxy->setFilterFixedString(text);
    updateRepositoryStatus();
}

void BrowserWidget::updateRepositoryStatus()
{
    QString text;
    const QString received = QLocale().toString(m_repositories->receivedCount());
    switch (m_repositories->state()) {
    case RepositoryModel::State::Empty:
        text = m_registry.isEmpty() ? tr("Choose a registry.") : QString();
        break;
    case RepositoryModel::State::Loading:
        text = tr("Loading… %1 repositories so far").arg(received);
        break;
    case RepositoryModel::State::Loaded:
        text = m_repositories->receivedCount() == 1 ? tr("1 repository") : tr("%1 repositories").arg(received);
        break;
    case RepositoryModel::State::Failed:
        text = tr("The repositories could not be listed; press F5 to retry.");
        break;
    case RepositoryModel::State::Unavailable: {
        const std::optional<Error> error = m_repositories->error();
        if (error && needsLogin(*error)) {
            text = tr("This registry lists its repositories only to users who log in (HTTP 401). Log in, or type a "
                      "repository name below.");
            break;
        }
        const QString answer = error && error->httpStatus ? tr(" (HTTP %1%2)")
                                                                .arg(error->httpStatus)
                                                                .arg(error->registryCode.isEmpty()
                                                                         ? QString()
                                                                         : QStringLiteral(", ") + error->registryCode)
                                                          : QString();
        text = tr("This registry does not list its repositories%1. Type a repository name below.").arg(answer);
        break;
    }
    }
    if (!m_repositoryFilter->text().isEmpty() && m_repositories->state() != RepositoryModel::State::Unavailable)
        text = tr("%1 of %2 shown").arg(QLocale().toString(m_repositoryProxy->rowCount()), received)
            + (m_repositories->state() == RepositoryModel::State::Loading ? tr(" (loading…)") : QString());
    m_repositoryStatus->setText(text);
    m_repositoryStatus->setVisible(!text.isEmpty());
}

void BrowserWidget::updateTagStatus()
{
    QString text;
    switch (m_tags->state()) {
    case TagModel::State::Empty: text = tr("Choose a repository."); break;
    case TagModel::State::Loading: text = tr("Loading tags of %1…").arg(m_tags->repository().repository()); break;
    case TagModel::State::Loaded:
        text = m_tags->rowCount() == 1 ? tr("1 tag") : tr("%1 tags").arg(QLocale().toString(m_tags->rowCount()));
        break;
    case TagModel::State::Failed: text = tr("The tags could not be listed; press F5 to retry."); break;
    }
    m_tagStatus->setText(text);
}

} // namespace Restack::Ui
