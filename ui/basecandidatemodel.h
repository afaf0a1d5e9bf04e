// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "rebase/basefinder.h"

namespace Restack::Ui
{

/**
 * The candidates of a base search (Rebase::BaseFinder), best first: the tags that name each
 * image, how many of the source's layers it accounts for, whether it was found under the tag equal
 * to the source's os.version (the rule of the original rebase tool for Windows images, marked in
 * bold), whether the tag names an index, and the image's digest.
 */
class BaseCandidateModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaseCandidateModel)

public:
    enum Column { TagsColumn, MatchedColumn, RuleColumn, PlatformColumn, DigestColumn, ColumnCount };
    enum Role {
        ReferenceRole = Qt::UserRole + 1, ///< QString the image as found: "registry/repository:tag"
        PinnedRole,                       ///< QString "registry/repository:tag@sha256:…"
        MatchedLayersRole,                ///< int layers of the source this base accounts for
        OsVersionTagRole,                 ///< bool found under the source's os.version tag
        TagsRole,                         ///< QStringList every tag examined that names this image
        IsIndexRole,                      ///< bool the tag names an index (usable for every platform)
    };

    explicit BaseCandidateModel(QObject *parent = nullptr);
    ~BaseCandidateModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** Shows @p candidates of a source with @p sourceLayers layers. */
    void setCandidates(const QList<Rebase::BaseCandidate> &candidates, int sourceLayers);
    void clear();
    const Rebase::BaseCandidate &candidate(int row) const { return m_candidates.at(row); }

private:
    QList<Rebase::BaseCandidate> m_candidates;
    int m_sourceLayers = 0;
};

} // namespace Restack::Ui
