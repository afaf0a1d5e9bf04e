// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "image/reference.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace Restack::Image
{

namespace
{

constexpr qsizetype MaxNameLength = 255;
constexpr qsizetype MaxTagLength = 128;

Error invalid(const QString &input, const QString &reason)
{
    return Error::make(Error::Kind::InvalidInput, QStringLiteral("invalid reference \"%1\": %2").arg(input, reason));
}

// host [":" port] where host is a domain name, an IPv4 address or a bracketed IPv6 address.
std::optional<QString> validateRegistry(const QString &registry)
{
    QString host = registry;
    QString port;
    if (registry.startsWith(QLatin1Char('['))) {
        const qsizetype close = registry.indexOf(QLatin1Char(']'));
        if (close < 0)
            return QStringLiteral("IPv6 registry address \"%1\" lacks its closing ']'").arg(registry);
        host = registry.mid(1, close - 1);
        const QString rest = registry.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return QStringLiteral("unexpected \"%1\" after the IPv6 address").arg(rest);
            port = rest.mid(1);
            if (port.isEmpty())
                return QStringLiteral("registry \"%1\" has an empty port").arg(registry);
        }
        // The distribution reference grammar: ipv6address := "[" [a-fA-F0-9:]+ "]" (no zone, no
        // embedded IPv4). QHostAddress alone is not enough: it stops at a NUL and accepts "%zone".
        static const QRegularExpression ipv6Characters(QStringLiteral("^[a-fA-F0-9:]+\\z"));
        QHostAddress address;
        if (!ipv6Characters.match(host).hasMatch() || !address.setAddress(host)
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return QStringLiteral("\"%1\" is not an IPv6 address").arg(host);
    } else {
        const qsizetype colon = registry.indexOf(QLatin1Char(':'));
        if (colon >= 0) {
            host = registry.left(colon);
            port = registry.mid(colon + 1);
            if (port.isEmpty())
                return QStringLiteral("registry \"%1\" has an empty port").arg(registry);
        }
        if (host.isEmpty())
            return QStringLiteral("registry \"%1\" has an empty host").arg(registry);
        static const QRegularExpression domain(QStringLiteral(
            "^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\\z"));
        if (!domain.match(host).hasMatch())
            return QStringLiteral("\"%1\" is not a valid registry host name").arg(host);
    }
    if (!port.isEmpty()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        static const QRegularExpression digits(QStringLiteral("^[0-9]+\\z"));
        if (!digits.match(port).hasMatch() || !ok || number < 1 || number > 65535)
            return QStringLiteral("\"%1\" is not a valid port (1-65535)").arg(port);
    }
    return std::nullopt;
}

// path := path-component ["/" path-component]*, path-component := [a-z0-9]+ (separator [a-z0-9]+)*
std::optional<QString> validatePath(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("the repository name is empty");
    if (path.endsWith(QLatin1Char('/')))
        return QStringLiteral("the repository name ends with '/'");
    if (path.startsWith(QLatin1Char('/')))
        return QStringLiteral("the repository name starts with '/'");
    static const QRegularExpression component(QStringLiteral("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*\\z"));
    const QStringList components = path.split(QLatin1Char('/'));
    for (const QString &c : components) {
        if (c.isEmpty())
            return QStringLiteral("the repository name has an empty path component (\"//\")");
        if (component.match(c).hasMatch())
            continue;
        if (c != c.toLower())
            return QStringLiteral("repository name must be lowercase (\"%1\")").arg(c);
        static const QRegularExpression trailing(QStringLiteral("[._-]\\z"));
        static const QRegularExpression leading(QStringLiteral("^[._-]"));
        if (trailing.match(c).hasMatch())
            return QStringLiteral("path component \"%1\" ends with a separator").arg(c);
        if (leading.match(c).hasMatch())
            return QStringLiteral("path component \"%1\" starts with a separator").arg(c);
        return QStringLiteral("path component \"%1\" may contain only a-z, 0-9 and single '.', '_', '__' or '-' "
                              "separators")
            .arg(c);
    }
    return std::nullopt;
}

std::optional<QString> validateTag(const QString &tag)
{
    if (tag.isEmpty())
        return QStringLiteral("the tag after ':' is empty");
    if (tag.size() > MaxTagLength)
        return QStringLiteral("the tag is %1 characters long; at most %2 are allowed").arg(tag.size()).arg(MaxTagLength);
    static const QRegularExpression grammar(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]*\\z"));
    if (!grammar.match(tag).hasMatch())
        return QStringLiteral("tag \"%1\" may contain only letters, digits, '_', '.' and '-', and must not start "
                              "with '.' or '-'")
            .arg(tag);
    return std::nullopt;
}

bool looksLikeRegistry(const QString &component)
{
    return component.contains(QLatin1Char('.')) || component.contains(QLatin1Char(':'))
        || component == QLatin1String("localhost") || component.startsWith(QLatin1Char('['));
}

QString normaliseRegistry(const QString &registry)
{
    const QString lower = registry.toLower();
    if (lower == QLatin1String("docker.io") || lower == QLatin1String("index.docker.io")
        || lower == QLatin1String("registry-1.docker.io"))
        return Reference::DockerHub;
    return registry;
}

// Splits "registry/path" into its registry (Docker Hub when the first component is not one) and path.
std::pair<QString, QString> splitName(const QString &name)
{
    const qsizetype slash = name.indexOf(QLatin1Char('/'));
    if (slash > 0 && looksLikeRegistry(name.left(slash)))
        return {name.left(slash), name.mid(slash + 1)};
    return {Reference::DockerHub, name};
}

} // namespace

Result<Reference> Reference::parse(const QString &text)
{
    if (text.trimmed().isEmpty())
        return invalid(text, QStringLiteral("the reference is empty"));
    if (text != text.trimmed())
        return invalid(text, QStringLiteral("it has leading or trailing white space"));

    static const QRegularExpression scheme(QStringLiteral("^[a-zA-Z][a-zA-Z0-9+.-]*://"));
    if (const auto match = scheme.match(text); match.hasMatch())
        return invalid(text, QStringLiteral("a reference takes no scheme: leave out \"%1\"").arg(match.captured()));

    QString rest = text;
    Reference ref;

    const qsizetype at = rest.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString digestText = rest.mid(at + 1);
        if (digestText.isEmpty())
            return invalid(text, QStringLiteral("the digest after '@' is empty"));
        if (digestText.contains(QLatin1Char('@')))
            return invalid(text, QStringLiteral("it contains more than one '@'"));
        auto digest = Digest::parse(digestText);
        if (!digest) {
            // In a reference the user typed, an unknown algorithm is bad input like any other.
            Error e = digest.error();
            e.kind = Error::Kind::InvalidInput;
            e.message = QStringLiteral("invalid reference \"%1\": %2").arg(text, e.message);
            return e;
        }
        ref.m_digest = digest.value();
        rest = rest.left(at);
    }

    // A tag is a ':' after the last '/', so that "host:5000/repo" keeps its port.
    const qsizetype lastSlash = rest.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = rest.indexOf(QLatin1Char(':'), lastSlash + 1);
    if (colon >= 0) {
        ref.m_tag = rest.mid(colon + 1);
        rest = rest.left(colon);
        if (auto problem = validateTag(ref.m_tag))
            return invalid(text, *problem);
    }

    if (rest.isEmpty())
        return invalid(text, QStringLiteral("the repository name is empty"));

    auto [registry, path] = splitName(rest);
    if (path.isEmpty())
        return invalid(text, QStringLiteral("the repository name is empty"));
    if (auto problem = validateRegistry(registry))
        return invalid(text, *problem);
    if (auto problem = validatePath(path))
        return invalid(text, *problem);
    ref.m_registry = normaliseRegistry(registry);
    ref.m_repository = path;
    if (ref.m_registry == DockerHub && !path.contains(QLatin1Char('/')))
        ref.m_repository = QStringLiteral("library/") + path;
    // The limit applies to the normalised name ("docker.io/library/NAME"), as Docker checks it, so
    // that whatever parses also parses again from toString().
    if (ref.name().size() > MaxNameLength)
        return invalid(text, QStringLiteral("the name is longer than %1 characters (%2 once normalised as %3...)")
                                 .arg(MaxNameLength)
                                 .arg(ref.name().size())
                                 .arg(ref.name().left(40)));
    return ref;
}

Result<Reference> Reference::parseRepository(const QString &text)
{
    auto ref = parse(text);
    if (!ref)
        return ref;
    if (!ref->tag().isEmpty() || ref->hasDigest())
        return invalid(text, QStringLiteral("expected a repository without tag or digest"));
    return ref;
}

Result<QString> Reference::parseRegistry(const QString &text)
{
    QString host = text.trimmed();
    // Accept a URL-ish form users paste ("https://host:5000/"), but nothing after the host.
    for (const QLatin1String scheme : {QLatin1String("https://"), QLatin1String("http://")}) {
        if (host.startsWith(scheme, Qt::CaseInsensitive))
            host = host.mid(scheme.size());
    }
    while (host.endsWith(QLatin1Char('/')))
        host.chop(1);
    if (host.isEmpty())
        return Error::make(Error::Kind::InvalidInput, QStringLiteral("invalid registry \"%1\": it is empty").arg(text));
    if (host.contains(QLatin1Char('/')))
        return Error::make(Error::Kind::InvalidInput,
                           QStringLiteral("invalid registry \"%1\": expected HOST[:PORT] without a path").arg(text));
    if (auto problem = validateRegistry(host))
        return Error::make(Error::Kind::InvalidInput, QStringLiteral("invalid registry \"%1\": %2").arg(text, *problem));
    return normaliseRegistry(host);
}

Reference Reference::fromParts(const QString &registry, const QString &repository, const QString &tag,
                               const Digest &digest)
{
    Reference ref;
    ref.m_registry = normaliseRegistry(registry);
    ref.m_repository = repository;
    ref.m_tag = tag;
    ref.m_digest = digest;
    return ref;
}

QString Reference::identifier() const
{
    if (m_digest.isValid())
        return m_digest.toString();
    if (!m_tag.isEmpty())
        return m_tag;
    return QStringLiteral("latest");
}

QString Reference::name() const
{
    return m_registry + QLatin1Char('/') + m_repository;
}

QString Reference::toString() const
{
    QString text = name();
    if (!m_tag.isEmpty())
        text += QLatin1Char(':') + m_tag;
    if (m_digest.isValid())
        text += QLatin1Char('@') + m_digest.toString();
    return text;
}

Reference Reference::withTag(const QString &tag) const
{
    Reference ref = *this;
    ref.m_tag = tag;
    ref.m_digest = {};
    return ref;
}

Reference Reference::withDigest(const Digest &digest) const
{
    Reference ref = *this;
    ref.m_digest = digest;
    return ref;
}

Reference Reference::repositoryOnly() const
{
    Reference ref = *this;
    ref.m_tag.clear();
    ref.m_digest = {};
    return ref;
}

QString Reference::apiHostFor(const QString &registry)
{
    return registry == DockerHub ? DockerHubApiHost : registry;
}

bool Reference::isLoopbackRegistry(const QString &registry)
{
    QString host = registry;
    if (host.startsWith(QLatin1Char('['))) {
        host = host.mid(1, host.indexOf(QLatin1Char(']')) - 1);
    } else {
        const qsizetype colon = host.indexOf(QLatin1Char(':'));
        if (colon >= 0)
            host = host.left(colon);
    }
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

} // namespace Restack::Image
