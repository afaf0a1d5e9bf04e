// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "layermodel.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include "originstyle.h"

namespace Restack::Ui
{

LayerModel::LayerModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

LayerModel::~LayerModel() = default;

int LayerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LayerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IndexColumn: return tr("#");
        case DigestColumn: return tr("Layer");
        case SizeColumn: return tr("Size");
        case CreatedByColumn: return tr("Created by");
        }
    }
    if (role == Qt::ToolTipRole && section == IndexColumn)
        return tr("Layer index: 0 is the bottom (base) layer");
    return {};
}

QVariant LayerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const bool empty = r.layerIndex < 0;
    const QString createdBy = r.history.createdBy.trimmed();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IndexColumn: return empty ? QVariant() : QVariant(r.layerIndex);
        case DigestColumn: return empty ? tr("(no layer)") : r.layer.digest.shortString();
        case SizeColumn: return empty ? QVariant() : humanSize(r.layer.size);
        case CreatedByColumn: return r.hasHistory ? createdBy.simplified() : QVariant();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case DigestColumn:
            return empty ? tr("A history entry that made no filesystem layer")
                         : r.layer.digest.toString() + QLatin1Char('\n') + r.layer.mediaType;
        case SizeColumn: return empty ? QVariant() : tr("%1 compressed").arg(exactSize(r.layer.size));
        case CreatedByColumn: {
            if (!r.hasHistory)
                return {};
            QString tip = createdBy;
            if (!r.history.created.isEmpty())
                tip += QLatin1Char('\n') + tr("Created %1").arg(r.history.created);
            if (!r.history.comment.isEmpty())
                tip += QLatin1Char('\n') + r.history.comment;
            return tip;
        }
        default: return {};
        }
    case Qt::ForegroundRole:
        if (empty)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        if (empty) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == IndexColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IsEmptyLayerRole: return empty;
    case LayerIndexRole: return r.layerIndex;
    case DigestRole: return empty ? QString() : r.layer.digest.toString();
    case SizeRole: return empty ? qint64(-1) : r.layer.size;
    default: return {};
    }
}

void LayerModel::setImage(const Image::Manifest &manifest, const Image::ImageConfig &config)
{
    QList<Row> rows;
    const QList<Image::Descriptor> &layers = manifest.layers();
    const QList<Image::HistoryEntry> &history = config.history();
    m_hasHistory = !history.isEmpty() && config.nonEmptyHistoryCount() == layers.size();
    if (m_hasHistory) {
        int next = 0;
        for (const Image::HistoryEntry &entry : history) {
            Row row;
            row.history = entry;
            row.hasHistory = true;
            if (!entry.emptyLayer) {
                row.layerIndex = next;
                row.layer = layers.at(next);
                ++next;
            }
            rows << row;
        }
    } else {
        for (int i = 0; i < layers.size(); ++i) {
            Row row;
            row.layerIndex = i;
            row.layer = layers.at(i);
            rows << row;
        }
    }
    beginResetModel();
    m_rows = rows;
    m_layerCount = int(layers.size());
    endResetModel();
}

void LayerModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_layerCount = 0;
    m_hasHistory = false;
    endResetModel();
}

} // namespace Restack::Ui
