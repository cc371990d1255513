package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine applies to every session, as strongswan.conf is to swanctl.conf (a connection's own
 * keys are its {@link org.mobilevpn.api.ike.IkeSessionConfig}): the retransmission schedule (RFC 7296
 * §2.1, strongSwan's {@code retransmit_timeout}, {@code retransmit_base}, {@code retransmit_tries}), the
 * largest IP datagram an IKE message is sent in before it is fragmented ({@code fragment_size}, RFC 7383)
 * and whether fragmentation is offered at all, and the share of a rekey time subtracted at random so that
 * peers do not rekey in lockstep. Configured by the component's PID {@code org.mobilevpn.ike}.
 *
 * @param retransmitTimeout first retransmission after this long
 * @param retransmitBase    each further wait is this many times the previous one
 * @param retransmitTries   retransmissions before the request fails
 * @param fragmentSize      largest IP datagram of an IKE message, 576..65535
 * @param fragmentation     offer RFC 7383 IKE fragmentation
 * @param rekeyJitter       fraction of a rekey time subtracted at random, in [0, 1)
 */
public record EngineSettings(Duration retransmitTimeout, double retransmitBase, int retransmitTries, int fragmentSize,
        boolean fragmentation, double rekeyJitter) {

    /** {@code retransmit_timeout} when not configured, in seconds (strongSwan's). */
    public static final double DEFAULT_RETRANSMIT_TIMEOUT_SECONDS = 4.0;
    /** {@code retransmit_base} when not configured (strongSwan's). */
    public static final double DEFAULT_RETRANSMIT_BASE = 1.8;
    /** {@code retransmit_tries} when not configured (strongSwan's: with the two above it gives up after 165 s). */
    public static final int DEFAULT_RETRANSMIT_TRIES = 5;
    /** {@code fragment_size} when not configured (strongSwan's). */
    public static final int DEFAULT_FRAGMENT_SIZE = 1280;
    /** {@code rekey_jitter} when not configured: 10%, as strongSwan's default rand_time is 10% of rekey_time. */
    public static final double DEFAULT_REKEY_JITTER = 0.1;
    /** Every setting at its default. */
    public static final EngineSettings DEFAULTS = new EngineSettings(seconds(DEFAULT_RETRANSMIT_TIMEOUT_SECONDS),
            DEFAULT_RETRANSMIT_BASE, DEFAULT_RETRANSMIT_TRIES, DEFAULT_FRAGMENT_SIZE, true, DEFAULT_REKEY_JITTER);

    /** Rejects values that make no schedule, naming the configuration key. */
    public EngineSettings {
        Objects.requireNonNull(retransmitTimeout, "retransmit_timeout");
        if (retransmitTimeout.isNegative() || retransmitTimeout.isZero()) {
            throw new IllegalArgumentException("retransmit_timeout: must be positive, not " + retransmitTimeout);
        }
        if (!(retransmitBase >= 1.0) || Double.isInfinite(retransmitBase)) {
            throw new IllegalArgumentException("retransmit_base: must be at least 1, not " + retransmitBase);
        }
        if (retransmitTries < 1) {
            throw new IllegalArgumentException("retransmit_tries: must be at least 1, not " + retransmitTries);
        }
        if (fragmentSize < 576 || fragmentSize > 65535) {
            throw new IllegalArgumentException("fragment_size: " + fragmentSize + " is outside 576..65535");
        }
        if (!(rekeyJitter >= 0 && rekeyJitter < 1)) {
            throw new IllegalArgumentException("rekey_jitter: must be a fraction in [0, 1), not " + rekeyJitter);
        }
    }

    /** A time in (possibly fractional) seconds, as strongswan.conf writes {@code retransmit_timeout}. */
    public static Duration seconds(double seconds) {
        if (!(seconds > 0) || seconds > Long.MAX_VALUE / 1_000_000_000.0) {
            throw new IllegalArgumentException("retransmit_timeout: must be positive seconds, not " + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000.0));
    }

    /** The same with another retransmission schedule. */
    public EngineSettings withRetransmission(Duration timeout, double base, int tries) {
        return new EngineSettings(timeout, base, tries, fragmentSize, fragmentation, rekeyJitter);
    }

    /** The same with another fragment size. */
    public EngineSettings withFragmentSize(int size) {
        return new EngineSettings(retransmitTimeout, retransmitBase, retransmitTries, size, fragmentation, rekeyJitter);
    }

    /** The same with another rekey jitter. */
    public EngineSettings withRekeyJitter(double fraction) {
        return new EngineSettings(retransmitTimeout, retransmitBase, retransmitTries, fragmentSize, fragmentation, fraction);
    }
}
