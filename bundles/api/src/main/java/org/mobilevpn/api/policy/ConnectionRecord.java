package org.mobilevpn.api.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VnicConfig;

/**
 * One established connection as data, from a policy manager that goes away while the framework runs (its
 * bundle is updated) to its successor, through {@link ConnectionHandOver}: the IKE SA as an {@link IkeSaRecord}
 * (resumed by the IKE engine without a handshake), the Child SAs' ESP records with the sequence numbers their
 * tunnel reached (so the successor's tunnel neither reuses an outbound number nor accepts a replayed one), and
 * the open virtual NIC itself (device, addresses and routes stay). It lives in memory only; {@link #close()}
 * gives the connection up: it wipes every key and closes the NIC.
 *
 * @param name          the connection (profile) name
 * @param ikeGateway    where IKE was sent when the connection started (the profile's gateway)
 * @param ike           the IKE SA
 * @param nic           the virtual NIC the tunnel ran on, still open
 * @param vnicConfig    the configuration applied to {@code nic}
 * @param gateway       the gateway's address the routes keep reachable
 * @param espGateway    where ESP goes
 * @param keepalive     NAT keepalive interval (zero: none)
 * @param children      the installed Child SAs
 * @param retiredInbound inbound SAs replaced by a rekey that still decrypt until their Child SA is deleted
 * @param virtualIps    addresses the gateway assigned
 * @param dnsServers    DNS servers the gateway announced
 * @param handedOverAt  when the policy manager let go of it
 * @param pending       replacements from a rekey of the gateway's that was answered but whose old Child SA the
 *                      gateway has not deleted yet: installed inbound only, sent with once that deletion comes
 */
public record ConnectionRecord(String name, InetSocketAddress ikeGateway, IkeSaRecord ike, VirtualNic nic,
        VnicConfig vnicConfig, InetAddress gateway, InetSocketAddress espGateway, Duration keepalive,
        List<Child> children, List<EspSa> retiredInbound, List<InetAddress> virtualIps, List<InetAddress> dnsServers,
        Instant handedOverAt, List<Replacement> pending) implements AutoCloseable {

    /**
     * One installed Child SA.
     *
     * @param inbound  the inbound ESP record, its initial sequence number the highest one accepted
     * @param outbound the outbound ESP record, its initial sequence number the last one sent
     * @param status   what the status shows of it (selectors, algorithms, when it was established)
     */
    public record Child(EspSa inbound, EspSa outbound, ChildSaStatus status) {
        public Child {
            Objects.requireNonNull(inbound, "inbound");
            Objects.requireNonNull(outbound, "outbound");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * A Child SA the gateway made by rekeying the installed one with inbound SPI {@code replacedSpiIn} (RFC 7296
     * §2.8): it takes over once the gateway deletes that one.
     */
    public record Replacement(int replacedSpiIn, Child child) {
        public Replacement {
            Objects.requireNonNull(child, "child");
        }
    }

    /** A record with no rekey of the gateway's half done (api 2.2). */
    public ConnectionRecord(String name, InetSocketAddress ikeGateway, IkeSaRecord ike, VirtualNic nic,
            VnicConfig vnicConfig, InetAddress gateway, InetSocketAddress espGateway, Duration keepalive,
            List<Child> children, List<EspSa> retiredInbound, List<InetAddress> virtualIps,
            List<InetAddress> dnsServers, Instant handedOverAt) {
        this(name, ikeGateway, ike, nic, vnicConfig, gateway, espGateway, keepalive, children, retiredInbound,
                virtualIps, dnsServers, handedOverAt, List.of());
    }

    public ConnectionRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ikeGateway, "ikeGateway");
        Objects.requireNonNull(ike, "ike");
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(vnicConfig, "vnicConfig");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(espGateway, "espGateway");
        Objects.requireNonNull(keepalive, "keepalive");
        children = List.copyOf(children);
        retiredInbound = List.copyOf(retiredInbound);
        virtualIps = List.copyOf(virtualIps);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(handedOverAt, "handedOverAt");
        pending = List.copyOf(pending);
    }

    /** Wipes the keys of the IKE SA and of every ESP record. Idempotent. The NIC stays open. */
    public void wipeKeys() {
        ike.close();
        children.forEach(c -> {
            c.inbound().close();
            c.outbound().close();
        });
        retiredInbound.forEach(EspSa::close);
        pending.forEach(p -> {
            p.child().inbound().close();
            p.child().outbound().close();
        });
    }

    /** Gives the connection up: wipes every key and closes the NIC (device, routes and DNS go). */
    @Override
    public void close() {
        try {
            wipeKeys();
        } finally {
            nic.close();
        }
    }

    /** Name, SPIs and NIC; never keys. */
    @Override
    public String toString() {
        return "ConnectionRecord[" + name + " " + ike + " on " + nic.name() + "]";
    }
}
