// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

#include "common/error.h"

class QLabel;
class QToolButton;

namespace Restack::Ui
{

/**
 * A non-modal message strip (in the spirit of KMessageWidget) shown inside a window: an icon, a
 * bold first line, detail lines and a close button. Errors are shown piece by piece (what failed,
 * where, the registry's HTTP status and error code, what to do). All text is plain text: strings
 * from registries are never interpreted as markup. Hidden until a message is shown.
 */
class MessageBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    enum class Level { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);
    ~MessageBanner() override;

    /** Shows @p error, prefixed by @p context ("Loading tags of demo/app") when given. */
    void showError(const Error &error, const QString &context = {});
    /** Shows a message of @p level: @p title in bold, @p details below (may be empty). */
    void showMessage(Level level, const QString &title, const QString &details = {});

    Level level() const { return m_level; }
    /** The message as shown, one piece per line (for tests and the clipboard). */
    QString text() const;

public Q_SLOTS:
    /** Hides the banner and forgets the message. */
    void clear();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyLevelStyle();

    Level m_level = Level::Information;
    bool m_applyingStyle = false;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_details;
    QToolButton *m_close;
};

} // namespace Restack::Ui
