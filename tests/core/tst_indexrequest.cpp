// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// Index::parseEntry (`restack manifest create` arguments) and Index::parseSpec (manifest-tool's
// YAML spec), table-driven.

#include <QtTest>

#include "index/indexrequest.h"

using namespace Restack;

namespace
{
QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}
} // namespace

class IndexRequestTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entry_data();
    void entry();
    void spec_data();
    void spec();
};

void IndexRequestTest::entry_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("platform"); // toString(true) of the override, empty: none
    QTest::addColumn<QStringList>("features");
    QTest::addColumn<QString>("error");

    QTest::newRow("plain image") << "r.example/app:1" << true << "r.example/app:1" << "" << QStringList() << "";
    QTest::newRow("platform") << "r.example/app:1,platform=linux/arm64" << true << "r.example/app:1" << "linux/arm64"
                              << QStringList() << "";
    QTest::newRow("platform with variant") << "r.example/app:1,platform=linux/arm/v7" << true << "r.example/app:1"
                                           << "linux/arm/v7" << QStringList() << "";
    QTest::newRow("os.version") << "r.example/app:1,platform=windows/amd64,os.version=10.0.17763.1" << true
                                << "r.example/app:1" << "windows/amd64 (10.0.17763.1)" << QStringList() << "";
    QTest::newRow("os.version alone") << "r.example/app:1,os.version=10.0.14393.1884" << true << "r.example/app:1"
                                      << "/ (10.0.14393.1884)" << QStringList() << "";
    QTest::newRow("features") << "r.example/app:1,platform=windows/amd64,os.features=win32k;sse4" << true
                              << "r.example/app:1" << "windows/amd64" << strings({"win32k", "sse4"}) << "";
    const QString pinned = QStringLiteral("r.example/app@sha256:") + QString(64, QLatin1Char('a'));
    QTest::newRow("digest reference") << QString(pinned + QStringLiteral(",platform=linux/amd64")) << true << pinned << "linux/amd64"
                                      << QStringList() << "";
    QTest::newRow("unknown key") << "r.example/app:1,arch=amd64" << false << "" << "" << QStringList() << "unknown key \"arch\"";
    QTest::newRow("empty value") << "r.example/app:1,platform=" << false << "" << "" << QStringList() << "has no value";
    QTest::newRow("bad platform") << "r.example/app:1,platform=linux" << false << "" << "" << QStringList()
                                  << "OS/ARCHITECTURE";
    QTest::newRow("bad reference") << "R.example/App:1" << false << "" << "" << QStringList() << "lowercase";
}

void IndexRequestTest::entry()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    QFETCH(QString, image);
    QFETCH(QString, platform);
    QFETCH(QStringList, features);
    QFETCH(QString, error);
    const auto entry = Index::parseEntry(input);
    QCOMPARE(entry.ok(), ok);
    if (!ok) {
        QVERIFY2(entry.error().message.contains(error), qPrintable(entry.error().message));
        QCOMPARE(entry.error().kind, Error::Kind::InvalidInput);
        return;
    }
    QCOMPARE(entry->image.toString(), image);
    QCOMPARE(entry->platform.has_value(), !platform.isEmpty());
    if (entry->platform) {
        QCOMPARE(entry->platform->toString(true), platform);
        QCOMPARE(entry->platform->osFeatures, features);
    }
}

void IndexRequestTest::spec_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QStringList>("entries"); // "image platform" per entry
    QTest::addColumn<QString>("error");

    QTest::newRow("the seed's spec") << QByteArray("image: stefanscherer/curl-windows:7.56.1\n"
                                                   "tags: ['7.56', '7', 'latest']\n"
                                                   "manifests:\n"
                                                   "  -\n"
                                                   "    image: stefanscherer/curl-windows:7.56.1-2016\n"
                                                   "    platform:\n"
                                                   "      architecture: amd64\n"
                                                   "      os: windows\n"
                                                   "  -\n"
                                                   "    image: stefanscherer/curl-windows:7.56.1-1709\n"
                                                   "    platform:\n"
                                                   "      architecture: amd64\n"
                                                   "      os: windows\n")
                                     << true << "docker.io/stefanscherer/curl-windows:7.56.1"
                                     << strings({"7.56", "7", "latest"})
                                     << strings({"docker.io/stefanscherer/curl-windows:7.56.1-2016 windows/amd64",
                                                    "docker.io/stefanscherer/curl-windows:7.56.1-1709 windows/amd64"})
                                     << "";
    QTest::newRow("variant, osversion and features") << QByteArray("image: r.example/a:1\n"
                                                                   "manifests:\n"
                                                                   "  - image: r.example/a:arm\n"
                                                                   "    platform: {architecture: arm, os: linux, variant: v7}\n"
                                                                   "  - image: r.example/a:win\n"
                                                                   "    platform:\n"
                                                                   "      architecture: amd64\n"
                                                                   "      os: windows\n"
                                                                   "      osversion: 10.0.17763.1\n"
                                                                   "      features: [win32k]\n")
                                                     << true << "r.example/a:1" << QStringList()
                                                     << strings({"r.example/a:arm linux/arm/v7",
                                                                    "r.example/a:win windows/amd64 (10.0.17763.1)"})
                                                     << "";
    QTest::newRow("os.version spelled as in the OCI spec") << QByteArray("image: r.example/a:1\n"
                                                                         "manifests:\n"
                                                                         "  - image: r.example/a:w\n"
                                                                         "    platform: {os: windows, architecture: amd64, os.version: 10.0.1}\n")
                                                           << true << "r.example/a:1" << QStringList()
                                                           << strings({"r.example/a:w windows/amd64 (10.0.1)"}) << "";
    QTest::newRow("no platform: read from the image") << QByteArray("image: r.example/a:1\nmanifests:\n  - image: r.example/a:x\n")
                                                      << true << "r.example/a:1" << QStringList()
                                                      << strings({"r.example/a:x -"}) << "";
    QTest::newRow("target tag repeated in tags") << QByteArray("image: r.example/a:1\ntags: ['1', '2']\nmanifests:\n  - image: r.example/a:x\n")
                                                 << true << "r.example/a:1" << strings({"2"})
                                                 << strings({"r.example/a:x -"}) << "";
    QTest::newRow("typo in a key") << QByteArray("image: a/b:1\nmanifest:\n  - image: c/d:1\n") << false << "" << QStringList()
                                   << QStringList() << "unknown key \"manifest\" (line 2)";
    QTest::newRow("typo in platform") << QByteArray("image: a/b:1\nmanifests:\n  - image: c/d:1\n    platform: {arch: amd64}\n")
                                      << false << "" << QStringList() << QStringList() << "unknown platform key \"arch\"";
    QTest::newRow("no image") << QByteArray("manifests:\n  - image: c/d:1\n") << false << "" << QStringList() << QStringList()
                              << "\"image\" (the index to push) is missing";
    QTest::newRow("no manifests") << QByteArray("image: a/b:1\n") << false << "" << QStringList() << QStringList()
                                  << "lists no image";
    QTest::newRow("entry without image") << QByteArray("image: a/b:1\nmanifests:\n  - platform: {os: linux}\n") << false << ""
                                         << QStringList() << QStringList() << "has no image";
    QTest::newRow("target without tag") << QByteArray("image: a/b@sha256:" + QByteArray(64, 'a') + "\nmanifests:\n  - image: c/d:1\n")
                                        << false << "" << QStringList() << QStringList() << "must name a tag";
    QTest::newRow("invalid reference") << QByteArray("image: A/b:1\nmanifests:\n  - image: c/d:1\n") << false << ""
                                       << QStringList() << QStringList() << "lowercase";
    QTest::newRow("invalid tag") << QByteArray("image: a/b:1\ntags: ['-bad']\nmanifests:\n  - image: c/d:1\n") << false << ""
                                 << QStringList() << QStringList() << "invalid tag \"-bad\"";
    QTest::newRow("not YAML") << QByteArray("image: [unclosed\n") << false << "" << QStringList() << QStringList()
                              << "invalid YAML";
    QTest::newRow("not a mapping") << QByteArray("- a\n- b\n") << false << "" << QStringList() << QStringList()
                                   << "must be a mapping";
    QTest::newRow("manifests not a list") << QByteArray("image: a/b:1\nmanifests: c/d:1\n") << false << "" << QStringList()
                                          << QStringList() << "must be a list";
}

void IndexRequestTest::spec()
{
    QFETCH(QByteArray, yaml);
    QFETCH(bool, ok);
    QFETCH(QString, target);
    QFETCH(QStringList, tags);
    QFETCH(QStringList, entries);
    QFETCH(QString, error);
    const auto request = Index::parseSpec(yaml);
    QCOMPARE(request.ok(), ok);
    if (!ok) {
        QVERIFY2(request.error().message.contains(error), qPrintable(request.error().message));
        QCOMPARE(request.error().kind, Error::Kind::InvalidInput);
        return;
    }
    QCOMPARE(request->target.toString(), target);
    QCOMPARE(request->extraTags, tags);
    QStringList got;
    for (const Index::IndexEntry &e : request->entries)
        got << e.image.toString() + QLatin1Char(' ') + (e.platform ? e.platform->toString(true) : QStringLiteral("-"));
    QCOMPARE(got, entries);
}

QTEST_GUILESS_MAIN(IndexRequestTest)
#include "tst_indexrequest.moc"
