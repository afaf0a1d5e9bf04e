// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <optional>

#include "common/error.h"
#include "image/reference.h"
#include "index/indexoperation.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace Restack::Registry
{
class Client;
}

namespace Restack::Ui
{

class IndexEntryModel;
class MessageBanner;

/**
 * The manifest-list composer: assembles an OCI image index or a Docker manifest list from
 * single-platform images and pushes it (core's IndexOperation).
 *
 * Images are added by reference (typed, the browser's selection, or a manifest-tool YAML spec,
 * Index::parseSpec()); each one's platform is read from its config and can be edited
 * (IndexEntryModel). The type, the target REPOSITORY:TAG and extra tags complete the request.
 * Shortly after each change the composer runs IndexOperation as a dry run: the index JSON exactly
 * as it would be pushed, its digest, and how each blob gets into the target repository (present,
 * mount, copy) are shown; problems (two images of one platform, a Docker list asked to hold OCI
 * manifests, an unreadable image) are shown inline and disable pushing.
 *
 * "Push Index…" asks for confirmation, then pushes with a progress line and Cancel; the result
 * shows the index digest with copy buttons. Everything is asynchronous.
 */
class IndexComposer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IndexComposer)

public:
    /** Quiet time after the last edit before a dry run starts, in milliseconds. */
    static constexpr int PreviewDelayMs = 350;

    explicit IndexComposer(Registry::Client *client, QWidget *parent = nullptr);
    ~IndexComposer() override;

    /** Uses @p client from now on (after a logout the session has a fresh one). */
    void setClient(Registry::Client *client);
    /** The browser's selection, for "Add Selection". */
    void setSelection(const Image::Reference &ref);

    /** Adds @p ref as an image of the index (with platform overrides when given). */
    void addImage(const Image::Reference &ref, const std::optional<Image::Platform> &platform = std::nullopt);
    /** Parses @p text as a reference and adds it; false (and the problem shown) when it is not one. */
    bool addImageText(const QString &text);
    void setTarget(const QString &target);
    /** Extra tags, separated by commas or spaces. */
    void setExtraTags(const QString &tags);
    /** Sets the type: OCI image index or Docker manifest list. */
    void setType(Image::MediaType::Family family);
    /**
     * Replaces everything with manifest-tool's YAML spec @p yaml (target, tags, images with their
     * platforms, annotations). False, with the problem shown, when it does not parse.
     */
    bool loadSpec(const QByteArray &yaml, const QString &fileName = {});

    IndexEntryModel *entryModel() const { return m_entries; }
    QTableView *entryView() const { return m_entryView; }
    /** The dry run's outcome when it is up to date and succeeded. */
    const std::optional<Index::IndexOutcome> &preview() const { return m_preview; }
    /** The problem that blocks pushing, when there is one. */
    std::optional<Error> problem() const { return m_problem; }
    /** The result of the last push. */
    const std::optional<Index::IndexOutcome> &pushResult() const { return m_pushed; }
    bool isBusy() const;
    QSplitter *splitter() const { return m_splitter; }

public Q_SLOTS:
    /** Runs the dry run again now (F5). */
    void refresh();
    /** Asks for confirmation, then pushes. */
    void confirmAndPush();
    void cancelPush();
    /** Opens a file dialog for a manifest-tool YAML spec. */
    void chooseSpecFile();

Q_SIGNALS:
    /** The index was pushed: @p target names the tag and the index digest. */
    void pushed(const Restack::Image::Reference &target);
    void statusMessage(const QString &text);
    /** A registry wants credentials: the window offers the login dialog, then calls refresh(). */
    void logInRequested(const QString &registry);

private:
    void schedulePreview();
    void startPreview();
    std::optional<Index::IndexRequest> readRequest();
    void onPreviewFinished();
    void showPreview(const Index::IndexOutcome &outcome);
    void clearPreview();
    void showProblem(const Error &error, const QString &context);
    void startPush();
    void onPushFinished();
    void removeSelected();
    void updateButtons();

    Registry::Client *m_client;
    Image::Reference m_selection;
    QJsonObject m_annotations;
    QPointer<Index::IndexOperation> m_previewOperation;
    QPointer<Index::IndexOperation> m_pushOperation;
    std::optional<Index::IndexRequest> m_previewRequest;
    std::optional<Index::IndexOutcome> m_preview;
    std::optional<Index::IndexOutcome> m_pushed;
    std::optional<Error> m_problem;

    QTimer *m_previewTimer;
    IndexEntryModel *m_entries;
    QLineEdit *m_reference;
    QPushButton *m_add;
    QPushButton *m_addSelection;
    QPushButton *m_remove;
    QPushButton *m_loadSpec;
    QTableView *m_entryView;
    QComboBox *m_type;
    QLineEdit *m_target;
    QLineEdit *m_extraTags;
    QLabel *m_annotationNote;
    MessageBanner *m_problems;
    QSplitter *m_splitter;
    QLabel *m_digest;
    QPlainTextEdit *m_json;
    QTableView *m_blobView;
    QStandardItemModel *m_blobs;
    QLabel *m_status;
    QPushButton *m_push;
    QWidget *m_progressPanel;
    QLabel *m_progressText;
    QProgressBar *m_progressBar;
    QPushButton *m_cancel;
    QWidget *m_resultPanel;
    QLabel *m_resultText;
    QPushButton *m_copyReference;
    QPushButton *m_copyDigest;
};

} // namespace Restack::Ui
