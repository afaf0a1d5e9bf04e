// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "common/error.h"

namespace Restack::Ui
{

/**
 * An Error as the desktop application words it: what failed, where, the registry's answer (HTTP
 * status and error code) and what the user can do in this application. Every piece is plain
 * text: registries' messages are never interpreted as markup.
 */
struct ErrorText
{
    QString title;  ///< what failed, one sentence (the error's message, prefixed by @p context when given)
    QString where;  ///< "registry/repository:reference", empty when unknown
    QString answer; ///< "HTTP 404 · MANIFEST_UNKNOWN", empty when there was no HTTP answer
    QString hint;   ///< what to do, worded for the GUI (Registries dialog, F5) rather than CLI options

    /** All pieces on separate lines, for tooltips, the clipboard and tests. */
    QString toPlainText() const;
};

/** Words @p error for the GUI; @p context ("Loading tags") is put before the message when not empty. */
ErrorText errorText(const Error &error, const QString &context = {});

/**
 * True when logging in may fix @p error: the registry wants credentials (401, or a request that
 * needed credentials and had none), as opposed to 403 (the user's rights do not allow it).
 */
bool offersLogin(const Error &error);

} // namespace Restack::Ui
