// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "platformpreviewmodel.h"

#include "originstyle.h"

namespace Restack::Ui
{

using Rebase::Origin;

namespace
{
struct Counts
{
    int removed = 0;
    int added = 0;
    int kept = 0;
};

Counts counts(const Rebase::Plan &plan)
{
    Counts c;
    for (const Rebase::StackLayer &layer : plan.oldStack)
        c.removed += layer.origin == Origin::OldBase;
    for (const Rebase::StackLayer &layer : plan.newStack)
        c.added += layer.origin == Origin::NewBase;
    c.kept = plan.appLayerCount();
    return c;
}
} // namespace

PlatformPreviewModel::PlatformPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

PlatformPreviewModel::~PlatformPreviewModel() = default;

int PlatformPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_platforms.size());
}

int PlatformPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PlatformPreviewModel::foundBy(Rebase::OldBaseSource source)
{
    switch (source) {
    case Rebase::OldBaseSource::Given: return tr("given");
    case Rebase::OldBaseSource::Annotations: return tr("base annotations");
    case Rebase::OldBaseSource::OsVersionTag: return tr("os.version tag");
    case Rebase::OldBaseSource::Search: return tr("search by layers");
    }
    return {};
}

QVariant PlatformPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PlatformColumn: return tr("Platform");
    case OldBaseColumn: return tr("Old base");
    case FoundByColumn: return tr("Found by");
    case LayersColumn: return tr("Layers");
    case DigestColumn: return tr("Predicted digest");
    }
    return {};
}

QVariant PlatformPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Rebase::PlatformResult &result = m_platforms.at(index.row());
    const Rebase::Plan &plan = result.plan;
    const Counts c = counts(plan);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PlatformColumn: return plan.source.config.platform().toString(true);
        case OldBaseColumn: return plan.oldBase.reference.toString();
        case FoundByColumn: return foundBy(result.oldBaseSource);
        case LayersColumn: return tr("−%1 +%2 =%3").arg(c.removed).arg(c.added).arg(c.kept);
        case DigestColumn: return result.digest.shortString();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case PlatformColumn: return plan.source.pinned().toString();
        case OldBaseColumn: return plan.oldBase.pinned().toString();
        case LayersColumn:
            return tr("%1 removed, %2 added, %3 kept")
                .arg(counted(c.removed, tr("old base layer"), tr("old base layers")),
                     counted(c.added, tr("new base layer"), tr("new base layers")),
                     counted(c.kept, tr("app layer"), tr("app layers")));
        case DigestColumn: return result.digest.toString();
        }
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == LayersColumn)
            return tr("%1 removed, %2 added, %3 kept").arg(c.removed).arg(c.added).arg(c.kept);
        return {};
    case PlatformRole: return plan.source.config.platform().toString(true);
    case DigestRole: return result.digest.toString();
    case OldBaseRole: return plan.oldBase.reference.toString();
    case RemovedRole: return c.removed;
    case AddedRole: return c.added;
    case KeptRole: return c.kept;
    default: return {};
    }
}

void PlatformPreviewModel::setOutcome(const Rebase::RebaseOutcome &outcome)
{
    beginResetModel();
    m_platforms = outcome.platforms;
    endResetModel();
}

void PlatformPreviewModel::clear()
{
    if (m_platforms.isEmpty())
        return;
    beginResetModel();
    m_platforms.clear();
    endResetModel();
}

} // namespace Restack::Ui
