package org.mobilevpn.datapath;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mobilevpn.api.datapath.DropReason;

/**
 * ESP datagrams of one tunnel collected end to end to leave in one UDP GSO send (all the size of the
 * first, the last may be shorter). One per pump thread: a tunnel's drain {@link #begin}s it and flushes it
 * before the thread turns to the next tunnel.
 */
final class EspBatch {
    static final int MAX_SEGMENTS = 64;
    static final int MAX_BYTES = 65000;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(MAX_BYTES + 2048);
    private final NativeUdpSocket.Sender sender;
    private NativeUdpSocket.PeerAddress to;
    private PumpCounters counters;
    private int count;
    private int segmentSize;

    EspBatch(NativeUdpSocket.Sender sender) {
        this.sender = sender;
    }

    /** The tunnel whose datagrams follow: its gateway and its counters. */
    void begin(NativeUdpSocket.PeerAddress gateway, PumpCounters tunnelCounters) {
        to = gateway;
        counters = tunnelCounters;
    }

    void add(ByteBuffer esp) {
        int len = esp.remaining();
        if (count > 0 && (len > segmentSize || bytes.position() + len > MAX_BYTES || count == MAX_SEGMENTS)) {
            flush();
        }
        if (count == 0) {
            segmentSize = len;
        }
        bytes.put(esp);
        count++;
        if (len < segmentSize) {
            flush(); // a shorter datagram can only be the last of a GSO batch
        }
    }

    void flush() {
        if (count == 0) {
            return;
        }
        bytes.flip();
        try {
            sender.sendSegments(bytes, segmentSize, to);
            counters.add(PumpCounters.SENT, count);
        } catch (IOException ex) {
            counters.drop(DropReason.IO_ERROR);
        }
        bytes.clear();
        count = 0;
    }
}
