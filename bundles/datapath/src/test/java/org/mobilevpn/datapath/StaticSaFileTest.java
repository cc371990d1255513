package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.net.IpPrefix;

class StaticSaFileTest {
    private static final String FILE = String.join("\n",
            "peer = 198.51.100.1:4500",
            "local_port = 4501",
            "child_sa = 3",
            "encryption = AES_CBC_128",
            "integrity = HMAC_SHA2_256_128",
            "esn = true",
            "in.spi = c0000002",
            "in.key = 000102030405060708090a0b0c0d0e0f",
            "in.integrity_key = " + "11".repeat(32),
            "out.spi = 0000abcd",
            "out.key = 0f0e0d0c0b0a09080706050403020100",
            "out.integrity_key = " + "22".repeat(32),
            "local_ts = 198.18.0.2/32",
            "remote_ts = 203.0.113.0/24, 2001:db8:113::/64",
            "tun_address = 198.18.0.2/32",
            "tun_routes = 203.0.113.0/24",
            "tun_mtu = 1380");

    @Test
    void readsBothDirectionsWithTheirOwnKeysAndSpis() throws Exception {
        StaticSaFile f = StaticSaFile.read(new StringReader(FILE));
        assertEquals(new InetSocketAddress("198.51.100.1", 4500), f.peer());
        try (EspSa in = f.sa(SaDirection.INBOUND); EspSa out = f.sa(SaDirection.OUTBOUND)) {
            assertEquals(0xc0000002, in.spi());
            assertEquals(0x0000abcd, out.spi());
            assertEquals(3, in.childSaId());
            assertEquals(EncryptionAlgorithm.AES_CBC_128, out.encryption());
            assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, out.integrity());
            assertTrue(in.extendedSequenceNumbers());
            assertEquals(4501, out.udpEncapsulation().localPort());
            assertEquals(4500, out.udpEncapsulation().remotePort());
            assertEquals(0x00, in.keys().encryptionKey().toByteArray()[0]);
            assertEquals(0x0f, out.keys().encryptionKey().toByteArray()[0]);
            assertEquals(0x22, out.keys().integrityKey().toByteArray()[31]);
        }
    }

    @Test
    void spdProtectsTheSelectorsAndDropsTheRest() throws Exception {
        StaticSaFile f = StaticSaFile.read(new StringReader(FILE));
        assertEquals(SpdAction.DISCARD, f.spd().defaultAction());
        assertEquals(SpdAction.PROTECT, f.spd().rules().get(0).action());
        assertEquals(3, f.spd().rules().get(0).childSaId());
        assertEquals(2, f.spd().rules().get(0).remoteSelectors().size());
        assertEquals(1380, f.vnicConfig().mtu());
        assertEquals(IpPrefix.parse("203.0.113.0/24"), f.vnicConfig().routes().get(0));
    }

    @Test
    void missingKeyIsNamed() throws Exception {
        StaticSaFile f = StaticSaFile.read(new StringReader(FILE.replace("out.key", "out.kex")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.sa(SaDirection.OUTBOUND));
        assertTrue(e.getMessage().contains("out.key"), e.getMessage());
    }
}
