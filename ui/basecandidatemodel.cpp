// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "basecandidatemodel.h"

#include <QFont>

namespace Restack::Ui
{

BaseCandidateModel::BaseCandidateModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

BaseCandidateModel::~BaseCandidateModel() = default;

int BaseCandidateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_candidates.size());
}

int BaseCandidateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BaseCandidateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TagsColumn: return tr("Tags");
        case MatchedColumn: return tr("Matched layers");
        case RuleColumn: return tr("Found by");
        case PlatformColumn: return tr("Platform");
        case DigestColumn: return tr("Digest");
        }
    }
    if (role == Qt::ToolTipRole && section == MatchedColumn)
        return tr("How many of the source's bottom layers are this image's layers (by diff_id)");
    return {};
}

QVariant BaseCandidateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Rebase::BaseCandidate &c = m_candidates.at(index.row());
    const bool isIndex = c.image.indexDigest.isValid();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TagsColumn: return c.tags.join(QStringLiteral(", "));
        case MatchedColumn: return tr("%1 of %2").arg(c.matchedLayers).arg(m_sourceLayers);
        case RuleColumn: return c.osVersionTag ? tr("os.version tag") : tr("layers");
        case PlatformColumn:
            return isIndex ? tr("%1 (index)").arg(c.image.config.platform().toString(true))
                           : c.image.config.platform().toString(true);
        case DigestColumn: return c.image.manifest.digest().shortString();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TagsColumn: return QString(c.image.reference.repositoryOnly().toString() + QLatin1Char('\n') + c.tags.join(QLatin1Char('\n')));
        case RuleColumn:
            return c.osVersionTag ? tr("Tagged with the source's os.version, and its layers begin the source's")
                                  : tr("Its layers begin the source's");
        case PlatformColumn:
            return isIndex ? tr("The tag names an index (%1): usable as the old base of every platform")
                                 .arg(c.image.indexDigest.toString())
                           : tr("The tag names a single-platform image");
        case DigestColumn: return c.image.manifest.digest().toString();
        }
        return {};
    case Qt::FontRole:
        if (c.osVersionTag && (index.column() == RuleColumn || index.column() == TagsColumn)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == MatchedColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ReferenceRole: return c.image.reference.toString();
    case PinnedRole: return c.image.pinned().toString();
    case MatchedLayersRole: return c.matchedLayers;
    case OsVersionTagRole: return c.osVersionTag;
    case TagsRole: return c.tags;
    case IsIndexRole: return isIndex;
    default: return {};
    }
}

void BaseCandidateModel::setCandidates(const QList<Rebase::BaseCandidate> &candidates, int sourceLayers)
{
    beginResetModel();
    m_candidates = candidates;
    m_sourceLayers = sourceLayers;
    endResetModel();
}

void BaseCandidateModel::clear()
{
    if (m_candidates.isEmpty())
        return;
    beginResetModel();
    m_candidates.clear();
    endResetModel();
}

} // namespace Restack::Ui
