package org.mobilevpn.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away test CA made with strongSwan's {@code pki} tool: CA key and self-signed certificate,
 * and end-entity credentials whose subjectAltName equals the IKE identity (so charon and our client
 * match IDs against the certificate). All files are PEM, written into one directory.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
 * TestPki.Credential gw = pki.gateway();      // SAN gw.vpn.test, serverAuth
 * TestPki.Credential client = pki.client();   // SAN client@vpn.test, clientAuth
 *
 * TestPki gwCa = pki.intermediate("gateway CA"); // root -> intermediate -> end entity
 * TestPki.Credential gw2 = gwCa.gateway();     // send gwCa.caCertificate() along, trust pki.rootCertificate()
 * }</pre>
 */
public final class TestPki {

    /** Key algorithms the harness issues. */
    public enum KeyType {
        /** ECDSA on NIST P-256. */
        ECDSA_P256("ecdsa", 256),
        /** RSA with a 3072-bit modulus. */
        RSA_3072("rsa", 3072),
        /** RSA with a 4096-bit modulus (large certificates and signatures: IKE_AUTH needs fragments). */
        RSA_4096("rsa", 4096);

        private final String pkiType;
        private final int bits;

        KeyType(String pkiType, int bits) {
            this.pkiType = pkiType;
            this.bits = bits;
        }

        /** @return the {@code --type} value of pki */
        public String pkiType() {
            return pkiType;
        }

        /** @return key size in bits */
        public int bits() {
            return bits;
        }
    }

    /**
     * An issued identity.
     *
     * @param identity the IKE identity, also the certificate's SAN (and CN)
     * @param certificate certificate, PEM
     * @param privateKey private key, PEM (SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" as pki writes it)
     * @param type key algorithm
     */
    public record Credential(String identity, Path certificate, Path privateKey, KeyType type) {
    }

    /** Certificate lifetime in days. */
    static final int LIFETIME_DAYS = 30;

    private final Path dir;
    private final KeyType caType;
    private final Path caKey;
    private final Path caCert;
    private final Path rootCert;

    private TestPki(Path dir, KeyType caType, Path caKey, Path caCert, Path rootCert) {
        this.dir = dir;
        this.caType = caType;
        this.caKey = caKey;
        this.caCert = caCert;
        this.rootCert = rootCert;
    }

    /**
     * Creates a CA ({@code CN=mobilevpn test CA}) in {@code dir}.
     *
     * @param dir output directory (created)
     * @param caType the CA's key algorithm
     * @return the PKI
     */
    public static TestPki create(Path dir, KeyType caType) {
        TestOutput.mkdirs(dir);
        Path key = generateKey(dir.resolve("ca.key.pem"), caType);
        Path cert = dir.resolve("ca.cert.pem");
        TestOutput.write(cert, pki("--self", "--ca", "--lifetime", Integer.toString(LIFETIME_DAYS), "--in", key.toString(),
                "--type", caType.pkiType(), "--dn", "C=CH, O=mobilevpn test, CN=mobilevpn test CA",
                "--outform", "pem"));
        return new TestPki(dir, caType, key, cert, cert);
    }

    /**
     * Creates an intermediate CA ({@code CN=mobilevpn test <name>}) issued by this CA, with a key of this CA's
     * type; what it issues chains root -> intermediate -> end entity. Its files go into the same directory.
     *
     * @param name distinguishes the intermediate (CN suffix and file names)
     * @return a PKI whose {@link #caCertificate()} is the intermediate and whose {@link #rootCertificate()} is
     *         this CA's root
     */
    public TestPki intermediate(String name) {
        String base = "ica-" + name.replaceAll("[^A-Za-z0-9.-]", "_");
        Path key = generateKey(dir.resolve(base + ".key.pem"), caType);
        Path cert = dir.resolve(base + ".cert.pem");
        TestOutput.write(cert, pki("--issue", "--ca", "--cacert", caCert.toString(), "--cakey", caKey.toString(), "--in",
                key.toString(), "--type", "priv", "--dn", "C=CH, O=mobilevpn test, CN=mobilevpn test " + name,
                "--lifetime", Integer.toString(LIFETIME_DAYS), "--outform", "pem"));
        return new TestPki(dir, caType, key, cert, rootCert);
    }

    /** @return the self-signed root at the top of this PKI (the CA itself unless it is an intermediate) */
    public Path rootCertificate() {
        return rootCert;
    }

    /** @return the certificate of the CA that issues this PKI's credentials (PEM) */
    public Path caCertificate() {
        return caCert;
    }

    /** @return the CA private key (PEM) */
    public Path caKey() {
        return caKey;
    }

    /**
     * Issues a certificate for {@code identity} with a fresh key.
     *
     * @param identity IKE identity: FQDN, e-mail address or IP address; becomes SAN and CN
     * @param type key algorithm
     * @param flags extendedKeyUsage flags for pki ({@code serverAuth}, {@code clientAuth}, ...)
     * @return the credential
     */
    public Credential issue(String identity, KeyType type, String... flags) {
        return issue(identity, List.of(), type, flags);
    }

    /**
     * Issues a certificate for {@code identity} with a fresh key and more subjectAltNames.
     *
     * @param identity IKE identity: FQDN, e-mail address or IP address; becomes the first SAN and CN
     * @param moreSans further subjectAltNames, e.g. the gateway's address as a client dials it
     * @param type key algorithm
     * @param flags extendedKeyUsage flags for pki ({@code serverAuth}, {@code clientAuth}, ...); none: no
     *              extendedKeyUsage at all
     * @return the credential
     */
    public Credential issue(String identity, List<String> moreSans, KeyType type, String... flags) {
        String base = identity.replaceAll("[^A-Za-z0-9.@-]", "_") + "-" + type.name().toLowerCase();
        Path key = generateKey(dir.resolve(base + ".key.pem"), type);
        Path cert = dir.resolve(base + ".cert.pem");
        List<String> args = new ArrayList<>(List.of("--issue", "--cacert", caCert.toString(), "--cakey",
                caKey.toString(), "--in", key.toString(), "--type", "priv", "--dn",
                "C=CH, O=mobilevpn test, CN=" + identity, "--san", identity, "--lifetime",
                Integer.toString(LIFETIME_DAYS), "--outform", "pem"));
        for (String san : moreSans) {
            args.add("--san");
            args.add(san);
        }
        for (String f : flags) {
            args.add("--flag");
            args.add(f);
        }
        TestOutput.write(cert, pki(args.toArray(String[]::new)));
        return new Credential(identity, cert, key, type);
    }

    /** @return a gateway credential for {@link StrongSwanGateway#GATEWAY_ID} with the CA's key type */
    public Credential gateway() {
        return issue(StrongSwanGateway.GATEWAY_ID, caType, "serverAuth");
    }

    /** @return a client credential for {@link StrongSwanGateway#CLIENT_ID} with the CA's key type */
    public Credential client() {
        return issue(StrongSwanGateway.CLIENT_ID, caType, "clientAuth");
    }

    /**
     * Writes the credential's key as unencrypted PKCS#8 PEM ("PRIVATE KEY"), with openssl.
     *
     * @param credential an issued credential
     * @return the new file
     */
    public Path pkcs8(Credential credential) {
        Path out = Path.of(credential.privateKey().toString().replace(".key.pem", ".pkcs8.pem"));
        Commands.check("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", credential.privateKey().toString(), "-out",
                out.toString());
        return out;
    }

    /**
     * Bundles key, certificate and CA certificate as PKCS#12, with openssl.
     *
     * @param credential an issued credential
     * @param password the PKCS#12 password
     * @return the new {@code .p12} file
     */
    public Path pkcs12(Credential credential, String password) {
        Path out = Path.of(credential.certificate().toString().replace(".cert.pem", ".p12"));
        Commands.run(Commands.DEFAULT_TIMEOUT, java.util.Map.of("MVPN_P12_PASS", password), null,
                List.of("openssl", "pkcs12", "-export", "-inkey", credential.privateKey().toString(), "-in",
                        credential.certificate().toString(), "-certfile", caCert.toString(), "-passout",
                        "env:MVPN_P12_PASS", "-out", out.toString())).check();
        return out;
    }

    private static Path generateKey(Path file, KeyType type) {
        TestOutput.write(file, pki("--gen", "--type", type.pkiType(), "--size", Integer.toString(type.bits()), "--outform",
                "pem"));
        return file;
    }

    private static String pki(String... args) {
        List<String> argv = new ArrayList<>(List.of("pki"));
        argv.addAll(List.of(args));
        return Commands.run(java.time.Duration.ofMinutes(2), java.util.Map.of(), null, argv).check().stdout();
    }

}
