package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.mobilevpn.datapath.Port4500Demux.Kind;

class Port4500DemuxTest {

    private static ByteBuffer datagram(int offset, int... bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(offset + bytes.length + 16);
        b.position(offset);
        for (int v : bytes) {
            b.put((byte) v);
        }
        b.limit(b.position()).position(offset);
        return b;
    }

    private static ByteBuffer withLength(int marker, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        if (length >= 4) {
            b.putInt(0, marker);
        }
        return b;
    }

    @Test
    void keepaliveIsOneFfByte() {
        assertEquals(Kind.KEEPALIVE, Port4500Demux.classify(datagram(0, 0xff)));
        assertEquals(Kind.MALFORMED, Port4500Demux.classify(datagram(0, 0x00)));
    }

    @Test
    void zeroMarkerMeansIke() {
        assertEquals(Kind.IKE, Port4500Demux.classify(withLength(0, 4 + 28)));
        assertEquals(Kind.MALFORMED, Port4500Demux.classify(withLength(0, 4 + 27)), "marker without a full IKE header");
    }

    @Test
    void nonZeroSpiMeansEsp() {
        assertEquals(Kind.ESP, Port4500Demux.classify(withLength(0xc0000001, 8)));
        assertEquals(Kind.ESP, Port4500Demux.classify(withLength(0x00000100, 200)));
        assertEquals(Kind.MALFORMED, Port4500Demux.classify(withLength(0xc0000001, 7)));
        assertEquals(Kind.MALFORMED, Port4500Demux.classify(withLength(0, 3)));
    }

    @Test
    void readsFromThePositionWithoutMovingIt() {
        ByteBuffer b = datagram(5, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                22, 23, 24, 25, 26, 27, 28);
        assertEquals(Kind.IKE, Port4500Demux.classify(b));
        assertEquals(5, b.position());
        b.put(5, (byte) 1);
        assertEquals(Kind.ESP, Port4500Demux.classify(b));
    }
}
