package org.mobilevpn.api.ike;

/**
 * Result of NAT detection (RFC 7296 §2.23).
 *
 * @param localBehindNat our NAT_DETECTION_DESTINATION_IP hash did not match: a NAT rewrites our address
 *        (also true when encapsulation was forced by faking the hash)
 * @param remoteBehindNat the gateway's NAT_DETECTION_SOURCE_IP hash did not match our view of it
 * @param forced UDP encapsulation was forced by configuration ({@code encap = yes}), not by a real NAT
 */
public record NatState(boolean localBehindNat, boolean remoteBehindNat, boolean forced) {

    public static NatState none() {
        return new NatState(false, false, false);
    }

    /** True when ESP must travel UDP-encapsulated on port 4500 (RFC 3948). */
    public boolean udpEncapsulation() {
        return localBehindNat || remoteBehindNat || forced;
    }
}
