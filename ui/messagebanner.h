// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

#include <functional>

#include "common/error.h"
#include "errortext.h"

class QLabel;
class QPushButton;
class QToolButton;

namespace Restack::Ui
{

/**
 * A non-modal message strip (in the spirit of KMessageWidget) shown inside a window: an icon, a
 * bold first line, detail lines and a close button. Errors are shown piece by piece (what failed,
 * where, the registry's HTTP status and error code, what to do). All text is plain text: strings
 * from registries are never interpreted as markup. Hidden until a message is shown.
 *
 * A message may offer one action (setAction(): "Log In…" after a 401), shown as a button beside
 * the text; showing another message or clearing removes it.
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
    /** Shows an error already worded (errorText(), perhaps with a more specific hint) at @p level. */
    void showErrorText(const ErrorText &text, Level level = Level::Error);
    /** Shows a message of @p level: @p title in bold, @p details below (may be empty). */
    void showMessage(Level level, const QString &title, const QString &details = {});

    /**
     * Adds a button labelled @p text (objectName "messageAction") to the message shown, calling
     * @p triggered when clicked (the banner is cleared first). Replaces an earlier action.
     */
    void setAction(const QString &text, std::function<void()> triggered);
    /** The action button's text, empty when the message offers none. */
    QString actionText() const;
    /** Clicks the action, as the user would (no-op without one). */
    void triggerAction();

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
    QPushButton *m_action;
    std::function<void()> m_triggered;
    QToolButton *m_close;
};

} // namespace Restack::Ui
