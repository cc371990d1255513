package org.mobilevpn.datapath;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.VnicConfig;

/**
 * Static SAs for the bench/test mode, where two data paths talk without IKE (like
 * {@code ip xfrm state add} with fixed keys). A properties file:
 *
 * <pre>
 * peer = 198.51.100.1:4500         # the other data path's NAT-T endpoint
 * local_port = 4500
 * child_sa = 1
 * encryption = AES_GCM_16_128      # an EncryptionAlgorithm name
 * integrity = NONE                 # an IntegrityAlgorithm name
 * esn = false
 * replay_window = 128
 * in.spi = c0000002                # hex; the SPI the peer sends with
 * in.key = 00112233...             # hex: cipher key followed by the salt (AEAD)
 * in.integrity_key =               # hex, for non-AEAD only
 * out.spi = c0000001
 * out.key = ...
 * local_ts = 198.18.0.2/32         # comma-separated prefixes
 * remote_ts = 203.0.113.0/24
 * split_include =                  # comma-separated; what is sent into the SA, when not remote_ts (as a
 *                                  # profile's split_include beside the gateway's narrower TSr)
 * keepalive = 20                   # seconds, 0: none
 * tun_name = mvpn0                 # the virtual NIC
 * tun_address = 198.18.0.2/32      # comma-separated
 * tun_routes = 203.0.113.0/24      # comma-separated
 * tun_mtu = 1400
 * tun_offload = true               # TSO/checksum offload on the TUN (VnicConfig.offload)
 * </pre>
 *
 * The two ends use mirrored files: one end's {@code in} is the other's {@code out}.
 */
public final class StaticSaFile {
    private final Properties p;

    private StaticSaFile(Properties p) {
        this.p = p;
    }

    public static StaticSaFile read(Reader r) throws IOException {
        Properties p = new Properties();
        p.load(r);
        return new StaticSaFile(p);
    }

    public InetSocketAddress peer() {
        String v = required("peer");
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("peer needs address:port: " + v);
        }
        String host = v.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(IpAddresses.parse(host), Integer.parseInt(v.substring(colon + 1)));
    }

    public int localPort() {
        return Integer.parseInt(p.getProperty("local_port", "4500").trim());
    }

    public int childSaId() {
        return Integer.parseInt(p.getProperty("child_sa", "1").trim());
    }

    public Duration keepalive() {
        return Duration.ofSeconds(Long.parseLong(p.getProperty("keepalive", "0").trim()));
    }

    /** The SA for one direction; the caller owns (and closes) it. */
    public EspSa sa(SaDirection direction) {
        String prefix = direction == SaDirection.INBOUND ? "in." : "out.";
        EncryptionAlgorithm enc = EncryptionAlgorithm.valueOf(required("encryption"));
        IntegrityAlgorithm integ = IntegrityAlgorithm.valueOf(p.getProperty("integrity", "NONE").trim());
        byte[] key = hex(required(prefix + "key"));
        String ik = p.getProperty(prefix + "integrity_key", "").trim();
        byte[] integKey = ik.isEmpty() ? null : hex(ik);
        EspKeys keys = EspKeys.of(enc, key, integKey);
        java.util.Arrays.fill(key, (byte) 0);
        if (integKey != null) {
            java.util.Arrays.fill(integKey, (byte) 0);
        }
        int spi = (int) Long.parseLong(required(prefix + "spi"), 16);
        int window = Integer.parseInt(p.getProperty("replay_window", Integer.toString(EspSa.DEFAULT_REPLAY_WINDOW)).trim());
        boolean esn = Boolean.parseBoolean(p.getProperty("esn", "false").trim());
        return new EspSa(childSaId(), spi, direction, enc, integ, keys, esn, window,
                new UdpEncapsulation(localPort(), peer().getPort()), EspLifetime.UNLIMITED, 0);
    }

    public List<TrafficSelector> localSelectors() {
        return selectors("local_ts");
    }

    public List<TrafficSelector> remoteSelectors() {
        return selectors("remote_ts");
    }

    /**
     * Protect local_ts <-> remote_ts (or split_include, outbound) through the Child SA, drop everything
     * else (kill switch).
     */
    public SpdConfiguration spd() {
        List<TrafficSelector> include = p.getProperty("split_include", "").isBlank() ? List.of() : selectors("split_include");
        return SpdConfiguration.remoteAccess(childSaId(), localSelectors(), remoteSelectors(),
                new SplitTunnelPolicy(include, List.of(), true));
    }

    /** The virtual NIC this end opens. */
    public VnicConfig vnicConfig() {
        VnicConfig.Builder b = VnicConfig.builder().name(p.getProperty("tun_name", "mvpn0").trim())
                .mtu(Integer.parseInt(p.getProperty("tun_mtu", "1400").trim()))
                .offload(Boolean.parseBoolean(p.getProperty("tun_offload", "true").trim()));
        for (String a : required("tun_address").split(",")) {
            b.address(IpPrefix.parse(a));
        }
        for (String r : p.getProperty("tun_routes", "").split(",")) {
            if (!r.isBlank()) {
                b.route(IpPrefix.parse(r));
            }
        }
        return b.build();
    }

    private List<TrafficSelector> selectors(String key) {
        List<TrafficSelector> out = new ArrayList<>();
        for (String s : required(key).split(",")) {
            if (!s.isBlank()) {
                out.add(TrafficSelector.parse(s.trim()));
            }
        }
        return out;
    }

    private String required(String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("static SA file lacks " + key);
        }
        return v.trim();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(":", "").replace(" ", ""));
    }
}
