package org.mobilevpn.api;

/** Where a configured connection stands, as the operator sees it. */
public enum ConnectionState {
    /** Not wanted up: never started, or taken down by the operator. */
    DISABLED,
    /** First attempt to bring the tunnel up is running. */
    CONNECTING,
    /** IKE SA and at least one Child SA are established and installed. */
    CONNECTED,
    /**
     * Established, but its traffic does not flow: packets leave on a Child SA and none come back on it for
     * {@code dpd_delay} while the IKE SA still answers, or no Child SA is installed at all. The connection
     * repairs itself (a new Child SA, then a new IKE SA) and is CONNECTED again once packets arrive.
     */
    DEGRADED,
    /** Wanted up, lost, and waiting for or running the next attempt. */
    RECONNECTING,
    /** Being taken down on request. */
    DISCONNECTING,
    /** Wanted up but given up on; the last failure says why. */
    FAILED
}
