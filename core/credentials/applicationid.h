// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Restack::Credentials
{

/**
 * Restack's reverse-DNS application id: the keychain service name of every secret Restack stores
 * (CLI and GUI alike), so that `restack login` and the desktop application share credentials.
 */
inline const QString ApplicationId = QStringLiteral("org.restack.Restack");

} // namespace Restack::Credentials
