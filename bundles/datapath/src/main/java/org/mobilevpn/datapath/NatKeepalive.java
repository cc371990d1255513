package org.mobilevpn.datapath;

/**
 * When to send a NAT keepalive (RFC 3948 §2.3): only if nothing else went to the peer during the
 * last interval, since any datagram refreshes the NAT mapping. The caller ticks once per interval
 * with the number of datagrams sent so far; no clock is read on the packet path.
 */
final class NatKeepalive {
    private long sentAtLastTick = -1;

    /** Whether a keepalive is due at this tick, given the datagrams sent so far. */
    boolean due(long sentSoFar) {
        boolean idle = sentSoFar == sentAtLastTick;
        sentAtLastTick = sentSoFar;
        return idle;
    }

    /** Records that a keepalive went out (so it does not count as traffic at the next tick). */
    void keepaliveSent(long sentSoFar) {
        sentAtLastTick = sentSoFar;
    }
}
