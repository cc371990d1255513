package org.mobilevpn.testsupport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionStatus;

/** Status snapshots as the Policy Manager builds them, for the tests (documentation addresses only). */
public final class Statuses {
    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private Statuses() {
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ChildSaStatus childSa(int spiIn, int spiOut, long bytesIn, long bytesOut, Instant nextRekey) {
        return new ChildSaStatus(1, spiIn, spiOut, EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, false,
                true, List.of(TrafficSelector.ofAddress(ip("198.18.0.5"))), List.of(TrafficSelector.parse("203.0.113.0/24")),
                bytesIn, bytesIn / 100, bytesOut, bytesOut / 100, Map.of(EspStatus.REPLAY, 3L, EspStatus.ICV_FAIL, 1L),
                T0, nextRekey);
    }

    /** "office" CONNECTED since T0 behind a NAT, one Child SA, at {@code now}. */
    public static ConnectionStatus connected(String name, Instant now, ChildSaStatus... childSas) {
        return ConnectionStatus.builder(name).state(ConnectionState.CONNECTED).wanted(true)
                .gateway(new InetSocketAddress(ip("198.51.100.1"), 4500))
                .localAddress(new InetSocketAddress(ip("198.51.100.2"), 4500)).natDetected(true).udpEncapsulated(true)
                .ikeAlgorithms("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE25519").interfaceName("mvpn0")
                .virtualIps(List.of(ip("198.18.0.5"))).dnsServers(List.of(ip("203.0.113.53")))
                .childSas(List.of(childSas)).drops(Map.of(DropReason.UNKNOWN_SPI, 7L))
                .handshakeDuration(Duration.ofMillis(42)).livenessRtt(Duration.ofMillis(3))
                .ikeSpiInitiator(0x0123456789abcdefL).ikeSpiResponder(0xfedcba9876543210L).ikeEstablished(T0)
                .ikeRekeyBy(T0.plus(Duration.ofHours(4))).handshakes(2).reconnects(1)
                .lastError(new ConnectionError(FailureReason.UNREACHABLE, "no answer from 198.51.100.1 after 5 retransmissions",
                        T0.minusSeconds(60)))
                .connectedSince(T0).takenAt(now).build();
    }

    public static ConnectionStatus disabled(String name) {
        return ConnectionStatus.builder(name).build();
    }
}
