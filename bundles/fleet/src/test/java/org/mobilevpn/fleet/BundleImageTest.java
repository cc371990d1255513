package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** A deploy request is checked before anything is written: SHA-256, signature, manifest. */
class BundleImageTest {

    static byte[] bundle(String bsn, String version) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
            mf.getMainAttributes().putValue("Bundle-Version", version);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, mf).close();
        return out.toByteArray();
    }

    static Map<String, Object> request(byte[] jar, String sha) {
        Map<String, Object> r = new HashMap<>();
        r.put("command", "deploy");
        r.put("data", Base64.getEncoder().encodeToString(jar));
        r.put("sha256", sha);
        return r;
    }

    @Test
    void aGoodRequestNamesTheBundle() throws Exception {
        byte[] jar = bundle("org.example.probe;singleton:=true", "1.2.3");
        BundleImage image = BundleImage.from(request(jar, BundleImage.sha256(jar).toUpperCase()), false, null);
        assertEquals("org.example.probe", image.symbolicName());
        assertEquals("1.2.3", image.version());
    }

    @Test
    void aWrongChecksumIsRefused() throws Exception {
        byte[] jar = bundle("org.example.probe", "1.0.0");
        String wrong = BundleImage.sha256(bundle("org.example.other", "1.0.0"));
        BundleImage.RefusedException e = assertThrows(BundleImage.RefusedException.class,
                () -> BundleImage.from(request(jar, wrong), false, null));
        assertTrue(e.getMessage().startsWith("sha256: the bundle's SHA-256 is " + BundleImage.sha256(jar)), e.getMessage());
        assertThrows(BundleImage.RefusedException.class, () -> BundleImage.from(request(jar, "abc"), false, null));
    }

    @Test
    void signaturesAreCheckedAndRequiredWhenConfigured() throws Exception {
        byte[] jar = bundle("org.example.probe", "1.0.0");
        KeyPair operator = JwsSignatureTest.ec("secp256r1");
        Map<String, Object> r = request(jar, BundleImage.sha256(jar));
        BundleImage.RefusedException missing = assertThrows(BundleImage.RefusedException.class,
                () -> BundleImage.from(r, true, operator.getPublic()));
        assertEquals("signature: missing: require_signed = true", missing.getMessage());
        r.put("signature", JwsSignature.sign(jar, operator.getPrivate(), true));
        assertEquals("org.example.probe", BundleImage.from(r, true, operator.getPublic()).symbolicName());
        assertThrows(BundleImage.RefusedException.class, () -> BundleImage.from(r, true, JwsSignatureTest.ec("secp256r1").getPublic()));
    }

    @Test
    void aJarWithoutBundleManifestOrAmbiguousSourceIsRefused() throws Exception {
        byte[] plain = bundle(null, null);
        assertTrue(assertThrows(BundleImage.RefusedException.class,
                () -> BundleImage.from(request(plain, BundleImage.sha256(plain)), false, null)).getMessage().contains("not an OSGi bundle"));
        Map<String, Object> both = request(plain, BundleImage.sha256(plain));
        both.put("url", "https://example.org/x.jar");
        assertThrows(BundleImage.RefusedException.class, () -> BundleImage.from(both, false, null));
        Map<String, Object> file = new HashMap<>(Map.of("url", "file:///etc/shadow", "sha256", BundleImage.sha256(plain)));
        assertTrue(assertThrows(BundleImage.RefusedException.class, () -> BundleImage.from(file, false, null))
                .getMessage().contains("only http and https"));
    }
}
