// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "originstyle.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace Restack::Ui
{

using Rebase::Origin;

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("Restack::Ui::OriginStyle", text);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QPixmap badge(Origin origin, const QPalette &palette, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor fill = OriginStyle::accent(origin, palette);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    const qreal inset = size / 16.0;
    painter.drawRoundedRect(QRectF(inset, inset, size - 2 * inset, size - 2 * inset), size / 5.0, size / 5.0);
    // The symbol as strokes (a font may lack U+2212): white on the accent, which is dark enough in both themes.
    QPen pen(fill.lightness() > 150 ? QColor(Qt::black) : QColor(Qt::white));
    pen.setWidthF(size / 8.0);
    pen.setCapStyle(Qt::RoundCap);
    painter.setPen(pen);
    const qreal lo = size * 0.3;
    const qreal hi = size * 0.7;
    const qreal mid = size / 2.0;
    switch (origin) {
    case Origin::OldBase:
        painter.drawLine(QPointF(lo, mid), QPointF(hi, mid));
        break;
    case Origin::NewBase:
        painter.drawLine(QPointF(lo, mid), QPointF(hi, mid));
        painter.drawLine(QPointF(mid, lo), QPointF(mid, hi));
        break;
    case Origin::App:
        painter.drawLine(QPointF(lo, size * 0.4), QPointF(hi, size * 0.4));
        painter.drawLine(QPointF(lo, size * 0.6), QPointF(hi, size * 0.6));
        break;
    }
    return pixmap;
}

} // namespace

namespace OriginStyle
{

QString label(Origin origin)
{
    switch (origin) {
    case Origin::OldBase: return tr("old base");
    case Origin::NewBase: return tr("new base");
    case Origin::App: return tr("app");
    }
    return {};
}

QString change(Origin origin)
{
    switch (origin) {
    case Origin::OldBase: return tr("removed");
    case Origin::NewBase: return tr("added");
    case Origin::App: return tr("kept");
    }
    return {};
}

QString symbol(Origin origin)
{
    switch (origin) {
    case Origin::OldBase: return QStringLiteral("\u2212");
    case Origin::NewBase: return QStringLiteral("+");
    case Origin::App: return QStringLiteral("=");
    }
    return {};
}

QColor accent(Origin origin, const QPalette &palette)
{
    // Hues that colour-blind users can still tell apart by lightness as well: red-orange, green, blue.
    // The icon and the text carry the meaning; the colour only helps.
    const bool dark = isDark(palette);
    switch (origin) {
    case Origin::OldBase: return dark ? QColor(0xe0, 0x6c, 0x5a) : QColor(0xc0, 0x39, 0x2b);
    case Origin::NewBase: return dark ? QColor(0x4c, 0xc2, 0x7a) : QColor(0x1e, 0x84, 0x49);
    case Origin::App: return dark ? QColor(0x6a, 0x9e, 0xe8) : QColor(0x2e, 0x6d, 0xb4);
    }
    return palette.color(QPalette::Text);
}

QColor tint(Origin origin, const QPalette &palette)
{
    return mixColors(palette.color(QPalette::Base), accent(origin, palette), isDark(palette) ? 0.28 : 0.16);
}

QIcon icon(Origin origin, const QPalette &palette)
{
    // Views ask for the icon on every repaint: draw each variant once (the GUI thread only).
    static QHash<int, QIcon> cache;
    const int key = int(origin) * 2 + (isDark(palette) ? 1 : 0);
    auto it = cache.find(key);
    if (it == cache.end()) {
        QIcon icon;
        icon.addPixmap(badge(origin, palette, 16));
        icon.addPixmap(badge(origin, palette, 32));
        it = cache.insert(key, icon);
    }
    return it.value();
}

} // namespace OriginStyle

QColor mixColors(const QColor &a, const QColor &b, qreal amount)
{
    return QColor::fromRgbF(float(a.redF() * (1 - amount) + b.redF() * amount),
                            float(a.greenF() * (1 - amount) + b.greenF() * amount),
                            float(a.blueF() * (1 - amount) + b.blueF() * amount));
}

QString counted(qsizetype count, const QString &one, const QString &many)
{
    return QLocale().toString(count) + QLatin1Char(' ') + (count == 1 ? one : many);
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1024)
        return bytes == 1 ? QCoreApplication::translate("Restack::Ui", "1 byte")
                          : QCoreApplication::translate("Restack::Ui", "%1 bytes").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString exactSize(qint64 bytes)
{
    return QCoreApplication::translate("Restack::Ui", "%1 bytes").arg(QLocale().toString(bytes));
}

} // namespace Restack::Ui
