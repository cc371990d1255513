package org.mobilevpn.datapath;

/**
 * Lets the control path know when a packet thread no longer holds a transform it just swapped
 * out, without a lock on the packet path: the thread bumps a counter to odd when it starts on
 * a packet and to even when it is done or waits for the next one. Having published a new table,
 * the control path waits until the counter is even or has moved on; every packet started after
 * that reads the new table (both accesses are volatile, so one of the two sides sees the other).
 */
final class QuiescenceGate {
    private volatile long phase;

    /** The packet thread starts processing (reads tables after this). */
    void enter() {
        phase = phase + 1;
    }

    /** The packet thread is done with the packet (holds no table entry after this). */
    void leave() {
        phase = phase + 1;
    }

    /** Control path, after publishing a new table: returns once no packet started before that is still running. */
    void awaitQuiescence() {
        long p = phase;
        if ((p & 1) == 0) {
            return;
        }
        while (phase == p) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    long phase() {
        return phase;
    }
}
