package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.mobilevpn.api.net.NetworkState;

/**
 * Reads the kernel's links, addresses and routes now: three rtnetlink dumps over a request socket of its own
 * (rtnetlink(7) {@code RTM_GETLINK}, {@code RTM_GETADDR}, {@code RTM_GETROUTE} with {@code NLM_F_DUMP}). A dump the
 * kernel marks as interrupted by a change ({@code NLM_F_DUMP_INTR}) is taken again.
 */
final class KernelNetworkDump {
    private static final int ATTEMPTS = 5;
    private static final int TIMEOUT_MILLIS = 2000;

    private final Predicate<String> ours;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(NetlinkSocket.RECEIVE_BUFFER);
    private int seq = (int) (System.nanoTime() & 0x7fffffff);

    /** @param ours names of our own links, left out of every state */
    KernelNetworkDump(Predicate<String> ours) {
        this.ours = ours;
    }

    /** The state now. Called from one thread at a time. */
    synchronized NetworkState read() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (NetlinkSocket socket = NetlinkSocket.open(0, TIMEOUT_MILLIS)) {
                List<Object> all = new ArrayList<>();
                boolean consistent = dump(socket, Rtnetlink.RTM_GETLINK, all) & dump(socket, Rtnetlink.RTM_GETADDR, all)
                        & dump(socket, Rtnetlink.RTM_GETROUTE, all);
                if (consistent) {
                    return NetworkSnapshot.of(all, ours);
                }
                last = new IOException("the kernel's tables kept changing during the dump");
            }
        }
        throw last;
    }

    /** @return false when the kernel says the dump was interrupted by a change */
    private boolean dump(NetlinkSocket socket, int type, List<Object> into) throws IOException {
        int mine = ++seq;
        socket.send(Rtnetlink.dumpRequest(type, mine));
        boolean consistent = true;
        while (true) {
            if (socket.receive(buffer) != NetlinkSocket.Outcome.DATA) {
                throw new IOException("no complete answer from the kernel to a netlink dump");
            }
            List<Object> messages;
            try {
                messages = Rtnetlink.decode(buffer);
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed netlink dump answer: " + e.getMessage(), e);
            }
            for (Object m : messages) {
                Rtnetlink.Header h = header(m);
                if (h.seq() != mine) {
                    continue;
                }
                if ((h.flags() & Rtnetlink.NLM_F_DUMP_INTR) != 0) {
                    consistent = false;
                }
                if (m instanceof Rtnetlink.Control c) {
                    if (h.type() == Rtnetlink.NLMSG_ERROR && c.error() != 0) {
                        throw new IOException("netlink dump refused, errno " + -c.error());
                    }
                    return consistent;
                }
                into.add(m);
            }
        }
    }

    private static Rtnetlink.Header header(Object m) {
        if (m instanceof Rtnetlink.Link l) {
            return l.header();
        }
        if (m instanceof Rtnetlink.Address a) {
            return a.header();
        }
        if (m instanceof Rtnetlink.Route r) {
            return r.header();
        }
        if (m instanceof Rtnetlink.Control c) {
            return c.header();
        }
        return ((Rtnetlink.Other) m).header();
    }
}
