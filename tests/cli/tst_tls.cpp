// SPDX-FileCopyrightText: 2026 Restack contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// TLS against real docker-registry instances serving HTTPS with a test CA: verification on by
// default (a clear error), --ca-file for the command's registries or one registry, --insecure,
// and a registry that requires a client certificate (--client-cert / --client-key). Also: the
// verbose request log never shows credentials.

#include <QTemporaryDir>
#include <QtTest>

#include "clitest.h"
#include "imagefactory.h"
#include "registryfixture.h"
#include "tools.h"

using namespace Restack::Test;

class TlsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void verificationIsOnByDefault();
    void caFile_data();
    void caFile();
    void insecureSkipsVerification();
    void rebaseOverTls();
    void clientCertificate();

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }
    bool openssl(const QStringList &arguments);

    QTemporaryDir m_dir;
    std::unique_ptr<RegistryFixture> m_tls;   ///< HTTPS with the test CA's server certificate
    std::unique_ptr<RegistryFixture> m_mtls;  ///< HTTPS that also requires a client certificate from the test CA
};

bool TlsTest::openssl(const QStringList &arguments)
{
    const auto ran = runTool(QStringLiteral("openssl"), arguments);
    if (!ran.ok())
        qWarning().noquote() << ran.error().toString();
    return ran.ok();
}

void TlsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(file(QStringLiteral("server.ext")), QByteArrayLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                                                             "extendedKeyUsage=serverAuth\n"))
                .ok());
    QVERIFY(writeFile(file(QStringLiteral("client.ext")), QByteArrayLiteral("extendedKeyUsage=clientAuth\n")).ok());
    QVERIFY(openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                     QStringLiteral("-nodes"), QStringLiteral("-keyout"), file(QStringLiteral("ca.key")), QStringLiteral("-out"),
                     file(QStringLiteral("ca.pem")), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                     QStringLiteral("/CN=Restack Test CA")}));
    for (const QString &who : {QStringLiteral("server"), QStringLiteral("client")}) {
        QVERIFY(openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                         QStringLiteral("-keyout"), file(who + QStringLiteral(".key")), QStringLiteral("-out"),
                         file(who + QStringLiteral(".csr")), QStringLiteral("-subj"), QStringLiteral("/CN=restack-") + who}));
        QVERIFY(openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), file(who + QStringLiteral(".csr")),
                         QStringLiteral("-CA"), file(QStringLiteral("ca.pem")), QStringLiteral("-CAkey"), file(QStringLiteral("ca.key")),
                         QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), file(who + QStringLiteral(".pem")),
                         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), file(who + QStringLiteral(".ext"))}));
    }
    RegistryOptions tls;
    tls.httpExtra = QStringLiteral("tls:\n  certificate: %1\n  key: %2\n").arg(file(QStringLiteral("server.pem")), file(QStringLiteral("server.key")));
    m_tls = std::make_unique<RegistryFixture>(tls);
    RegistryOptions mtls = tls;
    mtls.httpExtra += QStringLiteral("  clientcas:\n    - %1\n").arg(file(QStringLiteral("ca.pem")));
    m_mtls = std::make_unique<RegistryFixture>(mtls);
    QString error;
    QVERIFY2(m_tls->start(&error), qPrintable(error));
    QVERIFY2(m_mtls->start(&error), qPrintable(error));

    // Images, pushed with skopeo (--dest-tls-verify=false still speaks HTTPS to an HTTPS registry).
    ImageFactory factory;
    ImageSpec base1, base2, app;
    base1.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("1\n")}}, QStringLiteral("COPY 1"));
    base2.addLayer({{QStringLiteral("/etc/os-release"), QByteArrayLiteral("2\n")}}, QStringLiteral("COPY 2"));
    app.base = QStringLiteral("base1");
    app.addLayer({{QStringLiteral("/app"), QByteArrayLiteral("app\n")}}, QStringLiteral("COPY app"));
    for (const auto &[tag, spec, target] : {std::tuple<QString, ImageSpec, QString>{QStringLiteral("base1"), base1, QStringLiteral("/t/base:1")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("base2"), base2, QStringLiteral("/t/base:2")},
                                            std::tuple<QString, ImageSpec, QString>{QStringLiteral("app"), app, QStringLiteral("/t/app:1")}}) {
        const auto pushed = factory.buildAndPush(tag, spec, m_tls->host() + target);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
    }
}

void TlsTest::verificationIsOnByDefault()
{
    const CliRun run = runRestack({QStringLiteral("inspect"), m_tls->host() + QStringLiteral("/t/app:1")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.errorLines().size() == 1, run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("TLS failed")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(QLatin1String("--ca-file")), run.describe());
    RESTACK_VERIFY_OR_DUMP(run.standardError.contains(m_tls->host()), run.describe());
}

void TlsTest::caFile_data()
{
    QTest::addColumn<QString>("scope");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("for the command's registries") << QString() << 0;
    QTest::newRow("for this registry") << QStringLiteral("SELF=") << 0;
    QTest::newRow("for another registry") << QStringLiteral("registry.example=") << 1;
}

void TlsTest::caFile()
{
    QFETCH(QString, scope);
    QFETCH(int, exitCode);
    scope.replace(QLatin1String("SELF"), m_tls->host());
    const CliRun run = runRestack({QStringLiteral("inspect"), m_tls->host() + QStringLiteral("/t/app:1"), QStringLiteral("--ca-file"),
                                   scope + file(QStringLiteral("ca.pem"))});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == exitCode, run.describe());
    if (exitCode == 0)
        RESTACK_VERIFY_OR_DUMP(run.standardOutput.contains(QLatin1String("COPY app")), run.describe());
}

void TlsTest::insecureSkipsVerification()
{
    const CliRun run = runRestack({QStringLiteral("inspect"), m_tls->host() + QStringLiteral("/t/app:1"), QStringLiteral("--insecure")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
}

void TlsTest::rebaseOverTls()
{
    const QString target = m_tls->host() + QStringLiteral("/t/app:rebased");
    const CliRun run = runRestack({QStringLiteral("rebase"), m_tls->host() + QStringLiteral("/t/app:1"), QStringLiteral("-b"),
                                   m_tls->host() + QStringLiteral("/t/base:2"), QStringLiteral("--old-base"),
                                   m_tls->host() + QStringLiteral("/t/base:1"), QStringLiteral("-t"), target, QStringLiteral("--ca-file"),
                                   file(QStringLiteral("ca.pem")), QStringLiteral("-q")});
    RESTACK_VERIFY_OR_DUMP(run.exited && run.exitCode == 0, run.describe());
    const auto checked = runTool(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--tls-verify=false"),
                                                            QStringLiteral("--raw"), QStringLiteral("docker://") + target});
    QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().toString()));
    QCOMPARE(sha256Digest(checked->standardOutput), reportedDigest(run.standardOutput, QStringLiteral("Pushed"), target));
}

void TlsTest::clientCertificate()
{
    const QStringList base{QStringLiteral("catalog"), m_mtls->host(), QStringLiteral("--ca-file"), file(QStringLiteral("ca.pem"))};
    const CliRun refused = runRestack(base);
    RESTACK_VERIFY_OR_DUMP(refused.exited && refused.exitCode == 1, refused.describe());
    RESTACK_VERIFY_OR_DUMP(refused.standardError.contains(QLatin1String("--client-cert")), refused.describe());
    RESTACK_VERIFY_OR_DUMP(!refused.standardError.contains(QLatin1String("attempts")), refused.describe()); // not retried
    const CliRun accepted = runRestack(base + QStringList{QStringLiteral("--client-cert"), file(QStringLiteral("client.pem")),
                                                          QStringLiteral("--client-key"), file(QStringLiteral("client.key"))});
    RESTACK_VERIFY_OR_DUMP(accepted.exited && accepted.exitCode == 0, accepted.describe());
    const CliRun unpaired = runRestack(base + QStringList{QStringLiteral("--client-cert"), file(QStringLiteral("client.pem"))});
    RESTACK_VERIFY_OR_DUMP(unpaired.exited && unpaired.exitCode == 2, unpaired.describe());
}

QTEST_GUILESS_MAIN(TlsTest)
#include "tst_tls.moc"
