// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "common/error.h"
#include "registry/httpcall.h"

namespace Restack::Registry
{

/**
 * Turns an HTTP error response into an Error: the operation, the registry / repository /
 * reference, the status, the registry's error code and message from the body
 * ({"errors":[{"code","message","detail"}]}, OCI distribution spec §"Error Codes") and a hint
 * saying what to do. Kinds: 401/403 Unauthorized, 404 NotFound, others Http.
 */
Error errorFromResponse(const Response &response, const QString &operation, const QString &registry,
                        const QString &repository = {}, const QString &reference = {});

} // namespace Restack::Registry
