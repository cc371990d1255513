package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestLogger;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.vnic.TunVirtualNicFactory;

/**
 * Two data paths in one JVM, each built on a thread inside its namespace (client, gateway):
 * a rekey during a TCP transfer loses nothing (new inbound SAs first on both ends, then the
 * outbound switch, then the old inbound SAs go), and a captured ESP packet re-injected is
 * counted as a replay, a corrupted one as an ICV failure.
 */
@SystemTest(tag = "dprekey", requires = {"tun", "ping", "tcpdump"})
class RekeyAndReplayIT {

    /** One end: NIC, engine and tunnel, closed in reverse. */
    record End(VirtualNic nic, DataPathEngine engine, DataPathTunnel tunnel) implements AutoCloseable {
        @Override
        public void close() {
            tunnel.close();
            engine.close();
            nic.close();
        }
    }

    private static End open(String ns, Path saFile, Path state) throws Exception {
        return open(ns, saFile, state, Duration.ZERO);
    }

    private static End open(String ns, Path saFile, Path state, Duration keepalive) throws Exception {
        StaticSaFile f;
        try (var r = Files.newBufferedReader(saFile)) {
            f = StaticSaFile.read(r);
        }
        EspTransformFactory esp = new org.mobilevpn.esp.EspTransformFactoryComponent();
        SecurityPolicyDatabaseFactory spd = new org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent();
        return InNamespace.call(ns, () -> {
            VirtualNic nic = TunVirtualNicFactory.standalone(Path.of("/dev/net/tun"), state.resolve("resolv.conf"),
                    state.resolve("vnic"), "mvpn", new TestLogger()).open(f.vnicConfig());
            DataPathEngine engine = new DataPathEngine(esp, spd, null, 0, f.localPort());
            DataPathTunnel t = engine.openTunnel(new TunnelConfig(nic, f.peer(), f.spd(), keepalive, EspSaListener.NONE));
            try (EspSa in = f.sa(SaDirection.INBOUND); EspSa out = f.sa(SaDirection.OUTBOUND)) {
                t.installSaPair(in, out);
            }
            return new End(nic, engine, t);
        });
    }

    private static StaticSaFile file(Path p) throws IOException {
        return StaticSaFile.read(new StringReader(Files.readString(p)));
    }

    @Test
    void rekeyDuringTransferLosesNothing(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Path dir = ctx.outputDir("rekey");
        StaticTunnelIT.StaticPair first = StaticTunnelIT.StaticPair.write(dir.resolve("old"), EncryptionAlgorithm.AES_GCM_16_128,
                IntegrityAlgorithm.NONE, new SecureRandom());
        StaticTunnelIT.StaticPair second = StaticTunnelIT.StaticPair.write(dir.resolve("new"), EncryptionAlgorithm.AES_GCM_16_128,
                IntegrityAlgorithm.NONE, new SecureRandom());
        try (End gw = ctx.register(open(net.gateway().name(), first.gatewayFile, dir.resolve("gw")));
                End cli = ctx.register(open(net.client().name(), first.clientFile, dir.resolve("cli")))) {
            CommandResult ping = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "2", "-i", "0.2", "-W", "5",
                    TestNetwork.LAN_HOST_IP);
            assertTrue(ping.stdout().contains("2 received"), ping.stdout());

            NsProcess sink = ctx.register(net.lan().start("sink", StaticTunnelIT.StaticPair.java(TcpTransfer.class, "sink",
                    "5001").toArray(new String[0])));
            sink.awaitOutput("LISTENING", Duration.ofSeconds(30));
            NsProcess source = ctx.register(net.client().start("source", StaticTunnelIT.StaticPair.java(TcpTransfer.class,
                    "source", TestNetwork.LAN_HOST_IP, "5001", Long.toString(200L << 20), "7").toArray(new String[0])));
            awaitTraffic(cli, 2000);

            StaticSaFile newCli = file(second.clientFile);
            StaticSaFile newGw = file(second.gatewayFile);
            try (EspSa in = newGw.sa(SaDirection.INBOUND)) {
                gw.tunnel().installInbound(in);
            }
            try (EspSa in = newCli.sa(SaDirection.INBOUND)) {
                cli.tunnel().installInbound(in);
            }
            try (EspSa out = newCli.sa(SaDirection.OUTBOUND)) {
                cli.tunnel().installOutbound(out);
            }
            try (EspSa out = newGw.sa(SaDirection.OUTBOUND)) {
                gw.tunnel().installOutbound(out);
            }
            long oldCliIn = inboundPackets(cli, file(first.clientFile).sa(SaDirection.INBOUND).spi());
            awaitInbound(gw, newGw.sa(SaDirection.INBOUND).spi(), 2000);
            awaitInbound(cli, newCli.sa(SaDirection.INBOUND).spi(), 100);
            gw.tunnel().removeInbound(file(first.gatewayFile).sa(SaDirection.INBOUND).spi());
            cli.tunnel().removeInbound(file(first.clientFile).sa(SaDirection.INBOUND).spi());

            String sent = source.awaitOutput("SOURCE \\d+ [0-9a-f]{64}", Duration.ofSeconds(300));
            String received = sink.awaitOutput("SINK \\d+ [0-9a-f]{64}", Duration.ofSeconds(60));
            assertEquals(sent.trim().replace("SOURCE", "SINK"), received.trim());

            DataPathCounters c = cli.engine().counters();
            DataPathCounters g = gw.engine().counters();
            for (DropReason r : List.of(DropReason.UNKNOWN_SPI, DropReason.DECRYPT_FAILED, DropReason.NO_OUTBOUND_SA)) {
                assertEquals(0, c.dropped(r) + g.dropped(r), r + ": " + c + " / " + g);
            }
            assertTrue(oldCliIn > 0, "the old SA carried traffic before the rekey");
            assertEquals(List.of(newCli.sa(SaDirection.INBOUND).spi()), inboundSpis(c), "only the new inbound SA is left");
        }
    }

    @Test
    void reinjectedEspIsAReplayAndACorruptedOneAnIcvFailure(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Path dir = ctx.outputDir("replay");
        StaticTunnelIT.StaticPair pair = StaticTunnelIT.StaticPair.write(dir, EncryptionAlgorithm.AES_GCM_16_256,
                IntegrityAlgorithm.NONE, new SecureRandom());
        Path pcap = dir.resolve("esp.pcap");
        try (End gw = ctx.register(open(net.gateway().name(), pair.gatewayFile, dir.resolve("gw")));
                End cli = ctx.register(open(net.client().name(), pair.clientFile, dir.resolve("cli")))) {
            NsProcess capture = ctx.register(net.client().start("tcpdump", "tcpdump", "-i", "wan0", "-U",
                    "--immediate-mode", "-c", "1", "-w", pcap.toString(), "udp and src host " + TestNetwork.GATEWAY_IP
                            + " and src port 4500 and greater 60"));
            capture.awaitOutput("listening on", Duration.ofSeconds(10));
            CommandResult ping = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5",
                    TestNetwork.LAN_HOST_IP);
            assertTrue(ping.stdout().contains("3 received"), ping.stdout());
            assertTrue(capture.waitFor(Duration.ofSeconds(10)).isPresent(), "tcpdump caught a packet");
            byte[] esp = udpPayload(Files.readAllBytes(pcap));
            int spi = file(pair.clientFile).sa(SaDirection.INBOUND).spi();
            assertEquals(spi, ByteBuffer.wrap(esp).getInt(), "the captured datagram is ESP of the client's inbound SA");

            inject(net.gateway().name(), esp);
            awaitOutcome(cli, spi, EspStatus.REPLAY, 1);
            byte[] corrupted = esp.clone();
            corrupted[corrupted.length - 1] ^= 1;
            ByteBuffer.wrap(corrupted).putInt(4, ByteBuffer.wrap(esp).getInt(4) + 1000); // fresh: the window passes it to the ICV check
            inject(net.gateway().name(), corrupted);
            awaitOutcome(cli, spi, EspStatus.ICV_FAIL, 1);
            assertEquals(2, cli.engine().counters().dropped(DropReason.DECRYPT_FAILED));
        }
    }

    @Test
    void anIdleTunnelSendsNatKeepalivesThatThePeerIgnores(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Path dir = ctx.outputDir("keepalive");
        StaticTunnelIT.StaticPair pair = StaticTunnelIT.StaticPair.write(dir, EncryptionAlgorithm.AES_GCM_16_128,
                IntegrityAlgorithm.NONE, new SecureRandom());
        try (End gw = ctx.register(open(net.gateway().name(), pair.gatewayFile, dir.resolve("gw")));
                End cli = ctx.register(open(net.client().name(), pair.clientFile, dir.resolve("cli"),
                        Duration.ofMillis(200)))) {
            for (int i = 0; i < 300 && gw.engine().counters().datagramsReceived() < 3; i++) {
                Thread.sleep(100);
            }
            DataPathCounters c = cli.engine().counters();
            DataPathCounters g = gw.engine().counters();
            assertTrue(c.keepalivesSent() >= 3, "keepalives sent: " + c);
            assertEquals(0, c.datagramsSent(), "no ESP went out: the tunnel was idle");
            assertTrue(g.datagramsReceived() >= 3, "the peer received them: " + g);
            assertEquals(0, g.dropped(DropReason.MALFORMED) + g.dropped(DropReason.UNKNOWN_SPI), "0xFF is not ESP: " + g);
            assertEquals(0, g.packetsToNic());
        }
    }

    private static void inject(String ns, byte[] datagram) throws Exception {
        InNamespace.call(ns, () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.send(ByteBuffer.wrap(datagram), new InetSocketAddress(TestNetwork.CLIENT_IP, 4500));
            }
            return null;
        });
    }

    /** The UDP payload of the first packet of a pcap file (Ethernet, IPv4). */
    private static byte[] udpPayload(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int caplen = b.getInt(24 + 8);
        int frame = 24 + 16;
        ByteBuffer f = ByteBuffer.wrap(pcap, frame, caplen).slice();
        int ip = 14;
        int ihl = (f.get(ip) & 0x0f) * 4;
        int udp = ip + ihl;
        int udpLen = f.getShort(udp + 4) & 0xffff;
        byte[] out = new byte[udpLen - 8];
        f.position(udp + 8);
        f.get(out);
        return out;
    }

    private static SaCounters inbound(DataPathCounters c, int spi) {
        return c.sas().stream().filter(s -> s.direction() == SaDirection.INBOUND && s.spi() == spi).findFirst()
                .orElseThrow(() -> new AssertionError("no inbound SA " + Integer.toHexString(spi) + " in " + c));
    }

    private static List<Integer> inboundSpis(DataPathCounters c) {
        return c.sas().stream().filter(s -> s.direction() == SaDirection.INBOUND).map(SaCounters::spi).toList();
    }

    private static long inboundPackets(End e, int spi) {
        return inbound(e.engine().counters(), spi).packets();
    }

    /** Polls counters (no timing assertion: the wait ends when the traffic is there, or fails after a minute). */
    private static void awaitInbound(End e, int spi, long packets) throws InterruptedException {
        for (int i = 0; i < 600 && inboundPackets(e, spi) < packets; i++) {
            Thread.sleep(100);
        }
        assertTrue(inboundPackets(e, spi) >= packets, "SA " + Integer.toHexString(spi) + " got traffic");
    }

    private static void awaitTraffic(End e, long packets) throws InterruptedException {
        for (int i = 0; i < 600 && e.engine().counters().datagramsSent() < packets; i++) {
            Thread.sleep(100);
        }
    }

    private static void awaitOutcome(End e, int spi, EspStatus s, long n) throws InterruptedException {
        for (int i = 0; i < 100 && inbound(e.engine().counters(), spi).outcomes().getOrDefault(s, 0L) < n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, inbound(e.engine().counters(), spi).outcomes().getOrDefault(s, 0L), s + ": " + e.engine().counters());
    }
}
