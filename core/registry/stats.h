// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>

namespace Restack::Registry
{

/** Counters of what a Client sent and received, for benchmarks and `--verbose`. */
struct Stats
{
    QMap<QString, int> requestsByKind; ///< e.g. "manifest GET" -> 3, "blob HEAD" -> 5, "token" -> 1
    qint64 bytesReceived = 0;          ///< response body bytes
    qint64 bytesSent = 0;              ///< request body bytes
    qint64 layerBytesReceived = 0;     ///< blob bytes received while copying layers
    qint64 layerBytesSent = 0;         ///< blob bytes uploaded while copying layers
    int retries = 0;                   ///< requests sent again after a transient failure
    int restarts = 0;                  ///< uploads or copies started over after a failure

    int totalRequests() const
    {
        int total = 0;
        for (int n : requestsByKind)
            total += n;
        return total;
    }
};

} // namespace Restack::Registry
