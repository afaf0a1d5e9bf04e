// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

#include "rebase/plan.h"

namespace Restack::Ui
{

/**
 * How a layer's origin is shown: never by colour alone. Each origin has a label ("old base"), a
 * change word ("removed"), a symbol ("−", "+", "=") drawn into an icon, and a tint derived from
 * the palette (a hue blended into the palette's Base colour), so that it reads in light and dark
 * themes alike.
 */
namespace OriginStyle
{

/** "old base", "new base", "app" (translated). */
QString label(Rebase::Origin origin);
/** "removed", "added", "kept" (translated). */
QString change(Rebase::Origin origin);
/** "−", "+", "=": the symbol also drawn in icon(). */
QString symbol(Rebase::Origin origin);
/** The hue of @p origin at full strength, adjusted for @p palette's lightness (for icons and text accents). */
QColor accent(Rebase::Origin origin, const QPalette &palette);
/** A background tint for rows of @p origin: accent() blended into the palette's Base colour. */
QColor tint(Rebase::Origin origin, const QPalette &palette);
/** A 16 px (and 32 px) badge: the symbol on the accent colour. */
QIcon icon(Rebase::Origin origin, const QPalette &palette);

} // namespace OriginStyle

/** @p a moved towards @p b by @p amount (0 = a, 1 = b), channel by channel; opaque. */
QColor mixColors(const QColor &a, const QColor &b, qreal amount);

/**
 * "1 layer", "3 layers": @p count with @p one or @p many. (Qt's "%n" plurals need a translation file even
 * for English; the application ships none yet.)
 */
QString counted(qsizetype count, const QString &one, const QString &many);

/** @p bytes as "1.2 KiB" (IEC units, the user's locale), or "0 bytes". */
QString humanSize(qint64 bytes);
/** @p bytes exactly, "1,234 bytes" with the locale's group separator. */
QString exactSize(qint64 bytes);

} // namespace Restack::Ui
