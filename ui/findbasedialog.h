// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>

#include <optional>

#include "common/error.h"
#include "image/platform.h"
#include "image/reference.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace Restack::Registry
{
class Client;
class Task;
} // namespace Restack::Registry

namespace Restack::Ui
{

class BaseCandidateModel;
class MessageBanner;

/**
 * "Find Old Base": looks for the image a source was built on, when no annotation names it, with
 * core's BaseFinder: the tag equal to the source's os.version first, then the repository's other
 * tags (at most the limit given, newest-looking first) whose layers begin the source's. Progress
 * shows tags examined of the total; Stop cancels. The candidates (BaseCandidateModel) list the
 * tags naming each image, the layers matched, and the os.version tag marker; "Use as Old Base"
 * (or a double click, or Enter) emits baseChosen() with the candidate: pinned to its digest for
 * a single-platform source, by tag for an index source (each platform then finds its own child).
 *
 * For an index source a platform chooser picks the child whose base is looked for. Everything is
 * asynchronous; the search starts when the dialog opens.
 */
class FindBaseDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindBaseDialog)

public:
    /**
     * @p repository: where to search (the new base's repository, typically; editable);
     * @p platform: the platform to preselect for an index source.
     */
    FindBaseDialog(Registry::Client *client, const Image::Reference &source, const Image::Reference &repository,
                   const std::optional<Image::Platform> &platform = std::nullopt, QWidget *parent = nullptr);
    ~FindBaseDialog() override;

    BaseCandidateModel *candidates() const { return m_candidates; }
    QTableView *candidateView() const { return m_view; }
    /** True while the source is read or tags are examined. */
    bool isSearching() const { return m_searching; }
    /** Examined tags and the total of the last progress report. */
    int examined() const { return m_examined; }
    int total() const { return m_total; }

public Q_SLOTS:
    /** Starts (again) with the repository, limit and platform shown. */
    void search();
    /** Cancels the search in flight. */
    void stop();
    /** Emits baseChosen() for the selected candidate and closes. */
    void useSelected();

Q_SIGNALS:
    void baseChosen(const Restack::Image::Reference &oldBase);

private:
    void showFailure(const Error &error, const QString &context);
    void setSearching(bool searching);
    void updateButtons();

    Registry::Client *m_client;
    Image::Reference m_source;
    std::optional<Image::Platform> m_wantedPlatform;
    bool m_sourceIsIndex = false;
    QList<Image::Platform> m_platformList; ///< an index source's platforms, as in the chooser
    QObject *m_requests = nullptr; ///< context of the search in flight: deleting it abandons the search
    QPointer<Registry::Task> m_finder;
    bool m_searching = false;
    int m_examined = 0;
    int m_total = 0;

    QLabel *m_sourceLabel;
    QLabel *m_platformLabel;
    QComboBox *m_platforms;
    QLineEdit *m_repository;
    QSpinBox *m_limit;
    QPushButton *m_searchButton;
    QPushButton *m_stopButton;
    QProgressBar *m_progress;
    MessageBanner *m_problem;
    QTableView *m_view;
    BaseCandidateModel *m_candidates;
    QLabel *m_status;
    QPushButton *m_use;
};

} // namespace Restack::Ui
