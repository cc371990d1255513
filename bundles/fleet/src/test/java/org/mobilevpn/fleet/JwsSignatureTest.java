package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 7515 compact JWS: a valid signature, a tampered payload, a wrong signer, algorithm confusion, detached payloads. */
class JwsSignatureTest {
    static final byte[] DOC = "{\"revision\": 3, \"profiles\": {}}".getBytes(StandardCharsets.UTF_8);

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    @Test
    void es256Es384AndRs256Verify() throws Exception {
        for (KeyPair k : new KeyPair[] {ec("secp256r1"), ec("secp384r1"), rsa()}) {
            String jws = JwsSignature.sign(DOC, k.getPrivate(), false);
            assertArrayEquals(DOC, JwsSignature.verify(jws, k.getPublic()));
        }
        String header = new String(Base64.getUrlDecoder().decode(JwsSignature.sign(DOC, ec("secp256r1").getPrivate(), false).split("\\.")[0]));
        assertEquals("{\"alg\":\"ES256\"}", header);
    }

    @Test
    void aTamperedPayloadFails() throws Exception {
        KeyPair k = ec("secp256r1");
        String[] parts = JwsSignature.sign(DOC, k.getPrivate(), false).split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"revision\": 4, \"profiles\": {}}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        JwsSignature.InvalidSignatureException e = assertThrows(JwsSignature.InvalidSignatureException.class,
                () -> JwsSignature.verify(tampered, k.getPublic()));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void anotherSignersKeyFails() throws Exception {
        String jws = JwsSignature.sign(DOC, ec("secp256r1").getPrivate(), false);
        assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verify(jws, ec("secp256r1").getPublic()));
        String rs = JwsSignature.sign(DOC, rsa().getPrivate(), false);
        assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verify(rs, rsa().getPublic()));
    }

    @Test
    void theHeaderCannotChooseAnotherAlgorithmOrNone() throws Exception {
        KeyPair k = ec("secp256r1");
        String[] parts = JwsSignature.sign(DOC, k.getPrivate(), false).split("\\.");
        for (String header : new String[] {"{\"alg\":\"RS256\"}", "{\"alg\":\"none\"}", "{\"alg\":\"ES256\",\"crit\":[\"x\"]}", "[]"}) {
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
                    + "." + parts[1] + "." + parts[2];
            assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verify(forged, k.getPublic()), header);
        }
        assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verify(parts[0] + "." + parts[1] + ".", k.getPublic()));
        assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verify("a.b", k.getPublic()));
    }

    @Test
    void aDetachedSignatureCoversExactlyTheGivenBytes() throws Exception {
        KeyPair k = ec("secp256r1");
        byte[] jar = new byte[5000];
        jar[17] = 42;
        String jws = JwsSignature.sign(jar, k.getPrivate(), true);
        assertEquals("", jws.split("\\.", -1)[1], "the payload is not in the JWS");
        JwsSignature.verifyDetached(jws, jar, k.getPublic());
        jar[17] = 43;
        assertThrows(JwsSignature.InvalidSignatureException.class, () -> JwsSignature.verifyDetached(jws, jar, k.getPublic()));
    }
}
