package org.mobilevpn.webconsole;

/**
 * Current inner throughput of a connection in bits per second, derived from the byte counters of
 * two samples. {@code null} rates are unknown (the first sample of a connection has nothing to
 * compare with).
 *
 * @param inBitsPerSecond  received, or null
 * @param outBitsPerSecond sent, or null
 */
record Throughput(Double inBitsPerSecond, Double outBitsPerSecond) {

    /** Not measured yet. */
    static final Throughput UNKNOWN = new Throughput(null, null);

    boolean known() {
        return inBitsPerSecond != null && outBitsPerSecond != null;
    }
}
