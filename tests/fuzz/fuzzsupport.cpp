// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzzsupport.h"

#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace RestackFuzz
{

void fail(const char *condition, const char *file, int line, const QString &detail)
{
    std::fprintf(stderr, "\n==restack-fuzz== invariant broken at %s:%d: %s\n==restack-fuzz== %s\n", file, line, condition,
                 qUtf8Printable(detail));
    std::fflush(stderr);
    std::abort();
}

QByteArray quotedString(const QString &value)
{
    QByteArray out = "\"";
    for (const char c : value.toUtf8()) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

namespace
{
// The parsers may log warnings (and Qt does, e.g. for odd JSON); at millions of inputs that is only noise.
// Critical and fatal messages still go out: a qFatal() (Q_ASSERT) aborts, which is a finding.
void quietMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", qUtf8Printable(qFormatLogMessage(type, context, message)));
}
} // namespace

} // namespace RestackFuzz

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler(RestackFuzz::quietMessages);
    return 0;
}
