// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include "image/descriptor.h"
#include "image/imageconfig.h"
#include "image/manifest.h"

namespace Restack::Ui
{

/**
 * The layers of one image in build order (base first) with the config's history interleaved:
 * each non-empty history entry is shown on its layer's row, and empty-layer entries (ENV, CMD,
 * LABEL, ...) get rows of their own between the layers they were recorded between. When the
 * history does not match the layers (a different number of non-empty entries), the layers are
 * listed without history.
 *
 * Columns: layer index, short digest (full digest and media type in the tooltip), compressed
 * size (human-readable; exact bytes in the tooltip), and the history's created_by.
 */
class LayerModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LayerModel)

public:
    enum Column { IndexColumn, DigestColumn, SizeColumn, CreatedByColumn, ColumnCount };
    enum Role {
        IsEmptyLayerRole = Qt::UserRole + 1, ///< bool: an empty-layer history entry, not a layer
        LayerIndexRole,                      ///< int index of the layer, -1 for empty entries
        DigestRole,                          ///< QString full digest, empty for empty entries
        SizeRole,                            ///< qint64 bytes, -1 for empty entries
    };

    explicit LayerModel(QObject *parent = nullptr);
    ~LayerModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** Shows the layers of @p manifest (an image manifest) with the history of @p config. */
    void setImage(const Image::Manifest &manifest, const Image::ImageConfig &config);
    void clear();

    /** The number of layer rows (without empty history entries). */
    int layerCount() const { return m_layerCount; }
    /** True when the history matched the layers and was interleaved. */
    bool hasHistory() const { return m_hasHistory; }

private:
    struct Row
    {
        int layerIndex = -1; ///< -1: an empty-layer history entry
        Image::Descriptor layer;
        Image::HistoryEntry history;
        bool hasHistory = false;
    };

    QList<Row> m_rows;
    int m_layerCount = 0;
    bool m_hasHistory = false;
};

} // namespace Restack::Ui
