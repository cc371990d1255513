package org.mobilevpn.datapath;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The data path's fixed pool of outbound packet threads ({@link OutboundPump}): one per core, at most
 * {@link #MAX_THREADS}, started with the engine; each tunnel goes to the one serving the fewest. Many
 * connections cost file descriptors in one poll set, not threads.
 */
final class OutboundPumps implements AutoCloseable {
    /** More would only compete with the inbound thread and the crypto for the same cores. */
    static final int MAX_THREADS = 2;
    private final OutboundPump[] pumps;

    OutboundPumps(NativeUdpSocket socket) throws IOException {
        int n = Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        pumps = new OutboundPump[n];
        try {
            for (int i = 0; i < n; i++) {
                pumps[i] = new OutboundPump("mvpn-dp-outbound-" + (i + 1), socket);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Starts reading {@code t}'s NIC on the least loaded thread, which is returned (to {@link OutboundPump#remove} later). */
    OutboundPump serve(EspTunnel t) {
        OutboundPump p = Arrays.stream(pumps).min(Comparator.comparingInt(OutboundPump::load)).orElseThrow();
        p.add(t);
        return p;
    }

    @Override
    public void close() {
        for (OutboundPump p : pumps) {
            if (p != null) {
                p.close();
            }
        }
    }
}
