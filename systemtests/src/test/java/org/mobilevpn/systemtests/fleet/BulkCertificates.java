package org.mobilevpn.systemtests.fleet;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.mobilevpn.testsupport.TestPki;

/**
 * Client certificates by the thousand for the fleet simulator, issued in-process by the test CA (the
 * {@code pki} tool would take minutes for 1,000): P-256 keys, CN = the device id (the broker's user name),
 * written as {@code <id>.cert.pem} and {@code <id>.key.pem} (PKCS#8).
 */
final class BulkCertificates {
    private BulkCertificates() {
    }

    static void issue(TestPki pki, Path dir, String prefix, int count) {
        try {
            Files.createDirectories(dir);
            X509CertificateHolder ca;
            PrivateKey caKey;
            try (Reader r = Files.newBufferedReader(pki.caCertificate()); PEMParser p = new PEMParser(r)) {
                ca = (X509CertificateHolder) p.readObject();
            }
            try (Reader r = Files.newBufferedReader(pki.caKey()); PEMParser p = new PEMParser(r)) {
                caKey = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) p.readObject()).getPrivate();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder("SHA256withECDSA");
            Instant now = Instant.now();
            for (int i = 1; i <= count; i++) {
                String id = prefix + i;
                KeyPair k = g.generateKeyPair();
                X509CertificateHolder cert = new JcaX509v3CertificateBuilder(ca.getSubject(), BigInteger.valueOf(1_000_000L + i),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                        new X500Name("C=CH, O=mobilevpn test, CN=" + id), k.getPublic()).build(signer.build(caKey));
                Files.writeString(dir.resolve(id + ".cert.pem"), pem(new PemObject("CERTIFICATE", cert.getEncoded())));
                Files.writeString(dir.resolve(id + ".key.pem"), pem(new PemObject("PRIVATE KEY", k.getPrivate().getEncoded())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue the simulator's certificates", e);
        }
    }

    private static String pem(PemObject o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }
}
