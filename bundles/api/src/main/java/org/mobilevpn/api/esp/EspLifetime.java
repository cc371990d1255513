package org.mobilevpn.api.esp;

/**
 * Byte and packet limits of an SA (RFC 4301 §4.4.2.1 "SA Lifetime"). Reaching a soft limit asks IKE to
 * rekey; at a hard limit the transform refuses further packets. Time limits are the IKE engine's
 * business (it owns the clocks); the data path counts only what it sees. {@code 0} means no limit.
 * Bytes count inner (plaintext) IP packet bytes.
 */
public record EspLifetime(long softBytes, long hardBytes, long softPackets, long hardPackets) {

    /** No byte or packet limits (sequence number exhaustion still applies). */
    public static final EspLifetime UNLIMITED = new EspLifetime(0, 0, 0, 0);

    /** Rejects negative limits and soft limits above hard limits. */
    public EspLifetime {
        check("bytes", softBytes, hardBytes);
        check("packets", softPackets, hardPackets);
    }

    private static void check(String what, long soft, long hard) {
        if (soft < 0 || hard < 0) {
            throw new IllegalArgumentException("negative " + what + " lifetime");
        }
        if (soft != 0 && hard != 0 && soft > hard) {
            throw new IllegalArgumentException("soft " + what + " lifetime " + soft + " above hard " + hard);
        }
    }
}
