package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * An established ESP Child SA (tunnel mode) with everything the data path needs to install it:
 * SPIs, transforms and keys, selectors, the virtual IP and DNS servers the gateway assigned
 * (RFC 7296 §3.15), lifetimes and the UDP encapsulation endpoints (RFC 3948). The receiver owns
 * {@link #keys()} and closes this record (wiping them) when the SA is removed.
 *
 * @param spiIn our SPI: the gateway sends ESP with it
 * @param spiOut the gateway's SPI: we send ESP with it
 * @param encryption negotiated ESP encryption transform and key size
 * @param integrity negotiated ESP integrity transform ({@link IntegrityAlgorithm#NONE} with AEAD)
 * @param esn 64-bit extended sequence numbers negotiated (RFC 4303 §2.2.1)
 * @param keys the ESP keys, by direction
 * @param localTs our traffic selectors as narrowed by the gateway
 * @param remoteTs the gateway side's traffic selectors as narrowed by the gateway
 * @param virtualIps addresses the gateway assigned to us (INTERNAL_IP4/6_ADDRESS), empty if none
 * @param dnsServers DNS servers the gateway announced (INTERNAL_IP4/6_DNS)
 * @param dnsDomains split DNS domains the gateway announced (INTERNAL_DNS_DOMAIN, RFC 8598), validated names
 * @param rekeyTime when the engine will rekey this SA (soft lifetime, after jitter)
 * @param lifetime hard lifetime: the data path must stop using the SA after it
 * @param nat NAT state of the IKE SA; ESP is UDP-encapsulated when {@link NatState#udpEncapsulation()}
 * @param localEndpoint our address and port for UDP-encapsulated ESP (port 4500), or for raw ESP the address
 * @param remoteEndpoint the gateway's address and port, likewise
 */
public record ChildSaInfo(int spiIn, int spiOut, EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, boolean esn, ChildSaKeys keys, List<TrafficSelector> localTs,
        List<TrafficSelector> remoteTs, List<InetAddress> virtualIps, List<InetAddress> dnsServers,
        List<String> dnsDomains, Duration rekeyTime, Duration lifetime, NatState nat, InetSocketAddress localEndpoint,
        InetSocketAddress remoteEndpoint) implements AutoCloseable {

    public ChildSaInfo {
        Objects.requireNonNull(encryption);
        Objects.requireNonNull(integrity);
        Objects.requireNonNull(keys);
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        virtualIps = List.copyOf(virtualIps);
        dnsServers = List.copyOf(dnsServers);
        dnsDomains = List.copyOf(dnsDomains);
        Objects.requireNonNull(rekeyTime);
        Objects.requireNonNull(lifetime);
        Objects.requireNonNull(nat);
        Objects.requireNonNull(localEndpoint);
        Objects.requireNonNull(remoteEndpoint);
    }

    /** As before 2.2.0 (no split DNS domains): kept for callers built against 2.1. */
    public ChildSaInfo(int spiIn, int spiOut, EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, boolean esn,
            ChildSaKeys keys, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, List<InetAddress> virtualIps,
            List<InetAddress> dnsServers, Duration rekeyTime, Duration lifetime, NatState nat,
            InetSocketAddress localEndpoint, InetSocketAddress remoteEndpoint) {
        this(spiIn, spiOut, encryption, integrity, esn, keys, localTs, remoteTs, virtualIps, dnsServers, List.of(),
                rekeyTime, lifetime, nat, localEndpoint, remoteEndpoint);
    }

    @Override
    public void close() {
        keys.close();
    }

    /** SPIs, algorithms, selectors; never the keys. */
    @Override
    public String toString() {
        return String.format("ChildSaInfo[%08x_i %08x_o %s/%s%s %s === %s vips=%s dns=%s%s nat=%s %s->%s]", spiIn,
                spiOut, encryption.displayName(), integrity, esn ? "/ESN" : "", localTs, remoteTs, virtualIps,
                dnsServers, dnsDomains.isEmpty() ? "" : " " + dnsDomains, nat, localEndpoint, remoteEndpoint);
    }
}
