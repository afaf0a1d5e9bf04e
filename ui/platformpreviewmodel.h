// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "rebase/operation.h"

namespace Restack::Ui
{

/**
 * The platforms of an index rebase, one row each, as the rebase workspace lists them above the
 * stacks: the platform (with os.version), the old base found for it and how (given, annotations,
 * os.version tag, search), the layers removed / added / kept, and the predicted digest of the
 * platform's new image. Selecting a row shows that platform's stacks.
 */
class PlatformPreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlatformPreviewModel)

public:
    enum Column { PlatformColumn, OldBaseColumn, FoundByColumn, LayersColumn, DigestColumn, ColumnCount };
    enum Role {
        PlatformRole = Qt::UserRole + 1, ///< QString "os/arch[/variant]" with " (os.version)" when set
        DigestRole,                      ///< QString full predicted digest of the platform's image
        OldBaseRole,                     ///< QString the old base as named (tag and/or digest)
        RemovedRole,                     ///< int old base layers removed
        AddedRole,                       ///< int new base layers added
        KeptRole,                        ///< int app layers kept
    };

    explicit PlatformPreviewModel(QObject *parent = nullptr);
    ~PlatformPreviewModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** Shows the platforms of @p outcome (an index dry run; a single image gives one row). */
    void setOutcome(const Rebase::RebaseOutcome &outcome);
    void clear();

    /** How an old base was determined, as the GUI words it ("given", "found by the os.version tag", ...). */
    static QString foundBy(Rebase::OldBaseSource source);

private:
    QList<Rebase::PlatformResult> m_platforms;
};

} // namespace Restack::Ui
