package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.ConnectionState;

/**
 * One connection in the status model. Nullable fields are values that exist only while (or since) a
 * tunnel is up; the renderers show them as "–".
 *
 * @param name               connection name
 * @param state              lifecycle state
 * @param wanted             whether the operator (or autostart) wants it up
 * @param gateway            gateway IKE address:port in use, or null
 * @param localAddress       our IKE address:port in use, or null
 * @param virtualIps         addresses the gateway assigned
 * @param dnsServers         DNS servers the gateway announced
 * @param dnsDomains         split DNS domains the gateway announced (RFC 8598), resolved through its servers
 * @param natDetected        a NAT lies between us and the gateway
 * @param udpEncapsulated    ESP travels in UDP
 * @param interfaceName      the virtual NIC, or null
 * @param uptime             time CONNECTED (zero when not)
 * @param throughput         current rates derived from counter deltas between two samples
 * @param nextRekey          time until the earliest scheduled rekey (IKE SA or Child SA), or null
 * @param lastError          the last failure, or null
 * @param failedAttempts     failed attempts since the connection was last up
 * @param nextAttemptIn      time until the next attempt (RECONNECTING), or null
 * @param ikeSa              the IKE SA's figures
 * @param childSas           the installed Child SAs
 * @param drops              data path drops outside any SA, by reason name (non-zero only)
 * @param bytesIn            inner bytes received over all Child SAs
 * @param bytesOut           inner bytes sent over all Child SAs
 * @param packetsIn          packets received over all Child SAs
 * @param packetsOut         packets sent over all Child SAs
 * @param connectedSince     since when CONNECTED, or null
 * @param profileProblem     why the latest configuration was rejected while an earlier one stays in use, or null
 * @param degradation        while DEGRADED: why its traffic does not flow and what is done about it, or null
 * @param degradations       how often the connection went from CONNECTED to DEGRADED
 * @param uplink             the interface the IKE SA leaves by, or null
 * @param uplinks            the profile's {@code uplinks}: the interfaces preferred for it, in order (empty: the kernel's
 *                           route decides)
 * @param moves              how often the IKE SA moved to another uplink or address
 * @param moveOutage         the time those moves took together
 */
record ConnectionView(String name, ConnectionState state, boolean wanted, String gateway, String localAddress,
        List<String> virtualIps, List<String> dnsServers, List<String> dnsDomains, boolean natDetected, boolean udpEncapsulated,
        String interfaceName, Duration uptime, Throughput throughput, Duration nextRekey, ErrorView lastError,
        int failedAttempts, Duration nextAttemptIn, IkeSaView ikeSa, List<ChildSaView> childSas,
        Map<String, Long> drops, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
        Instant connectedSince, String profileProblem, String degradation, int degradations, String uplink,
        List<String> uplinks, int moves, Duration moveOutage) {

    ConnectionView {
        virtualIps = List.copyOf(virtualIps);
        dnsServers = List.copyOf(dnsServers);
        dnsDomains = List.copyOf(dnsDomains);
        uplinks = List.copyOf(uplinks);
        childSas = List.copyOf(childSas);
        drops = Map.copyOf(drops);
    }
}
