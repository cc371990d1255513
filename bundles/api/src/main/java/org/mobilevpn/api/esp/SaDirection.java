package org.mobilevpn.api.esp;

/** Which way an SA carries traffic, seen from this host. */
public enum SaDirection {
    /** Packets we receive and decrypt. */
    INBOUND,
    /** Packets we encrypt and send. */
    OUTBOUND
}
