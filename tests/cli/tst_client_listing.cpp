// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Restack::Registry::Client's paginated listings against a real docker-registry: following Link
// rel="next" page by page, and a page size over the registry's cap (catalog.maxentries), which
// distribution 2.8.2 rejects with 400 PAGINATION_NUMBER_INVALID. The requests are checked in the
// registry's access log.

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QtTest>

#include <optional>

#include "clitest.h"
#include "imagefactory.h"
#include "registry/client.h"
#include "registryfixture.h"

using namespace Restack::Test;

namespace
{

constexpr int CatalogCap = 3; ///< catalog.maxentries of the fixture

const QStringList Repositories{QStringLiteral("pages/a"), QStringLiteral("pages/b"), QStringLiteral("pages/c"),
                               QStringLiteral("pages/d"), QStringLiteral("pages/e"), QStringLiteral("pages/f"),
                               QStringLiteral("pages/g")};
const QStringList Tags{QStringLiteral("t1"), QStringLiteral("t2"), QStringLiteral("t3"), QStringLiteral("t4"),
                       QStringLiteral("t5")};

RegistryOptions cappedCatalog()
{
    RegistryOptions options;
    options.extraConfig = QStringLiteral("catalog:\n  maxentries: %1\n").arg(CatalogCap);
    return options;
}

struct Listing
{
    std::optional<Restack::Result<QStringList>> result;
    QList<QStringList> pages;
};

} // namespace

class ClientListingTest : public QObject
{
    Q_OBJECT

public:
    ClientListingTest() : m_registry(cappedCatalog()) { }

private slots:
    void initTestCase();
    void catalogPages_data();
    void catalogPages();
    void catalogOverRegistryCap();
    void tagsIgnorePageSize();

private:
    /** Lists the catalog (@p repository empty) or a repository's tags with page size @p pageSize. */
    void list(int pageSize, const QString &repository, Listing *listing);
    QList<AccessLogEntry> listingRequests(const QString &path);

    RegistryFixture m_registry;
    ImageFactory m_factory;
};

void ClientListingTest::initTestCase()
{
    QString error;
    QVERIFY2(m_registry.start(&error), qPrintable(error));
    ImageSpec spec;
    spec.addLayer({{QStringLiteral("/hello"), QByteArrayLiteral("hello\n")}}, QStringLiteral("COPY hello /"));
    const Restack::Result<BuiltImage> built = m_factory.build(QStringLiteral("tiny"), spec);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    // Pushed out of order: the registry sorts the catalog itself.
    QStringList targets;
    for (qsizetype i = Repositories.size() - 1; i >= 0; --i)
        targets << Repositories.at(i) + QStringLiteral(":1");
    for (const QString &tag : Tags)
        targets << Repositories.first() + QLatin1Char(':') + tag;
    for (const QString &target : std::as_const(targets)) {
        const Restack::Result<QString> pushed
            = m_factory.push(QStringLiteral("tiny"), m_registry.host() + QLatin1Char('/') + target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
}

void ClientListingTest::list(int pageSize, const QString &repository, Listing *listing)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    Restack::Registry::ClientOptions options;
    options.pageSize = pageSize;
    Restack::Registry::Client client(&network, options);
    QObject context;
    const auto done = [listing](Restack::Result<QStringList> result) { listing->result = std::move(result); };
    const auto page = [listing](const QStringList &items) { listing->pages << items; };
    if (repository.isEmpty()) {
        client.listCatalog(m_registry.host(), &context, done, page);
    } else {
        const auto ref = Restack::Image::Reference::parseRepository(m_registry.host() + QLatin1Char('/') + repository);
        QVERIFY(ref.ok());
        client.listTags(ref.value(), &context, done, page);
    }
    QTRY_VERIFY_WITH_TIMEOUT(listing->result.has_value(), 30000);
    QVERIFY2(listing->result->ok(),
             qPrintable(listing->result->ok() ? QString() : listing->result->error().toString()));
}

QList<AccessLogEntry> ClientListingTest::listingRequests(const QString &path)
{
    if (!syncAccessLog(m_registry))
        return {};
    QList<AccessLogEntry> requests;
    for (const AccessLogEntry &e : requestsSinceMark(m_registry)) {
        if (e.method == QLatin1String("GET") && e.path == path)
            requests << e;
    }
    return requests;
}

void ClientListingTest::catalogPages_data()
{
    QTest::addColumn<int>("pageSize");
    QTest::newRow("1") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("3 (the registry's cap)") << 3;
}

void ClientListingTest::catalogPages()
{
    QFETCH(int, pageSize);
    m_registry.markAccessLog();
    Listing listing;
    list(pageSize, QString(), &listing);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(listing.result->value(), Repositories);

    // Every page but the last is full, and the pages add up to the whole list in order.
    QStringList joined;
    for (qsizetype i = 0; i < listing.pages.size(); ++i) {
        if (i + 1 < listing.pages.size())
            QCOMPARE(listing.pages.at(i).size(), pageSize);
        joined += listing.pages.at(i);
    }
    QCOMPARE(joined, Repositories);

    // The requests: n= on each, and last= carried over from the Link header (the previous page's
    // last repository).
    const QList<AccessLogEntry> requests = listingRequests(QStringLiteral("/v2/_catalog"));
    qInfo().noquote() << "page size" << pageSize << "->" << requests.size() << "catalog requests:\n"
                      << describeRequests(requests);
    const qsizetype minimum = (Repositories.size() + pageSize - 1) / pageSize;
    RESTACK_VERIFY_OR_DUMP(requests.size() >= minimum && requests.size() <= minimum + 1, describeRequests(requests));
    QString previousLast;
    qsizetype seen = 0;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const AccessLogEntry &request = requests.at(i);
        QCOMPARE(request.status, 200);
        QCOMPARE(queryValue(request, QStringLiteral("n")), QString::number(pageSize));
        QCOMPARE(queryValue(request, QStringLiteral("last")), previousLast);
        seen += pageSize;
        previousLast = Repositories.value(qMin(seen, Repositories.size()) - 1);
    }
}

void ClientListingTest::catalogOverRegistryCap()
{
    m_registry.markAccessLog();
    Listing listing;
    list(1000, QString(), &listing);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(listing.result->value(), Repositories);

    const QList<AccessLogEntry> requests = listingRequests(QStringLiteral("/v2/_catalog"));
    qInfo().noquote() << "page size 1000 over a cap of" << CatalogCap << "->\n" << describeRequests(requests);
    // n=1000 and the client's fallback n=100 are over the cap (400 PAGINATION_NUMBER_INVALID); without
    // n= the registry uses its cap and links the next pages.
    RESTACK_VERIFY_OR_DUMP(requests.size() >= 5, describeRequests(requests));
    QCOMPARE(requests.at(0).status, 400);
    QCOMPARE(queryValue(requests.at(0), QStringLiteral("n")), QStringLiteral("1000"));
    QCOMPARE(requests.at(1).status, 400);
    QCOMPARE(queryValue(requests.at(1), QStringLiteral("n")), QStringLiteral("100"));
    QCOMPARE(requests.at(2).status, 200);
    QCOMPARE(requests.at(2).uri, QStringLiteral("/v2/_catalog"));
    for (qsizetype i = 3; i < requests.size(); ++i) {
        QCOMPARE(requests.at(i).status, 200);
        QCOMPARE(queryValue(requests.at(i), QStringLiteral("n")), QString::number(CatalogCap));
        QCOMPARE(queryValue(requests.at(i), QStringLiteral("last")), Repositories.at((i - 2) * CatalogCap - 1));
    }
}

void ClientListingTest::tagsIgnorePageSize()
{
    // docker-registry 2.8 ignores n= and last= on tags/list: one page with every tag, unsorted.
    m_registry.markAccessLog();
    Listing listing;
    list(2, Repositories.first(), &listing);
    if (QTest::currentTestFailed())
        return;
    QStringList tags = listing.result->value();
    tags.sort();
    QCOMPARE(tags, QStringList{QStringLiteral("1")} + Tags);

    const QList<AccessLogEntry> requests
        = listingRequests(QStringLiteral("/v2/") + Repositories.first() + QStringLiteral("/tags/list"));
    qInfo().noquote() << "tags with page size 2 ->\n" << describeRequests(requests);
    QVERIFY2(!requests.isEmpty(), "no tags/list request was logged");
    QCOMPARE(queryValue(requests.first(), QStringLiteral("n")), QStringLiteral("2"));
    QCOMPARE(requests.first().status, 200);
}

QTEST_GUILESS_MAIN(ClientListingTest)
#include "tst_client_listing.moc"
