// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "common/error.h"
#include "image/reference.h"
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

/**
 * The Error (Kind::Cancelled) for a PUT to the tag @p target that was at the registry when the
 * operation was cancelled, was let finish (Task::finishWithoutRetrying) and then failed with
 * @p failure: the registry may have stored it, so the error says so instead of "unchanged", and
 * the hint says how to look. @p what names the PUT ("manifest", "index"); @p context is appended
 * to the message (e.g. which other tags were pushed), empty for none.
 */
Error interruptedTagPut(const Image::Reference &target, const QString &what, const Error &failure,
                        const QString &context = {});

} // namespace Restack::Registry
