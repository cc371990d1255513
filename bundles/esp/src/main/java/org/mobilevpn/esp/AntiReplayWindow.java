package org.mobilevpn.esp;

import java.util.concurrent.atomic.AtomicLong;
import org.mobilevpn.api.esp.EspStatus;

/**
 * Receiver anti-replay window (RFC 4303 §3.4.3) with ESN high-bit inference (RFC 4303 Appendix A2).
 *
 * <p>A ring bitmap of 64-bit blocks (the layout of RFC 6479) indexed by sequence number, sized to a power
 * of two at least one block wider than the window, so sliding clears whole blocks and never shifts bits.
 * The window accepts numbers in {@code (top - size, top]} not yet seen, and anything above {@code top}.
 * {@link #check} runs before the ICV check (cheap drop); {@link #accept} only after the ICV verified, so
 * forged packets never move the window. Used by the packet thread only; {@link #highest()} is lock-free.
 */
final class AntiReplayWindow {

    private final int size;
    private final long inferenceWindow;
    private final boolean esn;
    private final long[] ring;
    private final int blockMask;
    private final AtomicLong published;
    private long top;

    /**
     * @param size             window in packets, 0 disables the replay check (sequence numbers are still
     *                         tracked for ESN inference)
     * @param esn              64-bit sequence numbers with 32 bits on the wire
     * @param highestAccepted  highest number already accepted; every number up to it counts as seen
     */
    AntiReplayWindow(int size, boolean esn, long highestAccepted) {
        if (size < 0 || size > 4096) {
            throw new IllegalArgumentException("replay window 0..4096: " + size);
        }
        this.size = size;
        this.esn = esn;
        // Without a window the inference still needs a tolerance for reordering: 2^31 is the most
        // Appendix A2 allows.
        this.inferenceWindow = size == 0 ? 1L << 31 : size;
        int blocks = Integer.highestOneBit(Math.max(1, (size + 63) / 64)) * 2;
        this.ring = new long[Math.max(2, blocks)];
        this.blockMask = ring.length - 1;
        this.top = highestAccepted;
        this.published = new AtomicLong(highestAccepted);
        if (highestAccepted > 0) {
            // Resumed SA: we do not know which numbers below top arrived, so treat all as seen.
            java.util.Arrays.fill(ring, -1L);
            // ...but nothing above top: those numbers are still to come.
            ring[block(highestAccepted)] = -1L >>> (63 - (highestAccepted & 63));
        }
    }

    /**
     * The full sequence number of a packet carrying {@code low} on the wire. Without ESN that is just the
     * unsigned value. With ESN it follows RFC 4303 Appendix A2.1: the high half is top's, or one more
     * (the sender wrapped), or one less (a late packet from before top's wrap). A negative result means
     * "before the first packet" and is reported as too old by {@link #check}.
     */
    long infer(int low) {
        long seqLow = low & 0xFFFF_FFFFL;
        if (!esn) {
            return seqLow;
        }
        long topLow = top & 0xFFFF_FFFFL;
        long topHigh = top >>> 32;
        long bottomLow = (topLow - inferenceWindow + 1) & 0xFFFF_FFFFL;
        long high;
        if (topLow >= inferenceWindow - 1) {
            // Case A: the window lies within one 2^32 subspace.
            high = seqLow >= bottomLow ? topHigh : topHigh + 1;
        } else {
            // Case B: the window straddles a subspace boundary.
            high = seqLow >= bottomLow ? topHigh - 1 : topHigh;
        }
        if (high < 0) {
            return -1;
        }
        return high << 32 | seqLow;
    }

    /** OK if {@code seq} may be new; REPLAY if already received; TOO_OLD if left of the window. */
    EspStatus check(long seq) {
        if (seq <= 0) {
            return EspStatus.TOO_OLD; // 0 is never sent (RFC 4303 §3.3.3), negative: before the start
        }
        if (seq > top || size == 0) {
            return EspStatus.OK;
        }
        if (top - seq >= size) {
            return EspStatus.TOO_OLD;
        }
        return (ring[block(seq)] & bit(seq)) != 0 ? EspStatus.REPLAY : EspStatus.OK;
    }

    /** Records {@code seq} as received (it passed {@link #check} and the ICV). */
    void accept(long seq) {
        if (seq > top) {
            long firstNewBlock = (top >>> 6) + 1;
            long lastNewBlock = seq >>> 6;
            long blocksToClear = Math.min(lastNewBlock - firstNewBlock + 1, ring.length);
            for (long i = 0; i < blocksToClear; i++) {
                ring[(int) ((firstNewBlock + i) & blockMask)] = 0;
            }
            top = seq;
            published.lazySet(seq);
        }
        ring[block(seq)] |= bit(seq);
    }

    /** Highest sequence number accepted so far. */
    long highest() {
        return published.get();
    }

    private int block(long seq) {
        return (int) ((seq >>> 6) & blockMask);
    }

    private static long bit(long seq) {
        return 1L << (seq & 63);
    }
}
