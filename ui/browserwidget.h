// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include "common/error.h"
#include "image/reference.h"

class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace Restack::Ui
{

class ImageDetailsWidget;
class RegistryPane;
class RepositoryModel;
class Session;
class TagModel;

/**
 * Browses registries: the registry list, the selected registry's repositories (catalog, filtered),
 * the selected repository's tags (filtered and sortable, details loaded lazily) and the selected
 * image's details. Every load is asynchronous; failures are reported with failed() for the
 * window's message banner. Where a registry has no catalog, the user types a repository name.
 * A catalog refused with 401 while no credentials are held is reported too (failed()), so that
 * the window can offer to log in; the registry pane's Log In / Log Out buttons are forwarded as
 * logInRequested() / logOutRequested().
 */
class BrowserWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserWidget)

public:
    BrowserWidget(Session *session, QWidget *parent = nullptr);
    ~BrowserWidget() override;

    /**
     * Opens @p registry, and within it @p repository and @p tag when not empty (selected as soon
     * as they are listed). A registry not in the list is added for this session.
     */
    void open(const QString &registry, const QString &repository = {}, const QString &tag = {});
    /** Opens what @p ref names: its registry and repository, and its tag or digest when it has one. */
    void openReference(const Image::Reference &ref);

    /** Lists the tags of @p pushed's repository again and selects its tag (after a push). */
    void showPushedImage(const Image::Reference &pushed);

    /** The image whose details are shown (as selected: repository and tag), invalid when none. */
    Image::Reference currentImage() const;
    /** The repository whose tags are shown, invalid when none. */
    Image::Reference currentRepository() const;

    ImageDetailsWidget *details() const { return m_details; }
    RepositoryModel *repositoryModel() const { return m_repositories; }
    TagModel *tagModel() const { return m_tags; }
    RegistryPane *registryPane() const { return m_registryPane; }
    QSplitter *splitter() const { return m_splitter; }
    QSplitter *leftSplitter() const { return m_leftSplitter; }
    QTableView *tagView() const { return m_tagView; }
    /** The address of the registry shown, empty when none. */
    QString currentRegistry() const { return m_registry; }

public Q_SLOTS:
    /** Reloads the repositories, the tags and the image shown, keeping the selection. */
    void refresh();
    /** Focuses the filter of the tag list when it has focus, else the repository filter. */
    void focusFilter();

Q_SIGNALS:
    void failed(const Restack::Error &error, const QString &context);
    /** The user wants to log in to @p registry (registry pane). */
    void logInRequested(const QString &registry);
    /** The user wants to forget @p registry's credentials (registry pane). */
    void logOutRequested(const QString &registry);
    /** The selected image changed (invalid when nothing is selected). */
    void currentImageChanged(const Restack::Image::Reference &ref);

private:
    void onRegistryChanged(const QString &address);
    void onRepositoryActivated(const QModelIndex &proxyIndex);
    void openRepository(const QString &repository);
    void openTypedRepository();
    void onTagChanged(const QModelIndex &proxyIndex);
    void selectPending();
    void updateRepositoryStatus();
    void updateTagStatus();
    void applyRepositoryFilter(const QString &text);
    /** A 401 from the registry shown while the client holds no credential for it: logging in may help. */
    bool needsLogin(const Error &error) const;

    Session *m_session;
    QString m_registry;
    QString m_pendingRepository;
    QString m_pendingTag;

    RepositoryModel *m_repositories;
    QSortFilterProxyModel *m_repositoryProxy;
    TagModel *m_tags;
    QSortFilterProxyModel *m_tagProxy;

    QSplitter *m_splitter;
    QSplitter *m_leftSplitter;
    RegistryPane *m_registryPane;
    QLineEdit *m_repositoryFilter;
    QListView *m_repositoryView;
    QLabel *m_repositoryStatus;
    QLineEdit *m_repositoryName;
    QLineEdit *m_tagFilter;
    QTableView *m_tagView;
    QLabel *m_tagStatus;
    ImageDetailsWidget *m_details;
};

} // namespace Restack::Ui
