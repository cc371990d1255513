package org.mobilevpn.ike.engine;

import java.util.Arrays;

/**
 * Collects the decrypted contents of one message's SKF fragments (RFC 7383 §2.6) until all have
 * arrived, then yields the inner payload octets and the first inner payload type. One reassembly at a
 * time per direction: a fragment of a newer message ID discards an older incomplete one.
 */
final class FragmentReassembler {
    /** Upper bound on fragments of one message, against memory exhaustion. */
    static final int MAX_FRAGMENTS = 64;

    private int messageId;
    private byte[][] parts;
    private int received;
    private int firstInnerType;

    /** Result of a completed reassembly. */
    record Reassembled(int firstInnerType, byte[] content) {
    }

    /**
     * Adds one decrypted fragment; returns the whole message when it was the last one missing, else
     * {@code null}. Duplicates and inconsistent totals are ignored.
     */
    Reassembled add(int messageId, int number, int total, int innerType, byte[] content) {
        if (total > MAX_FRAGMENTS || number < 1 || number > total) {
            return null;
        }
        if (parts == null || this.messageId != messageId || parts.length != total) {
            if (parts != null && this.messageId == messageId && parts.length != total) {
                return null; // RFC 7383 §2.6: totals must agree within one message
            }
            this.messageId = messageId;
            parts = new byte[total][];
            received = 0;
            firstInnerType = 0;
        }
        if (parts[number - 1] != null) {
            return null;
        }
        parts[number - 1] = content;
        received++;
        if (number == 1) {
            firstInnerType = innerType;
        }
        if (received < total) {
            return null;
        }
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] whole = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, whole, at, p.length);
            Arrays.fill(p, (byte) 0);
            at += p.length;
        }
        Reassembled r = new Reassembled(firstInnerType, whole);
        parts = null;
        return r;
    }
}
