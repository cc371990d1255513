package org.mobilevpn.ike.engine;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA (ECDSA P-256) that issues end-entity certificates with exactly the subjectAltNames, extended key
 * usages and key usage a test asks for, including combinations strongSwan's pki cannot make (id-kp-ipsecIKE,
 * anyExtendedKeyUsage, a keyUsage without digitalSignature).
 */
final class TestCertificates {
    private static final long DAY = 86_400_000L;

    final KeyPair caKeys = keyPair();
    final X509Certificate ca = sign(new JcaX509v3CertificateBuilder(new X500Name("CN=test CA"), BigInteger.ONE,
            new Date(System.currentTimeMillis() - DAY), new Date(System.currentTimeMillis() + 30 * DAY),
            new X500Name("CN=test CA"), caKeys.getPublic()), true);
    private long serial = 2;

    /** An end entity's certificate and key. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    /**
     * @param cn          the subject's common name
     * @param sans        subjectAltNames: {@code dns:name}, {@code ip:address}, {@code email:address}
     * @param extended    extendedKeyUsage OIDs, or {@code null} for no extension
     * @param keyUsage    KeyUsage bits (e.g. {@code KeyUsage.digitalSignature}), or 0 for no extension
     */
    Issued issue(String cn, List<String> sans, List<String> extended, int keyUsage) {
        KeyPair keys = keyPair();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=test CA"),
                    BigInteger.valueOf(serial++), new Date(System.currentTimeMillis() - DAY),
                    new Date(System.currentTimeMillis() + 30 * DAY), new X500Name("CN=" + cn), keys.getPublic());
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.stream().map(TestCertificates::name)
                        .toArray(GeneralName[]::new)));
            }
            if (extended != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extended.stream()
                        .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new)));
            }
            if (keyUsage != 0) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            return new Issued(sign(b, false), keys);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder b, boolean caCert) {
        try {
            if (caCert) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys == null ? null : caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static GeneralName name(String san) {
        String[] kv = san.split(":", 2);
        switch (kv[0]) {
            case "dns": return new GeneralName(GeneralName.dNSName, kv[1]);
            case "ip": return new GeneralName(GeneralName.iPAddress, kv[1]);
            case "email": return new GeneralName(GeneralName.rfc822Name, kv[1]);
            default: throw new IllegalArgumentException(san);
        }
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
