// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <utility>
#include <variant>

#include "common/error.h"

namespace Restack
{

/**
 * A value or the Error that prevented it: the return type of every fallible function in core
 * (C++20 has no std::expected). Accessing value() on an error, or error() on a value, is a
 * programmer error (asserted).
 */
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { Q_ASSERT(ok()); return std::get<0>(m_state); }
    const T &value() const & { Q_ASSERT(ok()); return std::get<0>(m_state); }
    T &&value() && { Q_ASSERT(ok()); return std::get<0>(std::move(m_state)); }
    const Error &error() const { Q_ASSERT(!ok()); return std::get<1>(m_state); }

    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, Error> m_state;
};

/** Result of an operation that yields nothing but success or an Error. */
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true)
    {
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { Q_ASSERT(m_failed); return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

/** Completion callback of an asynchronous operation: called exactly once, with the value or the error. */
template<typename T>
using Callback = std::function<void(Result<T>)>;

} // namespace Restack
