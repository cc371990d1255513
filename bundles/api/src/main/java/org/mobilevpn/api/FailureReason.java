package org.mobilevpn.api;

/** Why a connection or an exchange failed, in the words of RFC 7296 where it has them. */
public enum FailureReason {
    /** Our credentials were refused by the gateway (AUTHENTICATION_FAILED notify). */
    AUTH_FAILED,
    /** The gateway's credentials did not verify against the configured CA or identity. */
    PEER_AUTH_FAILED,
    /** No proposal of ours was acceptable to the gateway, or none of its to us. */
    NO_PROPOSAL_CHOSEN,
    /** The gateway refused the traffic selectors. */
    TS_UNACCEPTABLE,
    /**
     * No usable virtual IP: the gateway has none for us (INTERNAL_ADDRESS_FAILURE, FAILED_CP_REQUIRED), assigned none,
     * or assigned one we refuse (loopback, multicast, our own address ...; the message says which).
     */
    INTERNAL_ADDRESS_FAILURE,
    /** No answer from the gateway after all retransmissions, or the network failed. */
    UNREACHABLE,
    /** The gateway deleted the SA or stopped answering liveness checks. */
    PEER_GONE,
    /**
     * Packets left on a Child SA and none came back for {@code dpd_delay}, also after a new Child SA, while
     * the IKE SA answered: the connection is rebuilt with a new IKE SA.
     */
    TRAFFIC_STALLED,
    /** The profile is invalid; the message names the key. */
    INVALID_PROFILE,
    /** Anything else: a bug or a local resource problem; the message says which. */
    INTERNAL
}
