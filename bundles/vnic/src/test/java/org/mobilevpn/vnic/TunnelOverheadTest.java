package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mobilevpn.api.vnic.TunnelOverhead;

/** The MTU derivation, checked by building the ESP packet length by hand (RFC 4303 §2). */
class TunnelOverheadTest {

    private static int espPacket(int inner, TunnelOverhead o) {
        int payload = inner + 2; // + pad length + next header
        int padded = (payload + o.blockSize() - 1) / o.blockSize() * o.blockSize();
        return o.outerIpHeader() + (o.udpEncapsulation() ? 8 : 0) + 8 + o.ivLength() + padded + o.icvLength();
    }

    @Test
    void largestInnerPacketThatFits() {
        TunnelOverhead[] cases = {
            new TunnelOverhead(20, true, 8, 16, 4), // AES-GCM / ChaCha20-Poly1305 in UDP over IPv4
            new TunnelOverhead(20, true, 16, 16, 16), // AES-CBC + HMAC-SHA2-256-128
            new TunnelOverhead(40, false, 16, 32, 16), // AES-CBC + HMAC-SHA2-512-256, raw ESP over IPv6
        };
        for (TunnelOverhead o : cases) {
            for (int path : new int[] {1500, 1492, 1280, 9000}) {
                int mtu = o.innerMtu(path);
                assertEquals(true, espPacket(mtu, o) <= path, o + " " + path);
                assertEquals(true, espPacket(mtu + 1, o) > path, o + " " + path);
            }
        }
        assertEquals(1438, new TunnelOverhead(20, true, 8, 16, 4).innerMtu(1500));
    }

    @Test
    void tinyPathMtuIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TunnelOverhead(20, true, 16, 16, 16).innerMtu(120));
    }
}
