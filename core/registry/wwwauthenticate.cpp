// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "registry/wwwauthenticate.h"

namespace Restack::Registry
{

namespace
{

// RFC 9110 tchar
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken68Char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~' || c == '+' || c == '/';
}

class Scanner
{
public:
    explicit Scanner(const QByteArray &text)
        : m_text(text)
    {
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek(qsizetype ahead = 0) const { return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : '\0'; }
    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    // Skips list separators: white space and commas (empty list elements are allowed).
    void skipSeparators()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ','))
            ++m_pos;
    }
    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    std::optional<QByteArray> quoted()
    {
        // at '"'
        ++m_pos;
        QByteArray value;
        while (!atEnd()) {
            const char c = peek();
            ++m_pos;
            if (c == '\\' && !atEnd()) {
                value += peek();
                ++m_pos;
            } else if (c == '"') {
                return value;
            } else {
                value += c;
            }
        }
        return std::nullopt; // unterminated
    }
    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype pos) { m_pos = pos; }
    // Skips to the next top-level comma (outside quotes) to resynchronise after a malformed part.
    void skipElement()
    {
        bool inQuotes = false;
        while (!atEnd()) {
            const char c = peek();
            if (inQuotes && c == '\\') {
                m_pos += 2;
                continue;
            }
            if (c == '"')
                inQuotes = !inQuotes;
            else if (c == ',' && !inQuotes)
                return;
            ++m_pos;
        }
    }

private:
    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

// Tries "name = value" at the scanner; on success consumes it.
bool parseParam(Scanner &s, QString *name, QString *value)
{
    const qsizetype start = s.pos();
    const QByteArray key = s.token();
    if (key.isEmpty()) {
        s.setPos(start);
        return false;
    }
    s.skipSpace();
    if (s.peek() != '=') {
        s.setPos(start);
        return false;
    }
    s.setPos(s.pos() + 1);
    s.skipSpace();
    QByteArray v;
    if (s.peek() == '"') {
        auto q = s.quoted();
        if (!q) {
            s.setPos(start);
            return false;
        }
        v = *q;
    } else {
        v = s.token();
        if (v.isEmpty()) {
            // "name=" followed by '=': this was a token68 like "abc==", not a parameter.
            s.setPos(start);
            return false;
        }
    }
    *name = QString::fromLatin1(key).toLower();
    *value = QString::fromUtf8(v);
    return true;
}

} // namespace

QList<Challenge> parseWwwAuthenticate(const QByteArray &header)
{
    QList<Challenge> challenges;
    Scanner s(header);
    while (true) {
        s.skipSeparators();
        if (s.atEnd())
            break;
        // A new element: either "scheme [params|token68]" or a further "param=value" of the
        // current challenge.
        const qsizetype start = s.pos();
        QString name;
        QString value;
        if (!challenges.isEmpty() && parseParam(s, &name, &value)) {
            challenges.last().params.insert(name, value);
            continue;
        }
        s.setPos(start);
        const QByteArray scheme = s.token();
        if (scheme.isEmpty()) {
            s.skipElement();
            continue;
        }
        Challenge challenge;
        challenge.scheme = QString::fromLatin1(scheme);
        if (s.peek() == ' ' || s.peek() == '\t') {
            s.skipSpace();
            if (parseParam(s, &name, &value)) {
                challenge.params.insert(name, value);
            } else {
                // token68: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
                const qsizetype t = s.pos();
                qsizetype end = t;
                while (end < header.size() && isToken68Char(header.at(end)))
                    ++end;
                while (end < header.size() && header.at(end) == '=')
                    ++end;
                challenge.token68 = QString::fromLatin1(header.mid(t, end - t));
                s.setPos(end);
            }
        }
        challenges << challenge;
        s.skipSpace();
        if (!s.atEnd() && s.peek() != ',')
            s.skipElement();
    }
    return challenges;
}

} // namespace Restack::Registry
