package org.mobilevpn.api.profile;

import java.util.Objects;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.net.IpAddresses;

/**
 * One entry of {@code remote_addrs}: the gateway's host name or IP address literal and the UDP port
 * IKE starts on ({@code remote_port}, 500 unless the entry says {@code host:port}). A host name is
 * kept as a name: it is resolved when the connection starts, so a gateway that changes its address
 * is found again on the next attempt.
 *
 * @param host an IP address literal (IPv6 without brackets) or a host name
 * @param port 1..65535
 */
public record GatewayAddress(String host, int port) {

    /** The IKE port of RFC 7296 §2. */
    public static final int IKE_PORT = 500;

    /** Rejects an empty host and ports outside 1..65535. */
    public GatewayAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("remote_addrs: empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("remote_addrs: port " + port + " is outside 1..65535");
        }
    }

    /** True when {@link #host()} is an IP address literal (needs no name resolution). */
    public boolean isLiteral() {
        return IpAddresses.looksLiteral(host);
    }

    /** The host as an IKE identity: an address identity for an IP literal, an FQDN for a host name. */
    public IkeIdentity identity() {
        return isLiteral() ? IkeIdentity.address(IpAddresses.parse(host)) : IkeIdentity.fqdn(host);
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
