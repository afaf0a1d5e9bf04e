// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWidget>

#include <optional>

#include "common/error.h"
#include "image/descriptor.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/reference.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QTableView;

namespace Restack::Registry
{
class Client;
}

namespace Restack::Ui
{

class LayerModel;

/**
 * The details of one image: its reference and digest (with buttons that copy
 * REPOSITORY@DIGEST and a pull command), for an index a platform chooser, a configuration
 * summary (platform and os.version, entrypoint, cmd, labels, created) and the layer table
 * (LayerModel: layers with their history, empty-layer entries between them). Buttons hand the
 * image to the rebase workspace as source, old base or new base.
 *
 * Loading is asynchronous (the manifest, for an index the chosen child, then the config); showing
 * another image abandons the requests in flight. Failures are reported with failed(), not shown
 * here.
 */
class ImageDetailsWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageDetailsWidget)

public:
    ImageDetailsWidget(Registry::Client *client, QWidget *parent = nullptr);
    ~ImageDetailsWidget() override;

    /** Uses @p client for the next loads (after a logout the session has a fresh one). */
    void setClient(Registry::Client *client) { m_client = client; }
    /** Loads and shows the image @p ref names (a tag or a digest). */
    void showImage(const Image::Reference &ref);
    void clear();

    /** The reference shown (as given to showImage()), invalid when none. */
    Image::Reference reference() const { return m_reference; }
    /** True once the manifest (and for an image, its config) arrived. */
    bool isLoaded() const { return m_loaded; }
    /** The digest the reference resolves to (the index's, for an index); invalid until loaded. */
    Image::Digest digest() const { return m_digest; }
    /** "registry/repository@sha256:…": what the Copy button copies. Empty until loaded. */
    QString pinnedReference() const;
    /** "docker pull registry/repository@sha256:…". Empty until loaded. */
    QString pullCommand() const;
    LayerModel *layerModel() const { return m_layers; }

public Q_SLOTS:
    /** Copies pinnedReference() to the clipboard. */
    void copyReference();
    void copyPullCommand();

Q_SIGNALS:
    /** The image (for an index, the chosen platform's image) is shown completely. */
    void imageLoaded(const Restack::Image::Reference &ref);
    void failed(const Restack::Error &error, const QString &context);
    /** The user wants to rebase @p ref (the rebase workspace's source). */
    void rebaseRequested(const Restack::Image::Reference &ref);
    void oldBaseRequested(const Restack::Image::Reference &ref);
    void newBaseRequested(const Restack::Image::Reference &ref);

private:
    void onManifest(const Image::Manifest &manifest);
    void showPlatform(int index);
    void loadConfig(const Image::Manifest &manifest);
    void showConfig(const Image::Manifest &manifest, const Image::ImageConfig &config);
    void fail(const Error &error);
    void setStatus(const QString &text);
    void updateButtons();
    /** Deletes the context of the requests in flight (aborting them) and makes a new one. */
    QObject *freshRequests();

    Registry::Client *m_client;
    Image::Reference m_reference;
    Image::Digest m_digest;
    QList<Image::Descriptor> m_children; ///< an index's runnable children, as in the platform chooser
    bool m_loaded = false;
    QObject *m_requests = nullptr;

    QLabel *m_title;
    QLabel *m_status;
    QLabel *m_digestLabel;
    QPushButton *m_copyReference;
    QPushButton *m_copyPull;
    QLabel *m_platformLabel;
    QComboBox *m_platforms;
    QPushButton *m_rebase;
    QPushButton *m_useOldBase;
    QPushButton *m_useNewBase;
    QWidget *m_summary;
    QFormLayout *m_form;
    QLabel *m_platform;
    QLabel *m_created;
    QLabel *m_entrypoint;
    QLabel *m_cmd;
    QLabel *m_labels;
    QLabel *m_layerSummary;
    QTableView *m_layerView;
    LayerModel *m_layers;
};

} // namespace Restack::Ui
