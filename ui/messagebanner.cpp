// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagebanner.h"

#include <utility>

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "originstyle.h"

namespace Restack::Ui
{

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_details(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setAccessibleName(tr("Message"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    for (QLabel *label : {m_title, m_details}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    }
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setObjectName(QStringLiteral("messageTitle"));
    m_details->setObjectName(QStringLiteral("messageDetails"));
    m_icon->setAlignment(Qt::AlignTop);

    m_action->setObjectName(QStringLiteral("messageAction"));
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &MessageBanner::triggerAction);

    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close this message"));
    m_close->setAccessibleName(tr("Close message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::clear);

    auto *texts = new QVBoxLayout;
    texts->setSpacing(2);
    texts->addWidget(m_title);
    texts->addWidget(m_details);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addLayout(texts, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

MessageBanner::~MessageBanner() = default;

void MessageBanner::showError(const Error &error, const QString &context)
{
    showErrorText(errorText(error, context), error.kind == Error::Kind::Cancelled ? Level::Information : Level::Error);
}

void MessageBanner::showErrorText(const ErrorText &text, Level level)
{
    QStringList details;
    if (!text.where.isEmpty())
        details << tr("Where: %1").arg(text.where);
    if (!text.answer.isEmpty())
        details << tr("Registry answered: %1").arg(text.answer);
    if (!text.hint.isEmpty())
        details << tr("What to do: %1").arg(text.hint);
    showMessage(level, text.title, details.join(QLatin1Char('\n')));
}

void MessageBanner::showMessage(Level level, const QString &title, const QString &details)
{
    m_level = level;
    m_triggered = nullptr;
    m_action->hide();
    m_title->setText(title);
    m_details->setText(details);
    m_details->setVisible(!details.isEmpty());
    applyLevelStyle();
    setAccessibleDescription(text());
    show();
}

QString MessageBanner::text() const
{
    if (m_details->text().isEmpty())
        return m_title->text();
    return m_title->text() + QLatin1Char('\n') + m_details->text();
}

void MessageBanner::setAction(const QString &text, std::function<void()> triggered)
{
    m_triggered = std::move(triggered);
    m_action->setText(text);
    m_action->setAccessibleName(QString(text).remove(QChar(0x2026)));
    m_action->setVisible(bool(m_triggered));
}

QString MessageBanner::actionText() const
{
    return m_triggered ? m_action->text() : QString();
}

void MessageBanner::triggerAction()
{
    if (!m_triggered)
        return;
    const std::function<void()> triggered = std::exchange(m_triggered, nullptr);
    clear();
    triggered();
}

void MessageBanner::clear()
{
    m_triggered = nullptr;
    m_action->hide();
    m_title->clear();
    m_details->clear();
    hide();
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        // Our own palette edit triggers a PaletteChange too: only react to the application's.
        if (!m_applyingStyle)
            applyLevelStyle();
    }
}

void MessageBanner::applyLevelStyle()
{
    m_applyingStyle = true;
    // A tint of the level's hue over the window colour of the *application* palette, so that the
    // banner follows light and dark themes; the icon (not only the colour) tells the level.
    QPalette palette = QPalette();
    const QColor window = palette.color(QPalette::Window);
    const bool dark = window.lightness() < 128;
    QColor hue;
    QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxInformation;
    switch (m_level) {
    case Level::Information:
        hue = dark ? QColor(0x3d, 0xae, 0xe9) : QColor(0x2e, 0x6d, 0xb4);
        break;
    case Level::Warning:
        hue = dark ? QColor(0xf6, 0x74, 0x00) : QColor(0xc2, 0x7c, 0x0e);
        pixmap = QStyle::SP_MessageBoxWarning;
        break;
    case Level::Error:
        hue = dark ? QColor(0xda, 0x44, 0x53) : QColor(0xc0, 0x39, 0x2b);
        pixmap = QStyle::SP_MessageBoxCritical;
        break;
    }
    const qreal amount = dark ? 0.30 : 0.15;
    palette.setColor(QPalette::Window, mixColors(window, hue, amount));
    setPalette(palette);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    m_icon->setPixmap(style()->standardIcon(pixmap).pixmap(size, size));
    m_applyingStyle = false;
}

} // namespace Restack::Ui
