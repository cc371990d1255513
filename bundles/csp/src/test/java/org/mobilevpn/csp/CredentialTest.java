package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;

/** Certificates and keys from PEM and PKCS#12 files, generated for the run (no stored secrets). */
class CredentialTest {
    static final char[] PASSWORD = "t3st-key-pass".toCharArray();
    static TestPki pki;
    static KeyPair ecKeys;
    static KeyPair rsaKeys;
    static X509Certificate ecCert;
    static X509Certificate rsaCert;

    @TempDir
    Path home;

    @BeforeAll
    static void generate() throws Exception {
        pki = new TestPki();
        ecKeys = TestPki.ec();
        rsaKeys = TestPki.rsa();
        ecCert = pki.client("CN=client.example.org, O=mobilevpn tests", ecKeys,
                new GeneralName(GeneralName.dNSName, "client.example.org"), new GeneralName(GeneralName.rfc822Name, "client@example.org"));
        rsaCert = pki.client("CN=rsa-client, O=mobilevpn tests", rsaKeys);
    }

    ProfileParser parser() {
        return new ProfileParser(home, ProfileParserTest.CREDENTIALS);
    }

    Map<String, Object> pubkey(String cert, String key) throws Exception {
        Files.createDirectories(home.resolve("etc/certs"));
        TestPki.pem(home.resolve("etc/certs/ca.pem"), pki.ca);
        Map<String, Object> m = new HashMap<>();
        m.put("name", "office");
        m.put("remote_addrs", "198.51.100.1");
        m.put("auth", "pubkey");
        m.put("cert", cert);
        if (key != null) {
            m.put("key", key);
        }
        m.put("ca", "etc/certs/ca.pem");
        return m;
    }

    ParseResult parse(Map<String, Object> m) {
        return parser().parse(m, null, null, "");
    }

    @Test
    void pemCertificateAndKeyWithRelativePathsInsideTheRuntime() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert, pki.ca);
        TestPki.pem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate());
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
        VpnProfile p = r.profile();
        assertEquals(List.of(ecCert, pki.ca), p.ike().certificateChain());
        assertEquals(List.of(pki.ca), p.ike().caCertificates());
        assertEquals(IkeIdentity.distinguishedName(ecCert.getSubjectX500Principal()), p.ike().localId(), "local_id defaults to the subject");
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        IkeSessionConfig c = p.ike();
        assertEquals(AuthMethod.PUBKEY, c.auth());
        assertEquals(ecCert, c.certificateChain().get(0));
        assertEquals("EC", c.privateKey().getAlgorithm());
    }

    @Test
    void sec1EcKeysWithTheCurveInsideWork() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert);
        TestPki.sec1Pem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate());
        assertTrue(Files.readString(home.resolve("etc/certs/client.key")).contains("BEGIN EC PRIVATE KEY"));
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
    }

    @Test
    void localIdMustBeInTheCertificate() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert);
        TestPki.pem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate());
        m.put("local_id", "client@example.org");
        assertTrue(parse(m).valid(), "rfc822 subjectAltName");
        m.put("local_id", "client.example.org");
        assertTrue(parse(m).valid(), "dNSName subjectAltName");
        m.put("local_id", "CN=client.example.org, O=mobilevpn tests");
        assertTrue(parse(m).valid(), "subject DN");
        m.put("local_id", "someone@example.org");
        ParseResult r = parse(m);
        assertEquals(List.of("local_id"), ProfileParserTest.keys(r.problems()));
        assertTrue(r.problems().get(0).message().contains("neither the subject nor a subjectAltName"), r.problems().toString());
    }

    @Test
    void aKeyOfAnotherCertificateIsRejected() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/other.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert);
        TestPki.pem(home.resolve("etc/certs/other.key"), TestPki.ec().getPrivate());
        ParseResult r = parse(m);
        assertEquals(List.of("key"), ProfileParserTest.keys(r.problems()));
        assertTrue(r.problems().get(0).message().contains("does not belong to the certificate"), r.problems().toString());

        TestPki.pem(home.resolve("etc/certs/other.key"), rsaKeys.getPrivate());
        assertEquals(List.of("key"), ProfileParserTest.keys(parse(m).problems()), "an RSA key for an EC certificate");
    }

    @Test
    void rsaAndEd25519KeysWork() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/rsa.pem", "etc/certs/rsa.key");
        TestPki.pem(home.resolve("etc/certs/rsa.pem"), rsaCert);
        TestPki.pem(home.resolve("etc/certs/rsa.key"), rsaKeys.getPrivate());
        assertTrue(parse(m).valid(), parse(m).problems().toString());

        KeyPair ed = TestPki.ed25519();
        TestPki.pem(home.resolve("etc/certs/ed.pem"), pki.client("CN=ed-client", ed));
        TestPki.pem(home.resolve("etc/certs/ed.key"), ed.getPrivate());
        m = pubkey("etc/certs/ed.pem", "etc/certs/ed.key");
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
        assertEquals("EdDSA", r.profile().ike().privateKey().getAlgorithm().replace("Ed25519", "EdDSA"));
    }

    @Test
    void encryptedKeysNeedTheRightPassword() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert);
        TestPki.encryptedPem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate(), PASSWORD);

        ParseResult none = parse(m);
        assertEquals(List.of("key"), ProfileParserTest.keys(none.problems()));
        assertTrue(none.problems().get(0).message().contains("set key_password"), none.problems().toString());

        m.put("key_password", "wrong-password");
        ParseResult wrong = parse(m);
        assertEquals(List.of("key"), ProfileParserTest.keys(wrong.problems()));
        assertTrue(wrong.problems().get(0).message().contains("wrong key_password"), wrong.problems().toString());
        assertFalse(wrong.problems().toString().contains("wrong-password"));

        m.put("key_password", new String(PASSWORD));
        ParseResult right = parse(m);
        assertTrue(right.valid(), right.problems().toString());
        assertFalse(right.profile().toString().contains(new String(PASSWORD)));
    }

    @Test
    void pkcs12HoldsKeyAndChain() throws Exception {
        Files.createDirectories(home.resolve("etc/certs"));
        Path p12 = TestPki.pkcs12(home.resolve("etc/certs/client.p12"), ecKeys.getPrivate(), List.of(ecCert, pki.ca), PASSWORD);
        Map<String, Object> m = pubkey(p12.toString(), null); // absolute path
        m.put("key_password", new String(PASSWORD));
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
        assertEquals(List.of(ecCert, pki.ca), r.profile().ike().certificateChain());

        m.put("key_password", "wrong");
        ParseResult wrong = parse(m);
        assertEquals(List.of("cert"), ProfileParserTest.keys(wrong.problems()));
        assertTrue(wrong.problems().get(0).message().contains("wrong key_password"), wrong.problems().toString());

        m.put("ca", p12.toString()); // a PKCS#12 as CA bundle: its certificates
        m.put("key_password", new String(PASSWORD));
        assertTrue(parse(m).valid());
    }

    @Test
    void missingUnreadableAndGarbageFilesAreNamedProblems() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/nowhere.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate());
        assertProblem(parse(m), "cert", "does not exist");

        Files.writeString(home.resolve("etc/certs/garbage.pem"), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        m.put("cert", "etc/certs/garbage.pem");
        assertProblem(parse(m), "cert", "is not valid PEM");

        Files.write(home.resolve("etc/certs/random.bin"), new SecureRandom().generateSeed(300));
        m.put("cert", "etc/certs/random.bin");
        assertProblem(parse(m), "cert", "is not a PEM, DER or PKCS#12 file");

        m.put("cert", "etc/certs");
        assertProblem(parse(m), "cert", "is not a regular file");

        m.put("cert", "etc/certs/client.key"); // a key where the certificate belongs
        assertProblem(parse(m), "cert", "holds no certificate");

        Files.writeString(home.resolve("etc/certs/huge.pem"), "x".repeat((int) CredentialLoader.MAX_FILE_SIZE + 1));
        m.put("cert", "etc/certs/huge.pem");
        assertProblem(parse(m), "cert", "is larger than");

        m.put("cert", "etc/certs/bad\u0000name");
        assertProblem(parse(m), "cert", "is not a usable path");

        Path unreadable = TestPki.pem(home.resolve("etc/certs/unreadable.pem"), ecCert);
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(unreadable)) { // root reads anything: then this case cannot be shown
            m.put("cert", "etc/certs/unreadable.pem");
            assertProblem(parse(m), "cert", "cannot be read");
        }
    }

    @Test
    void pubkeyNeedsCertKeyAndCa() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", null);
        TestPki.pem(home.resolve("etc/certs/client.pem"), ecCert);
        assertProblem(parse(m), "key", "missing");
        m.remove("cert");
        assertProblem(parse(m), "cert", "missing");
        m = pubkey("etc/certs/client.pem", null);
        m.remove("ca");
        assertProblem(parse(m), "ca", "missing");
        m.put("ca", "etc/certs/none.pem");
        assertProblem(parse(m), "ca", "does not exist");
    }

    @Test
    void warnsAboutKeyFilesOthersCanReadAndExpiredCertificates() throws Exception {
        Map<String, Object> m = pubkey("etc/certs/client.pem", "etc/certs/client.key");
        TestPki.pem(home.resolve("etc/certs/client.pem"), pki.expiredClient("CN=old", ecKeys));
        Path key = TestPki.pem(home.resolve("etc/certs/client.key"), ecKeys.getPrivate());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        ParseResult r = parse(m);
        assertTrue(r.valid(), "warnings do not invalidate: " + r.problems());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("key: ") && w.contains("readable by group and others")
                && w.contains("chmod 600")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("cert: ") && w.contains("expired")), r.warnings().toString());
    }

    @Test
    void certificateFilesWithPskAreIgnoredWithAWarning() throws Exception {
        Map<String, Object> m = ProfileParserTest.office();
        m.put("cert", "etc/certs/none.pem");
        ParseResult r = parser().parse(m, null, null, "");
        assertTrue(r.valid(), r.problems().toString());
        assertEquals(List.of("cert: ignored with auth = psk"), r.warnings());
        assertNull(r.profile().ike().privateKey());
    }

    private static void assertProblem(ParseResult r, String key, String text) {
        List<ProfileProblem> problems = r.problems();
        assertTrue(problems.stream().anyMatch(p -> p.key().equals(key) && p.message().contains(text)),
                "expected " + key + ": ..." + text + "... in " + problems);
    }
}
