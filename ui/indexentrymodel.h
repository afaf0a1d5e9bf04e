// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include <optional>

#include "common/error.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "image/reference.h"
#include "index/indexrequest.h"

namespace Restack::Registry
{
class Client;
}

namespace Restack::Ui
{

/**
 * The images of an index being composed (IndexComposer), one row each: the reference, the
 * platform fields (os, architecture, variant, os.version, os.features) and a status.
 *
 * Each image is loaded as soon as it is added (its manifest, for an index the child of the
 * platform asked for, then its config), asynchronously; its config's platform fills the platform
 * columns. Editing a platform cell overrides that field (shown in bold, the config's value in the
 * tooltip); clearing it, or typing the config's value, drops the override. An image that is
 * itself a multi-platform index needs its OS and architecture typed to pick a child (NeedsPlatform
 * until then). Rows whose effective platforms are equal (os, architecture, variant, os.version, as
 * IndexOperation compares them) are marked as duplicates: an index holds one image per platform.
 *
 * entries() gives what IndexOperation needs: each reference with its overrides.
 */
class IndexEntryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IndexEntryModel)

public:
    enum Column {
        ImageColumn,
        OsColumn,
        ArchitectureColumn,
        VariantColumn,
        OsVersionColumn,
        FeaturesColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, ///< int(State)
        OverriddenRole,               ///< bool: this platform field is the user's, not the config's
        ConfigValueRole,              ///< QString: the config's value of this platform field
        DigestRole,                   ///< QString: the image manifest's digest, empty until loaded
        DuplicateRole,                ///< bool: another row has the same platform
        ReferenceRole,                ///< QString: the image as added
    };
    enum class State { Loading, Loaded, NeedsPlatform, Failed };
    Q_ENUM(State)

    explicit IndexEntryModel(QObject *parent = nullptr);
    ~IndexEntryModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    /** The client images are loaded with (rows added before it is set stay Loading until reload()). */
    void setClient(Registry::Client *client);
    /** Appends @p entry (its platform fields, when set, are overrides) and loads it; returns its row. */
    int addEntry(const Index::IndexEntry &entry);
    void removeEntry(int row);
    void clear();
    /** Loads @p row again (all rows when -1). */
    void reload(int row = -1);

    /** The entries for an IndexRequest, in row order. */
    QList<Index::IndexEntry> entries() const;
    State state(int row) const;
    /** The platform the index will list for @p row: the config's, with the overrides applied. */
    Image::Platform platform(int row) const;
    /** True while an image is being loaded. */
    bool isLoading() const;
    /** True when two loaded rows have the same platform. */
    bool hasDuplicates() const;

Q_SIGNALS:
    /** What the index would hold changed: rows, overrides, or an image's platform once loaded. */
    void entriesChanged();

private:
    struct Row
    {
        quint64 id = 0;
        Image::Reference image;
        Image::Platform overrides;          ///< non-empty fields replace the config's
        State state = State::Loading;
        Image::Platform config;             ///< the config's platform, once loaded
        QList<Image::Platform> children;    ///< an index's runnable platforms
        bool isIndex = false;
        Image::Digest digest;               ///< the image manifest's digest
        QString mediaType;
        QString error;
        QObject *requests = nullptr;        ///< context of the loads in flight
    };

    void load(int row);
    void loadConfig(quint64 id, const Image::Manifest &manifest);
    void fail(quint64 id, const Error &error);
    int rowOf(quint64 id) const;
    QList<int> duplicatesOf(int row) const;
    void allChanged();
    static QString field(const Image::Platform &platform, int column);

    Registry::Client *m_client = nullptr;
    QList<Row> m_rows;
    quint64 m_nextId = 1;
};

} // namespace Restack::Ui
