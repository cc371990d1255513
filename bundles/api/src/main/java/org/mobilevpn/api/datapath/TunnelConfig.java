package org.mobilevpn.api.datapath;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.vnic.VirtualNic;

/**
 * What a tunnel pumps between: the virtual NIC (opened and owned by the caller), the gateway's
 * ESP-in-UDP endpoint, the SPD, the NAT keepalive interval (RFC 3948 §2.3; zero: none) and who
 * hears about SA lifetime limits.
 */
public record TunnelConfig(VirtualNic nic, InetSocketAddress gateway, SpdConfiguration spd, Duration keepaliveInterval,
        EspSaListener lifetimeListener) {

    public TunnelConfig {
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(spd, "spd");
        Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
        Objects.requireNonNull(lifetimeListener, "lifetimeListener");
        if (gateway.isUnresolved()) {
            throw new IllegalArgumentException("gateway must be a resolved address: " + gateway);
        }
        if (keepaliveInterval.isNegative()) {
            throw new IllegalArgumentException("negative keepalive interval");
        }
    }
}
