package org.mobilevpn.api.vnic;

/** How the gateway's DNS servers are applied while the virtual NIC is open. */
public enum DnsStrategy {
    /** Leave name resolution alone. */
    NONE,
    /**
     * Rewrite the resolv.conf file the factory is configured with (content replaced in place,
     * so bind mounts keep working), keep a backup and restore the exact previous bytes on close
     * or, after a crash, at the next start.
     */
    RESOLV_CONF
}
