package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Parses the key lines of a real charon gateway log (two IKE SAs: AES-GCM-256 and AES-CBC-128 with
 * HMAC-SHA2-256) and cross-checks them with the same run's {@code swanctl --list-sas}.
 */
class CharonKeyLogTest {

    private static final HexFormat HEX = HexFormat.of();

    private final CharonKeyLog log = CharonKeyLog.parse(Fixtures.text("charon-gateway-two-ike.log"));

    @Test
    void ikeKeysOfTheGcmSa() {
        CharonKeyLog.IkeKeys k = log.ike(1).orElseThrow();
        assertArrayEquals(HEX.parseHex("84E6845128CD37E60D3D50CB7873347F24FABAF45CF09185FEB2490B0227B6AC"
                + "1784ED71D71BD85B0E6764FD65EFC329".toLowerCase()), k.skD());
        assertArrayEquals(HEX.parseHex("ff543f756b14fb0aa6fceb116928fbfb4775fe78082de69578b391812d50ffaf796b5848"),
                k.skEi());
        assertArrayEquals(HEX.parseHex("ec4a1d7b0e1d506f78aee8820652ef55d6d01614aad49cfa674e3bcda41d4f27d5ce623b"),
                k.skEr());
        assertEquals(0, k.skAi().length, "AEAD has no integrity key");
        assertEquals(48, k.skPi().length);
        assertEquals(48, k.skPr().length);
    }

    @Test
    void everyListedIkeSaHasKeysOfItsNegotiatedSize() {
        List<IkeSa> sas = IkeSa.parseListSas(Fixtures.text("list-sas-two-ike.raw.txt"));
        assertEquals(2, log.ikeSas().size());
        for (IkeSa sa : sas) {
            CharonKeyLog.IkeKeys k = log.ike(sa.uniqueId()).orElseThrow();
            boolean aead = sa.integAlg().isEmpty();
            int expected = sa.encrKeysize() / 8 + (aead ? 4 : 0);
            assertEquals(expected, k.skEi().length, sa.encrAlg());
            assertEquals(expected, k.skEr().length, sa.encrAlg());
            assertEquals(aead ? 0 : 32, k.skAi().length, sa.integAlg());
        }
    }

    @Test
    void childKeysCarryTheirSpisAndDirections() {
        assertEquals(2, log.childSas().size());
        CharonKeyLog.ChildKeys gcm = log.child("2475f1d7").orElseThrow();
        assertEquals("AES_GCM_16", gcm.encrAlg());
        assertEquals("", gcm.integAlg());
        assertFalse(gcm.charonInitiator(), "the gateway responded to IKE_AUTH");
        assertEquals("5ddaef01", gcm.outboundSpi());
        assertEquals("198.51.100.2", gcm.inboundSrc());
        assertEquals("198.51.100.1", gcm.inboundDst());
        assertArrayEquals(HEX.parseHex("8d327c5e867fed234f3e6c8a1ab197ac0f23a48fa1122673b4632f21472332270bce5cbd"),
                gcm.inboundEncryptionKey(), "inbound = initiator key when charon responded");
        assertArrayEquals(HEX.parseHex("0096ead327a7dfc509fe13c21669cf6c228995c7d2fac0a6a67fcee8e76e3b78dc98164f"),
                gcm.outboundEncryptionKey());

        CharonKeyLog.ChildKeys cbc = log.child("99163b43").orElseThrow();
        assertEquals("7d907a03", cbc.inboundSpi());
        assertEquals("AES_CBC", cbc.encrAlg());
        assertEquals("HMAC_SHA2_256_128", cbc.integAlg());
        assertArrayEquals(HEX.parseHex("8918ac42ea2690f8e53126ba9247365a"), cbc.encryptionInitiator());
        assertArrayEquals(HEX.parseHex("e84e7fd253a40084071a8db4eec6cf40d53a42dec35eb5675860dccb5e1bfefd"),
                cbc.integrityInitiator());
        assertArrayEquals(HEX.parseHex("4ffd6c4b41335a8c2b298713cd68d0322307ba35e86ecbfb64b9c40c97de3b8f"),
                cbc.outboundIntegrityKey());
    }

    @Test
    void initiatorAndResponderLogsOfOneRunAgree() {
        // ike_name = yes format, as StrongSwanGateway writes it; the client's exchanges move between threads
        CharonKeyLog gw = CharonKeyLog.parse(Fixtures.text("charon-gateway-ike-name.log"));
        CharonKeyLog client = CharonKeyLog.parse(Fixtures.text("charon-client-ike-name.log"));
        assertEquals(1, gw.ikeSas().size());
        assertEquals(1, client.ikeSas().size());
        CharonKeyLog.IkeKeys gwIke = gw.ike(1).orElseThrow();
        CharonKeyLog.IkeKeys clientIke = client.ike(1).orElseThrow();
        assertEquals(36, gwIke.skEi().length);
        assertArrayEquals(gwIke.skD(), clientIke.skD());
        assertArrayEquals(gwIke.skEi(), clientIke.skEi());
        assertArrayEquals(gwIke.skEr(), clientIke.skEr());
        assertArrayEquals(gwIke.skPi(), clientIke.skPi());

        CharonKeyLog.ChildKeys gwChild = gw.child("60b9ba39").orElseThrow();
        CharonKeyLog.ChildKeys clientChild = client.child("60b9ba39").orElseThrow();
        assertFalse(gwChild.charonInitiator());
        assertEquals(true, clientChild.charonInitiator());
        assertEquals("60b9ba39", gwChild.inboundSpi());
        assertEquals("60b9ba39", clientChild.outboundSpi());
        assertArrayEquals(gwChild.inboundEncryptionKey(), clientChild.outboundEncryptionKey());
        assertArrayEquals(gwChild.outboundEncryptionKey(), clientChild.inboundEncryptionKey());
        assertEquals(36, gwChild.inboundEncryptionKey().length);
    }

    /**
     * A real gateway log (IkeRekeyIT, gateway side) where charon rekeyed the Child SA and then the IKE SA
     * itself: the new IKE SA's keys appear in the old SA's lines after "initiating IKE_SA rw[2]".
     */
    @Test
    void ikeRekeyStartedByCharonIsFiledUnderTheNewSa() {
        CharonKeyLog rekeyed = CharonKeyLog.parse(Fixtures.text("charon-gateway-rekeys-ike-and-child.log"));
        assertEquals(2, rekeyed.ikeSas().size());
        assertEquals("7f468c8b", HEX.formatHex(rekeyed.ike(1).orElseThrow().skD()).substring(0, 8), "IKE_SA_INIT's keys");
        assertEquals("56ad2a1f", HEX.formatHex(rekeyed.ike(2).orElseThrow().skD()).substring(0, 8), "the rekey's keys");
        assertEquals(36, rekeyed.ike(2).orElseThrow().skEr().length);
    }

    /** The same gateway answering our rekeys: it logs the new IKE SA's keys in the new SA's own lines. */
    @Test
    void ikeRekeyAnsweredByCharonIsFiledUnderTheNewSa() {
        CharonKeyLog answered = CharonKeyLog.parse(Fixtures.text("charon-gateway-answers-ike-and-child-rekeys.log"));
        assertEquals(2, answered.ikeSas().size());
        assertEquals("ae9b4e3d", HEX.formatHex(answered.ike(1).orElseThrow().skD()).substring(0, 8));
        assertEquals("8d3916a9", HEX.formatHex(answered.ike(2).orElseThrow().skD()).substring(0, 8));
    }

    /**
     * Answering a Child SA rekey, charon "registers" the outbound SA and "adds" it only when the old one is
     * deleted: the pair is complete at the registering line, and the later line changes nothing.
     */
    @Test
    void registeredOutboundSaCompletesTheChildKeys() {
        CharonKeyLog answered = CharonKeyLog.parse(Fixtures.text("charon-gateway-answers-ike-and-child-rekeys.log"));
        assertEquals(3, answered.childSas().size(), "IKE_AUTH's and two rekeys");
        CharonKeyLog.ChildKeys first = answered.child("02df932d").orElseThrow();
        assertEquals("02df932d", first.inboundSpi());
        assertEquals("26cacf5e", first.outboundSpi());
        assertFalse(first.charonInitiator(), "we started the rekey");
        CharonKeyLog.ChildKeys second = answered.child("1be7e159").orElseThrow();
        assertEquals("4c23ce8a", second.inboundSpi());
        assertEquals(36, second.inboundEncryptionKey().length);

        CharonKeyLog started = CharonKeyLog.parse(Fixtures.text("charon-gateway-rekeys-ike-and-child.log"));
        CharonKeyLog.ChildKeys rekeyed = started.child("8df42ebe").orElseThrow();
        assertEquals("a494cb76", rekeyed.inboundSpi());
        assertEquals("8df42ebe", rekeyed.outboundSpi());
        assertTrue(rekeyed.charonInitiator(), "the gateway started this rekey");
        assertEquals(2, started.childSas().size());
    }
}
