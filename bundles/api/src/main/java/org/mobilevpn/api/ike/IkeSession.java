package org.mobilevpn.api.ike;

/**
 * One running IKE SA with its Child SAs, as started by {@link IkeEngine#start}. All methods return at
 * once; the outcome arrives at the session's {@link IkeSessionListener}.
 */
public interface IkeSession extends AutoCloseable {

    /** The configured connection name. */
    String name();

    /** True until the final listener event has been delivered. */
    boolean isActive();

    /** Rekeys the IKE SA now (CREATE_CHILD_SA, RFC 7296 §2.18). */
    void rekeyIkeSa();

    /** Rekeys the Child SA with this inbound SPI now (RFC 7296 §2.8). */
    void rekeyChildSa(int spiIn);

    /** Sends a liveness check (empty INFORMATIONAL, RFC 7296 §2.4) now. */
    void checkLiveness();

    /** Deletes the IKE SA and its Child SAs at the gateway (RFC 7296 §1.4.1), then ends the session. */
    @Override
    void close();
}
