// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

// Shared by the libFuzzer targets of tests/fuzz: an invariant check that turns a broken property of the
// code under test into a crash libFuzzer saves, and the input as Qt types.

namespace RestackFuzz
{

/** Prints what broke (with @p detail, e.g. the values compared) and aborts: libFuzzer reports it as a crash. */
[[noreturn]] void fail(const char *condition, const char *file, int line, const QString &detail);

/** @p value as an HTTP quoted-string (RFC 9110 §5.6.4): UTF-8 between double quotes, '"' and '\\' escaped. */
QByteArray quotedString(const QString &value);

/** The fuzz input as a QByteArray, without copying (valid for the duration of the call only). */
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace RestackFuzz

/** Checks an invariant of the code under test; on failure prints @p detail (a QString) and aborts. */
#define FUZZ_CHECK(condition, detail)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::RestackFuzz::fail(#condition, __FILE__, __LINE__, (detail));                                             \
    } while (false)
