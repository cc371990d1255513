package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Our data path on both ends (client namespace and gateway namespace), static SAs, real TUN
 * devices, the real esp and filter code: ping and a 100 MB TCP transfer from the client to the
 * LAN host behind the gateway, SHA-256 compared on arrival, for every cipher.
 */
@SystemTest(tag = "dpstatic", requires = {"tun", "ping"})
class StaticTunnelIT {
    static final long TRANSFER_BYTES = 100L * 1024 * 1024;
    private static TestNetwork net;

    @BeforeAll
    static void network(SystemTestContext ctx) {
        net = ctx.standardNetwork();
    }

    static Stream<Arguments> ciphers() {
        return Stream.of(
                Arguments.of(EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE),
                Arguments.of(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE),
                Arguments.of(EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE),
                Arguments.of(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_256_128),
                Arguments.of(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128),
                Arguments.of(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_384_192),
                Arguments.of(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_512_256));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ciphers")
    void pingAndChecksummedTransfer(EncryptionAlgorithm enc, IntegrityAlgorithm integ, SystemTestContext ctx) throws IOException {
        Path dir = ctx.outputDir(enc + "-" + integ);
        StaticPair pair = StaticPair.write(dir, enc, integ, new SecureRandom());
        NsProcess gw = ctx.register(StaticPair.start(net.gateway(), "dp-gw", pair.gatewayFile, dir.resolve("gw-state")));
        NsProcess cli = ctx.register(StaticPair.start(net.client(), "dp-cli", pair.clientFile, dir.resolve("cli-state")));
        gw.awaitOutput("READY mvpn0", Duration.ofSeconds(30));
        cli.awaitOutput("READY mvpn0", Duration.ofSeconds(30));

        CommandResult ping = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5",
                TestNetwork.LAN_HOST_IP);
        assertTrue(ping.stdout().contains("3 received"), ping.stdout() + ping.stderr());

        NsProcess sink = ctx.register(net.lan().start("sink-" + enc + "-" + integ, StaticPair.java(TcpTransfer.class,
                "sink", "5001").toArray(new String[0])));
        sink.awaitOutput("LISTENING", Duration.ofSeconds(30));
        List<String> source = StaticPair.java(TcpTransfer.class, "source", TestNetwork.LAN_HOST_IP, "5001",
                Long.toString(TRANSFER_BYTES), "42");
        CommandResult sent = net.client().exec(Duration.ofSeconds(300), source.toArray(new String[0]));
        String received = sink.awaitOutput("SINK \\d+ [0-9a-f]{64}", Duration.ofSeconds(60));
        String expected = sent.stdout().trim().replace("SOURCE", "SINK");
        assertTrue(expected.startsWith("SINK " + TRANSFER_BYTES + " "), sent.stdout() + sent.stderr());
        assertTrue(received.contains(expected), "checksum on arrival: " + received + " vs sent " + expected);

        cli.stop();
        gw.stop();
        Map<String, Long> c = StaticPair.counters(dir.resolve("cli-state"));
        Map<String, Long> g = StaticPair.counters(dir.resolve("gw-state"));
        assertTrue(c.getOrDefault("sent", 0L) > TRANSFER_BYTES / 1400, "client sent the transfer as ESP: " + c);
        assertEquals(0L, c.getOrDefault("drop.DECRYPT_FAILED", 0L) + g.getOrDefault("drop.DECRYPT_FAILED", 0L),
                c + " / " + g);
        assertEquals(0L, c.getOrDefault("drop.UNKNOWN_SPI", 0L) + g.getOrDefault("drop.UNKNOWN_SPI", 0L));
        assertTrue(g.getOrDefault("to_nic", 0L) > TRANSFER_BYTES / 1400, "gateway delivered to its TUN: " + g);
    }

    /** ESP over IPv6 carrying IPv6 and IPv4: ping both, and a checksummed IPv6 TCP transfer (TSO6, GRO6). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ipv6Ciphers")
    void ipv6InsideAndOutside(EncryptionAlgorithm enc, IntegrityAlgorithm integ, SystemTestContext ctx) throws IOException {
        Path dir = ctx.outputDir("v6-" + enc + "-" + integ);
        StaticPair pair = StaticPair.write(dir, enc, integ, new SecureRandom(), true);
        NsProcess gw = ctx.register(StaticPair.start(net.gateway(), "dp6-gw", pair.gatewayFile, dir.resolve("gw-state")));
        NsProcess cli = ctx.register(StaticPair.start(net.client(), "dp6-cli", pair.clientFile, dir.resolve("cli-state")));
        gw.awaitOutput("READY mvpn0", Duration.ofSeconds(30));
        cli.awaitOutput("READY mvpn0", Duration.ofSeconds(30));

        for (String target : List.of(TestNetwork.LAN_HOST_IP6, TestNetwork.LAN_HOST_IP)) {
            CommandResult ping = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5", target);
            assertTrue(ping.stdout().contains("3 received"), target + ": " + ping.stdout() + ping.stderr());
        }
        NsProcess sink = ctx.register(net.lan().start("sink6-" + enc, StaticPair.java(TcpTransfer.class, "sink", "5002")
                .toArray(new String[0])));
        sink.awaitOutput("LISTENING", Duration.ofSeconds(30));
        CommandResult sent = net.client().exec(Duration.ofSeconds(300), StaticPair.java(TcpTransfer.class, "source",
                TestNetwork.LAN_HOST_IP6, "5002", Long.toString(50L << 20), "6").toArray(new String[0]));
        String received = sink.awaitOutput("SINK \\d+ [0-9a-f]{64}", Duration.ofSeconds(60));
        assertEquals(sent.stdout().trim().replace("SOURCE", "SINK"), received.trim(), "checksum on arrival");
        cli.stop();
        gw.stop();
        Map<String, Long> c = StaticPair.counters(dir.resolve("cli-state"));
        Map<String, Long> g = StaticPair.counters(dir.resolve("gw-state"));
        assertEquals(0L, c.getOrDefault("drop.DECRYPT_FAILED", 0L) + g.getOrDefault("drop.DECRYPT_FAILED", 0L)
                + g.getOrDefault("drop.INBOUND_POLICY", 0L), c + " / " + g);
    }

    /**
     * Issue 12, finding 7 (RFC 4301 §5.2): a decrypted packet is checked against the selectors the Child SA was
     * negotiated for, not against what the client sends into it. The client sends 203.0.113.0/24 into the SA (a
     * profile's split_include) while the SA's TSr is 203.0.113.0/25; the gateway end, our own data path with
     * 203.0.113.0/24 as its local selectors, plays a gateway that sends outside what it agreed (strongSwan's
     * data path never does, so it cannot play this part). The echo requests to 203.0.113.200 reach the LAN host;
     * its replies come back through the SA and are dropped and counted as INBOUND_POLICY at the client.
     */
    @org.junit.jupiter.api.Test
    void aDecryptedPacketFromOutsideTheNegotiatedSelectorsIsDroppedAndCounted(SystemTestContext ctx) throws IOException {
        String outsideTsr = "203.0.113.200";
        Path dir = ctx.outputDir("outside-ts");
        StaticPair pair = StaticPair.write(dir, EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE, new SecureRandom());
        String client = Files.readString(pair.clientFile);
        Files.writeString(pair.clientFile, client.replace("remote_ts=" + TestNetwork.LAN_NET + "\n",
                "remote_ts=203.0.113.0/25\nsplit_include=" + TestNetwork.LAN_NET + "\n"));
        net.lan().address("eth0", outsideTsr + "/24");
        try {
            NsProcess gw = ctx.register(StaticPair.start(net.gateway(), "dpts-gw", pair.gatewayFile, dir.resolve("gw-state")));
            NsProcess cli = ctx.register(StaticPair.start(net.client(), "dpts-cli", pair.clientFile, dir.resolve("cli-state")));
            gw.awaitOutput("READY mvpn0", Duration.ofSeconds(30));
            cli.awaitOutput("READY mvpn0", Duration.ofSeconds(30));

            CommandResult inside = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5",
                    TestNetwork.LAN_HOST_IP);
            assertTrue(inside.stdout().contains("3 received"), "inside TSr: " + inside.stdout() + inside.stderr());
            CommandResult outside = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W", "2",
                    outsideTsr);
            assertTrue(outside.stdout().contains(" 0 received"), "outside TSr, answered: " + outside.stdout() + outside.stderr());

            cli.stop();
            gw.stop();
            Map<String, Long> c = StaticPair.counters(dir.resolve("cli-state"));
            Map<String, Long> g = StaticPair.counters(dir.resolve("gw-state"));
            assertEquals(0L, g.getOrDefault("drop.INBOUND_POLICY", 0L), "the gateway took the requests: " + g);
            assertEquals(5L, c.getOrDefault("drop.INBOUND_POLICY", 0L), "the five replies, dropped and counted: " + c);
            assertEquals(0L, c.getOrDefault("drop.DECRYPT_FAILED", 0L), "they decrypted fine: " + c);
        } finally {
            net.lan().ip("addr", "del", outsideTsr + "/24", "dev", "eth0");
        }
    }

    static Stream<Arguments> ipv6Ciphers() {
        return Stream.of(Arguments.of(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE),
                Arguments.of(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_256_128));
    }

    /** Mirrored static SA files for the client and the gateway, random keys and SPIs. */
    static final class StaticPair {
        final Path clientFile;
        final Path gatewayFile;

        private StaticPair(Path clientFile, Path gatewayFile) {
            this.clientFile = clientFile;
            this.gatewayFile = gatewayFile;
        }

        static StaticPair write(Path dir, EncryptionAlgorithm enc, IntegrityAlgorithm integ, SecureRandom random) throws IOException {
            return write(dir, enc, integ, random, false);
        }

        /**
         * With {@code ipv6}: ESP travels over IPv6 between 2001:db8:100::2 and ::1, and the tunnel
         * carries IPv6 (2001:db8:18::2 <-> 2001:db8:113::/64) besides IPv4.
         */
        static StaticPair write(Path dir, EncryptionAlgorithm enc, IntegrityAlgorithm integ, SecureRandom random, boolean ipv6)
                throws IOException {
            Files.createDirectories(dir);
            HexFormat hex = HexFormat.of();
            byte[] k1 = new byte[enc.keyLength() + enc.saltLength()];
            byte[] k2 = new byte[k1.length];
            byte[] i1 = new byte[integ.keyLength()];
            byte[] i2 = new byte[integ.keyLength()];
            random.nextBytes(k1);
            random.nextBytes(k2);
            random.nextBytes(i1);
            random.nextBytes(i2);
            String toGw = String.format("%08x", 0xc0000000 | random.nextInt(0x3fffffff));
            String toCli = String.format("%08x", 0xc0000000 | random.nextInt(0x3fffffff));
            String common = "encryption=" + enc + "\nintegrity=" + integ + "\nchild_sa=1\nlocal_port=4500\n";
            String gwPeer = ipv6 ? "[" + TestNetwork.GATEWAY_IP6 + "]" : TestNetwork.GATEWAY_IP;
            String cliPeer = ipv6 ? "[" + TestNetwork.CLIENT_IP6 + "]" : TestNetwork.CLIENT_IP;
            String vip6 = ipv6 ? ",2001:db8:18::2/128" : "";
            String lan6 = ipv6 ? ",2001:db8:113::/64" : "";
            String cli = common + "peer=" + gwPeer + ":4500\n"
                    + "out.spi=" + toGw + "\nout.key=" + hex.formatHex(k1) + "\nout.integrity_key=" + hex.formatHex(i1) + "\n"
                    + "in.spi=" + toCli + "\nin.key=" + hex.formatHex(k2) + "\nin.integrity_key=" + hex.formatHex(i2) + "\n"
                    + "local_ts=198.18.0.2/32" + vip6 + "\nremote_ts=" + TestNetwork.LAN_NET + lan6 + "\n"
                    + "tun_name=mvpn0\ntun_address=198.18.0.2/32" + vip6 + "\ntun_routes=" + TestNetwork.LAN_NET + lan6
                    + "\ntun_mtu=1400\n";
            String gw = common + "peer=" + cliPeer + ":4500\n"
                    + "out.spi=" + toCli + "\nout.key=" + hex.formatHex(k2) + "\nout.integrity_key=" + hex.formatHex(i2) + "\n"
                    + "in.spi=" + toGw + "\nin.key=" + hex.formatHex(k1) + "\nin.integrity_key=" + hex.formatHex(i1) + "\n"
                    + "local_ts=" + TestNetwork.LAN_NET + lan6 + "\nremote_ts=198.18.0.2/32" + vip6 + "\n"
                    + "tun_name=mvpn0\ntun_address=198.18.0.1/32" + (ipv6 ? ",2001:db8:18::1/128" : "")
                    + "\ntun_routes=198.18.0.2/32" + vip6 + "\ntun_mtu=1400\n";
            Path c = dir.resolve("client.sa");
            Path g = dir.resolve("gateway.sa");
            Files.writeString(c, cli);
            Files.writeString(g, gw);
            return new StaticPair(c, g);
        }

        static NsProcess start(Netns ns, String name, Path saFile, Path state) {
            return start(ns, name, saFile, state, List.of());
        }

        /** With extra JVM options (benchmarks: e.g. the esp bundle's AES-GCM implementation). */
        static NsProcess start(Netns ns, String name, Path saFile, Path state, List<String> jvmOptions) {
            List<String> command = java(StaticTunnelMain.class, saFile.toString(), state.toString());
            command.addAll(1, jvmOptions);
            return ns.start(name, command.toArray(new String[0]));
        }

        static List<String> java(Class<?> main, String... args) {
            List<String> c = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                    System.getProperty("java.class.path")));
            String spd = System.getProperty("mvpn.spd.factory");
            if (spd != null) {
                c.add(1, "-Dmvpn.spd.factory=" + spd);
            }
            c.add(main.getName());
            c.addAll(List.of(args));
            return c;
        }

        static Map<String, Long> counters(Path state) throws IOException {
            return CountersText.parse(Files.readString(state.resolve("counters.txt")));
        }
    }
}
