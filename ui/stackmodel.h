// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <optional>

#include "rebase/plan.h"

namespace Restack::Ui
{

/**
 * Both layer stacks of a rebase plan side by side, as a diff: the source's stack on the left, the
 * result's on the right, bottom layer first. Old base layers have rows of their own with only the
 * left side filled (removed), then the new base layers with only the right side filled (added),
 * then the app layers on the same rows left and right (kept).
 *
 * Each side has the columns index, layer (short digest; origin icon; full digest in the tooltip),
 * size (human-readable; exact bytes in the tooltip), origin (text) and created by; the middle
 * column shows the change as a symbol ("−", "+", "="). Origins are shown by text and icon, and
 * tinted by OriginStyle colours derived from the application palette.
 */
class StackModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StackModel)

public:
    enum Column {
        LeftIndexColumn,
        LeftLayerColumn,
        LeftSizeColumn,
        LeftOriginColumn,
        LeftCreatedByColumn,
        ChangeColumn,
        RightIndexColumn,
        RightLayerColumn,
        RightSizeColumn,
        RightOriginColumn,
        RightCreatedByColumn,
        ColumnCount
    };
    enum Role {
        OriginRole = Qt::UserRole + 1, ///< int(Rebase::Origin) of the layer on this side; -1 for an empty side
        ChangeRole,                    ///< int(Rebase::Origin) of the row (any column): what happens to it
        DigestRole,                    ///< QString full digest of this side's layer; empty for an empty side
        SizeRole,                      ///< qint64 bytes of this side's layer; -1 for an empty side
    };

    explicit StackModel(QObject *parent = nullptr);
    ~StackModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setPlan(const Rebase::Plan &plan);
    void clear();

    /** True for the columns of the left (source) stack. */
    static bool isLeft(int column) { return column < ChangeColumn; }
    /** The column of the same field on the other side. */
    static int mirror(int column);

private:
    struct Row
    {
        Rebase::Origin change = Rebase::Origin::App;
        std::optional<Rebase::StackLayer> left;
        std::optional<Rebase::StackLayer> right;
    };

    QList<Row> m_rows;
};

} // namespace Restack::Ui
