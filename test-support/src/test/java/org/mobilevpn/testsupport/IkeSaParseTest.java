package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Parses real {@code swanctl --list-sas --raw} output of a strongSwan 5.9.8 gateway. */
class IkeSaParseTest {

    @Test
    void emptyListHasNoSas() {
        assertEquals(List.of(), IkeSa.parseListSas(Fixtures.text("list-sas-empty.raw.txt")));
    }

    @Test
    void twoIkeSasWithTheirChildren() {
        List<IkeSa> sas = IkeSa.parseListSas(Fixtures.text("list-sas-two-ike.raw.txt"));
        assertEquals(2, sas.size());

        IkeSa cbc = sas.get(0);
        assertEquals("rw", cbc.name());
        assertEquals(2, cbc.uniqueId());
        assertEquals("ESTABLISHED", cbc.state());
        assertEquals("198.51.100.1", cbc.localHost());
        assertEquals(4500, cbc.localPort());
        assertEquals("198.51.100.2", cbc.remoteHost());
        assertEquals("gw.vpn.test", cbc.localId());
        assertEquals("client@vpn.test", cbc.remoteId());
        assertEquals("cc3bff18f4b90110", cbc.initiatorSpi());
        assertEquals("443efee0fd4331b6", cbc.responderSpi());
        assertEquals("AES_CBC", cbc.encrAlg());
        assertEquals(128, cbc.encrKeysize());
        assertEquals("HMAC_SHA2_256_128", cbc.integAlg());
        assertEquals("PRF_HMAC_SHA2_256", cbc.prfAlg());
        assertEquals("ECP_256", cbc.dhGroup());
        assertTrue(cbc.natRemote());
        assertFalse(cbc.natLocal());
        assertEquals(List.of("198.18.0.1"), cbc.remoteVips());
        assertEquals(List.of(), cbc.localVips());

        ChildSa child = cbc.child();
        assertEquals("rw", child.name());
        assertEquals(2, child.uniqueId());
        assertEquals("INSTALLED", child.state());
        assertEquals("TUNNEL", child.mode());
        assertEquals("ESP", child.protocol());
        assertTrue(child.encap());
        assertEquals("7d907a03", child.spiIn());
        assertEquals("99163b43", child.spiOut());
        assertEquals("AES_CBC", child.encrAlg());
        assertEquals("HMAC_SHA2_256_128", child.integAlg());
        assertEquals(168, child.bytesIn());
        assertEquals(2, child.packetsIn());
        assertEquals(168, child.bytesOut());
        assertEquals(2, child.packetsOut());
        assertEquals(List.of("203.0.113.1/32"), child.localTs());
        assertEquals(List.of("198.18.0.1/32"), child.remoteTs());

        IkeSa gcm = sas.get(1);
        assertEquals(1, gcm.uniqueId());
        assertEquals("AES_GCM_16", gcm.encrAlg());
        assertEquals(256, gcm.encrKeysize());
        assertEquals("", gcm.integAlg());
        assertEquals("CURVE_25519", gcm.dhGroup());
        assertEquals("2475f1d7", gcm.child("rw").orElseThrow().spiIn());
        assertEquals(0, gcm.child().packetsIn());
    }

    @Test
    void unquotedValuesWithSpacesRunToTheNextKey() {
        // swanctl prints a distinguished-name identity as is: "remote-id=C=CH, O=mobilevpn test, CN=..."
        IkeSa sa = IkeSa.parseListSas(Fixtures.text("list-sas-dn.raw.txt")).get(0);
        assertEquals("C=CH, O=mobilevpn test, CN=client@vpn.test", sa.remoteId());
        assertEquals("9dec54880b47207d", sa.initiatorSpi());
        assertEquals(4500, sa.remotePort());
        assertEquals("8dd66024", sa.child().spiIn());
    }
}
