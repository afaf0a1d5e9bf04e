// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

#include <optional>

#include "common/error.h"
#include "image/digest.h"
#include "image/reference.h"
#include "rebase/operation.h"

class QLabel;
class QLineEdit;
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

class MessageBanner;
class PlatformPreviewModel;
class StackModel;

/**
 * The rebase workspace: source, old base, new base and target, and the preview of what a rebase
 * would push. The preview is core's dry run (RebaseOperation with dryRun set), started shortly
 * after the fields change: both layer stacks side by side (StackModel), the bytes removed and
 * added, each blob step and the predicted manifest digest. Problems (the old base is not a prefix
 * of the source, platforms differ, an image is missing) are shown inline and disable pushing.
 *
 * The old base may be left empty: the dry run then finds it (in the source's base annotations, by
 * the new base's os.version tag, or by searching the new base's repository) and the field shows
 * what it found. "Find…" (FindBaseDialog) searches a repository for it explicitly and lists the
 * candidates to choose from. The target is suggested from the source and the new base until the
 * user edits it.
 *
 * For an index source every platform is rebased, as core does: a table (PlatformPreviewModel)
 * lists each platform with its old base, how it was found, its layer changes and predicted
 * digest; selecting a row shows that platform's stacks and blob steps. The push writes every
 * platform's image, then the new index at the target tag.
 *
 * "Rebase and Push…" asks for confirmation (naming the target, and warning when the tag exists
 * and will move), then runs the real rebase with a progress view (phase, blobs done of total) and
 * Cancel; the result shows the pushed digest with copy buttons and emits pushed(). The GUI thread
 * never waits: every step is asynchronous.
 */
class RebaseWorkspace final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RebaseWorkspace)

public:
    /** Quiet time after the last edit before a preview starts, in milliseconds. */
    static constexpr int PreviewDelayMs = 350;

    RebaseWorkspace(Registry::Client *client, QWidget *parent = nullptr);
    ~RebaseWorkspace() override;

    /** Uses @p client from now on (after a logout the session has a fresh one). */
    void setClient(Registry::Client *client);
    void setSource(const Image::Reference &ref);
    void setOldBase(const Image::Reference &ref);
    void setNewBase(const Image::Reference &ref);
    void setTarget(const QString &target);
    /** The browser's selection, for the "Use Selection" buttons (and the source while it is empty). */
    void setSelection(const Image::Reference &ref);

    /** The dry run's outcome when the preview is up to date and succeeded. */
    const std::optional<Rebase::RebaseOutcome> &preview() const { return m_preview; }
    /** True while a preview or a push runs. */
    bool isBusy() const;
    /** The problem that blocks pushing, when there is one. */
    std::optional<Error> problem() const { return m_problem; }
    /** The result of the last push. */
    const std::optional<Rebase::RebaseOutcome> &pushResult() const { return m_pushed; }
    StackModel *stackModel() const { return m_stacks; }
    /** The platforms of the preview (one row per platform of an index source). */
    PlatformPreviewModel *platformModel() const { return m_platforms; }
    QTableView *platformView() const { return m_platformView; }
    /** Shows the stacks of platform @p row of the preview (as selecting its row does). */
    void showPlatform(int row);
    QSplitter *splitter() const { return m_splitter; }
    QTableView *stackView() const { return m_stackView; }

public Q_SLOTS:
    /** Runs the preview again now (F5). */
    void refresh();
    /** Asks for confirmation, then pushes. */
    void confirmAndPush();
    /** Cancels a push in flight (the target tag stays untouched). */
    void cancelPush();
    /** Opens the base search (FindBaseDialog) for the source, in the new base's repository. */
    void findOldBase();

Q_SIGNALS:
    /** The rebased image was pushed: @p target names the tag and the pushed digest. */
    void pushed(const Restack::Image::Reference &target);
    /** Shown in the status bar. */
    void statusMessage(const QString &text);
    /** A registry wants credentials: the window offers the login dialog, then calls refresh(). */
    void logInRequested(const QString &registry);

private:
    struct Fields
    {
        Image::Reference source;
        std::optional<Image::Reference> oldBase;
        Image::Reference newBase;
        Image::Reference target;
    };

    void onEdited();
    void schedulePreview();
    void startPreview();
    /** Parses the fields; on a problem shows it and returns nullopt. */
    std::optional<Fields> readFields();
    void onPreviewFinished();
    /** Shows platform @p platform of @p outcome (an index source has several). */
    void showPlan(const Rebase::RebaseOutcome &outcome, int platform);
    void clearPlan();
    void showProblem(const Error &error, const QString &context);
    void startPush();
    void onPushProgress();
    void onPushFinished();
    void suggestTarget();
    void updateButtons();
    void setFieldText(QLineEdit *field, const QString &text);

    Registry::Client *m_client;
    Image::Reference m_selection;
    QPointer<Rebase::RebaseOperation> m_previewOperation;
    QPointer<Rebase::RebaseOperation> m_pushOperation;
    std::optional<Rebase::RebaseRequest> m_previewRequest; ///< what the preview in flight or shown was asked
    std::optional<Rebase::RebaseOutcome> m_preview;
    std::optional<Rebase::RebaseOutcome> m_pushed;
    std::optional<Error> m_problem;
    bool m_oldBaseAuto = false; ///< the old base field shows what the annotations named
    bool m_targetAuto = true;   ///< the target field shows the suggestion
    bool m_settingText = false;

    QTimer *m_previewTimer;
    QLineEdit *m_source;
    QLineEdit *m_oldBase;
    QLineEdit *m_newBase;
    QLineEdit *m_target;
    QPushButton *m_sourceFromSelection;
    QPushButton *m_oldBaseFromSelection;
    QPushButton *m_newBaseFromSelection;
    QPushButton *m_findOldBase;
    QLabel *m_oldBaseNote;
    QLabel *m_targetNote;
    MessageBanner *m_problems;
    QLabel *m_previewStatus;
    QSplitter *m_splitter;
    QWidget *m_platformPanel;
    QTableView *m_platformView;
    PlatformPreviewModel *m_platforms;
    QLabel *m_leftTitle;
    QLabel *m_rightTitle;
    QTableView *m_stackView;
    StackModel *m_stacks;
    QLabel *m_totals;
    QLabel *m_predicted;
    QPushButton *m_copyPredicted;
    QTableView *m_stepView;
    QStandardItemModel *m_steps;
    QLabel *m_notes;
    QPushButton *m_push;
    QWidget *m_progressPanel;
    QLabel *m_progressText;
    QProgressBar *m_progressBar;
    QPushButton *m_cancel;
    QWidget *m_resultPanel;
    QLabel *m_resultText;
    QPushButton *m_copyResult;
    QPushButton *m_copyResultPull;
};

} // namespace Restack::Ui
