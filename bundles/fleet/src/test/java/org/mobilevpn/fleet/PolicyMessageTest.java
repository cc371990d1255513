package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The envelope of a desired document: revision, signature when required, the names it touches. */
class PolicyMessageTest {
    static final byte[] DOC = ("{\"revision\": 9, \"profiles\": {\"office\": {\"remote_addrs\": \"198.51.100.1\"}}, "
            + "\"delete\": [\"old\"]}").getBytes(StandardCharsets.UTF_8);

    @Test
    void theRevisionIsTakenOutAndTheNamesRead() throws Exception {
        PolicyMessage m = PolicyMessage.parse(DOC, false, null);
        assertEquals(9, m.revision());
        assertFalse(m.document().contains("revision"), m.document());
        assertTrue(m.document().contains("\"remote_addrs\":\"198.51.100.1\""), m.document());
        assertEquals(Set.of("office"), m.names());
        assertEquals(Set.of("old"), m.deletes());
        assertFalse(m.signed());
    }

    @Test
    void signedDocumentsVerifyAndUnsignedAreRefusedWhenRequired() throws Exception {
        KeyPair operator = JwsSignatureTest.ec("secp256r1");
        byte[] jws = JwsSignature.sign(DOC, operator.getPrivate(), false).getBytes(StandardCharsets.US_ASCII);
        PolicyMessage m = PolicyMessage.parse(jws, true, operator.getPublic());
        assertTrue(m.signed());
        assertEquals(9, m.revision());

        PolicyMessage.InvalidMessageException unsigned = assertThrows(PolicyMessage.InvalidMessageException.class,
                () -> PolicyMessage.parse(DOC, true, operator.getPublic()));
        assertEquals("(signature)", unsigned.key());
        PolicyMessage.InvalidMessageException wrong = assertThrows(PolicyMessage.InvalidMessageException.class,
                () -> PolicyMessage.parse(jws, true, JwsSignatureTest.ec("secp256r1").getPublic()));
        assertTrue(wrong.getMessage().contains("does not verify"), wrong.getMessage());
    }

    @Test
    void theRevisionMustBeANonNegativeInteger() {
        for (String bad : new String[] {"{}", "{\"revision\": \"3\"}", "{\"revision\": -1}", "{\"revision\": 2.0}",
                "{\"revision\": 99999999999999999999}"}) {
            PolicyMessage.InvalidMessageException e = assertThrows(PolicyMessage.InvalidMessageException.class,
                    () -> PolicyMessage.parse(bad.getBytes(StandardCharsets.UTF_8), false, null), bad);
            assertTrue(e.key().equals("revision") || e.key().equals("(document)"), bad + " -> " + e.key());
        }
    }
}
