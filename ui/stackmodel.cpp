// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackmodel.h"

#include <QGuiApplication>
#include <QPalette>

#include "originstyle.h"

namespace Restack::Ui
{

using Rebase::Origin;
using Rebase::StackLayer;

StackModel::StackModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

StackModel::~StackModel() = default;

int StackModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StackModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int StackModel::mirror(int column)
{
    if (column == ChangeColumn)
        return column;
    return isLeft(column) ? column + RightIndexColumn - LeftIndexColumn : column - (RightIndexColumn - LeftIndexColumn);
}

QVariant StackModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    const int field = isLeft(section) || section == ChangeColumn ? section : mirror(section);
    if (role == Qt::DisplayRole) {
        switch (field) {
        case LeftIndexColumn: return tr("#");
        case LeftLayerColumn: return isLeft(section) ? tr("Source layer") : tr("Result layer");
        case LeftSizeColumn: return tr("Size");
        case LeftOriginColumn: return tr("Origin");
        case LeftCreatedByColumn: return tr("Created by");
        case ChangeColumn: return QString();
        }
    }
    if (role == Qt::ToolTipRole) {
        if (field == LeftIndexColumn)
            return tr("Layer index in its image: 0 is the bottom (base) layer");
        if (section == ChangeColumn)
            return tr("− removed with the old base, + added with the new base, = app layer kept");
    }
    return {};
}

QVariant StackModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    const QPalette palette = QGuiApplication::palette();

    if (role == ChangeRole)
        return int(row.change);
    if (column == ChangeColumn) {
        switch (role) {
        case Qt::DisplayRole: return OriginStyle::symbol(row.change);
        case Qt::ToolTipRole:
        case Qt::AccessibleTextRole:
            return tr("%1 layer %2").arg(OriginStyle::label(row.change), OriginStyle::change(row.change));
        case Qt::TextAlignmentRole: return Qt::AlignCenter;
        case Qt::ForegroundRole: return OriginStyle::accent(row.change, palette);
        case OriginRole: return -1;
        case DigestRole: return QString();
        case SizeRole: return qint64(-1);
        default: return {};
        }
    }

    const std::optional<StackLayer> &layer = isLeft(column) ? row.left : row.right;
    const int field = isLeft(column) ? column : mirror(column);
    if (!layer) {
        switch (role) {
        case OriginRole: return -1;
        case DigestRole: return QString();
        case SizeRole: return qint64(-1);
        default: return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (field) {
        case LeftIndexColumn: return layer->index;
        case LeftLayerColumn: return layer->descriptor.digest.shortString();
        case LeftSizeColumn: return humanSize(layer->descriptor.size);
        case LeftOriginColumn:
            return tr("%1 (%2)").arg(OriginStyle::label(layer->origin), OriginStyle::change(layer->origin));
        case LeftCreatedByColumn: return layer->createdBy.simplified();
        }
        return {};
    case Qt::ToolTipRole:
        switch (field) {
        case LeftLayerColumn:
        {
            QString tip = layer->descriptor.digest.toString() + QLatin1Char('\n') + layer->descriptor.mediaType;
            if (layer->diffId.isValid())
                tip += QLatin1Char('\n') + tr("diff_id %1").arg(layer->diffId.toString());
            return tip;
        }
        case LeftSizeColumn: return tr("%1 compressed").arg(exactSize(layer->descriptor.size));
        case LeftCreatedByColumn: return layer->createdBy.isEmpty() ? QVariant() : layer->createdBy;
        case LeftOriginColumn:
            return tr("This %1 layer is %2").arg(OriginStyle::label(layer->origin), OriginStyle::change(layer->origin));
        default: return {};
        }
    case Qt::DecorationRole:
        if (field == LeftOriginColumn)
            return OriginStyle::icon(layer->origin, palette);
        return {};
    case Qt::BackgroundRole:
        return OriginStyle::tint(layer->origin, palette);
    case Qt::TextAlignmentRole:
        if (field == LeftSizeColumn || field == LeftIndexColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case OriginRole: return int(layer->origin);
    case DigestRole: return layer->descriptor.digest.toString();
    case SizeRole: return layer->descriptor.size;
    default: return {};
    }
}

void StackModel::setPlan(const Rebase::Plan &plan)
{
    QList<Row> rows;
    QList<StackLayer> oldApp;
    QList<StackLayer> newApp;
    for (const StackLayer &layer : plan.oldStack) {
        if (layer.origin == Origin::OldBase)
            rows << Row{Origin::OldBase, layer, std::nullopt};
        else
            oldApp << layer;
    }
    for (const StackLayer &layer : plan.newStack) {
        if (layer.origin == Origin::NewBase)
            rows << Row{Origin::NewBase, std::nullopt, layer};
        else
            newApp << layer;
    }
    // The planner keeps the app layers in order on both sides: pair them row by row.
    const qsizetype appRows = qMax(oldApp.size(), newApp.size());
    for (qsizetype i = 0; i < appRows; ++i) {
        Row row;
        row.change = Origin::App;
        if (i < oldApp.size())
            row.left = oldApp.at(i);
        if (i < newApp.size())
            row.right = newApp.at(i);
        rows << row;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void StackModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace Restack::Ui
