package org.mobilevpn.api.esp;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What encryptor and decryptor share: identity, counters, lifetime state, and a close that wipes keys.
 *
 * <p>A transform is used by one packet thread at a time (it reuses cipher objects and scratch space);
 * {@link #counters()}, {@link #lifetimeState()} and {@link #sequenceNumber()} may be read from any
 * thread. {@link #close()} belongs to the control path and must only be called once the packet thread
 * no longer uses the transform (e.g. after swapping it out of the pump's table and a quiescent point).
 */
@ProviderType
public interface EspTransform extends AutoCloseable {

    /** The SPI in the ESP header. */
    int spi();

    /** The Child SA this transform belongs to ({@link EspSa#childSaId()}). */
    int childSaId();

    /** Live counters, lock-free. */
    EspCounters counters();

    /** Soft/hard lifetime state, lock-free. */
    LifetimeState lifetimeState();

    /**
     * Outbound: the last sequence number sent. Inbound: the highest sequence number accepted.
     * Full 64 bits with ESN; feed it to {@link EspSa#withInitialSequenceNumber(long)} to rebuild.
     */
    long sequenceNumber();

    /** Wipes this transform's key copies; afterwards every packet gets {@link EspStatus#CLOSED}. */
    @Override
    void close();
}
