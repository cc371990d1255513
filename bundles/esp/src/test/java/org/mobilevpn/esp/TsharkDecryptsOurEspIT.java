package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/**
 * Independent check: Wireshark's ESP dissector (another implementation) decrypts the ESP-in-UDP packets
 * our encryptor produced, given only the keys, and finds our inner packets with a good ICV. tshark 4.0
 * (Debian 12) knows AES-GCM and AES-CBC with HMAC-SHA2 but not ChaCha20-Poly1305 or ESN; those are
 * checked against the RFC 7634 example and the draft-mcgrew-gcm-test ESN case in the unit tests.
 */
class TsharkDecryptsOurEspIT {

    private static final String CLIENT = "198.51.100.2";
    private static final String GATEWAY = "198.51.100.1";

    static Stream<TestSas.Suite> suitesTsharkKnows() {
        return TestSas.suites().filter(s -> s.encryption() != EncryptionAlgorithm.CHACHA20_POLY1305);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suitesTsharkKnows")
    void tsharkFindsOurInnerPacketsWithTheRightKeysOnly(TestSas.Suite suite, @TempDir Path dir) throws Exception {
        Tshark tshark = Tshark.require();
        Path capture = dir.resolve("esp.pcap");
        EspTransformFactoryComponent factory = new EspTransformFactoryComponent();
        try (PcapWriter pcap = new PcapWriter(capture);
             EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, false), EspSaListener.NONE)) {
            byte[] client = InetAddress.getByName(CLIENT).getAddress();
            byte[] gateway = InetAddress.getByName(GATEWAY).getAddress();
            for (int seq = 1; seq <= 3; seq++) {
                pcap.udp(client, 4500, gateway, 4500, encrypt(out, TestPackets.icmpEcho(0x4242, seq, 56 + seq)));
            }
            pcap.udp(client, 4500, gateway, 4500, encrypt(out, TestPackets.ipv6(300, 5)));
            pcap.udp(client, 4500, gateway, 4500, new byte[] {UdpEncapsulation.NAT_KEEPALIVE_BYTE});
        }

        List<String> fields = List.of("-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number", "-e", "esp.spi", "-e", "esp.sequence", "-e", "ip.dst", "-e", "icmp.seq",
                "-e", "ipv6.dst", "-e", "esp.icv_good", "-e", "esp.protocol", "-e", "udpencap.nat_keepalive");
        List<String> lines = tshark.read(capture, arguments(suite, TestSas.keys(suite, 42), fields));
        assertEquals(5, lines.size(), String.join("\n", lines));
        for (int frame = 1; frame <= 3; frame++) {
            String[] f = lines.get(frame - 1).split("\\|", -1);
            assertEquals("0xc0ffee01", f[1], lines.get(frame - 1));
            assertEquals(String.valueOf(frame), f[2]);
            assertEquals(GATEWAY + ",203.0.113.2", f[3], "outer and decrypted inner destination");
            assertEquals(String.valueOf(frame), f[4], "ICMP echo sequence inside");
            assertEquals("0x04", f[7], "next header IPv4");
            assertEquals("1", f[6], "tshark verified the ICV (GCM tag or HMAC)");
        }
        String[] v6 = lines.get(3).split("\\|", -1);
        assertEquals("2001:db8:2::2", v6[5], lines.get(3));
        assertEquals("0x29", v6[7], "next header IPv6");
        assertEquals("1", v6[6]);
        assertFalse(lines.get(4).split("\\|", -1)[8].isEmpty(), "the 0xFF datagram is a NAT-keepalive: " + lines.get(4));

        // The same capture with a wrong key shows no inner packet: the check above can fail.
        EspKeys wrong = TestSas.keys(suite, 43);
        List<String> wrongLines = tshark.read(capture, arguments(suite, wrong, fields));
        assertTrue(wrongLines.stream().noneMatch(l -> l.contains("203.0.113.2")), String.join("\n", wrongLines));
    }

    private static byte[] encrypt(EspEncryptor out, byte[] inner) {
        ByteBuffer esp = ByteBuffer.allocate(out.outputLength(inner.length));
        assertEquals(EspStatus.OK, out.encrypt(ByteBuffer.wrap(inner), esp));
        return esp.array();
    }

    /** tshark options with one ESP SA (independent-checks.md: uat:esp_sa). */
    private static List<String> arguments(TestSas.Suite suite, EspKeys keys, List<String> fields) {
        HexFormat hex = HexFormat.of();
        byte[] keyAndSalt = concat(keys.encryptionKey().toByteArray(), keys.salt().toByteArray());
        String encryption = suite.encryption().isAead() ? "AES-GCM with 16 octet ICV [RFC4106]" : "AES-CBC [RFC3602]";
        String authentication;
        String authenticationKey = "";
        if (suite.integrity() == IntegrityAlgorithm.NONE) {
            authentication = "NULL";
        } else {
            authentication = switch (suite.integrity()) {
                case HMAC_SHA2_256_128 -> "HMAC-SHA-256-128 [RFC4868]";
                case HMAC_SHA2_384_192 -> "HMAC-SHA-384-192 [RFC4868]";
                default -> "HMAC-SHA-512-256 [RFC4868]";
            };
            authenticationKey = "0x" + hex.formatHex(keys.integrityKey().toByteArray());
        }
        String sa = String.join(",", quote("IPv4"), quote(CLIENT), quote(GATEWAY), quote("0xc0ffee01"),
                quote(encryption), quote("0x" + hex.formatHex(keyAndSalt)), quote(authentication), quote(authenticationKey));
        List<String> args = new ArrayList<>(List.of(
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + sa));
        args.addAll(fields);
        return args;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
