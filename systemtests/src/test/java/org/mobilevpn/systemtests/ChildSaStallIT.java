package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.ConnectionLifecycleIT.awaitChild;
import static org.mobilevpn.systemtests.ConnectionLifecycleIT.parseEvents;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.systemtests.ConnectionLifecycleIT.EventRow;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.Nftables;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A Child SA that stops carrying traffic while its IKE SA still answers, on the runtime process against
 * strongSwan: the gateway namespace drops ESP-in-UDP by SPI with nftables while a ping runs from the client
 * to the LAN host. The rule matches the 4 SPI bytes right after the UDP header on port 4500. IKE on that
 * port starts with the zero non-ESP marker there (RFC 3948 §2.2), so IKE still passes and liveness checks
 * are answered.
 *
 * <p>With {@code -Dmvpn.stall.detection=off} the runtime starts with {@code child.sa.liveness = false}: then
 * both tests fail (the connection stays CONNECTED while nothing comes back), which shows that they test the
 * detection and not something else.
 */
@SystemTest(tag = "stall", requires = {"java", "tun", "ping", "charon", "swanctl", "nft"})
class ChildSaStallIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final int DPD_SECONDS = 3;
    /**
     * DEGRADED is due dpd_delay after the first unanswered packet, plus at most one sample (750 ms at this
     * dpd_delay). The rest is margin for a machine that several builds share (2 cores) and for the
     * event's delivery.
     */
    private static final Duration DEGRADED_WITHIN = Duration.ofSeconds(DPD_SECONDS + 12);
    /** A rekey and a reconnect each take well under a second here; generous for a loaded machine. */
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(40);
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final String TABLE = "mvpn_stall";

    /** The tunnel under test: gateway, runtime and a ping from the client to the LAN host that runs throughout. */
    private record Setup(TestNetwork net, StrongSwanGateway gw, RuntimeProcess runtime) {
    }

    @Test
    void aChildSaWhosePacketsTheGatewayDropsIsDegradedAndANewChildSaRepairsItWithoutAReconnect(SystemTestContext ctx)
            throws IOException {
        Setup s = connect(ctx);
        IkeSa before = single(s.gw().listSas());
        String droppedSpi = before.child().spiIn(); // the gateway's inbound SPI: what our ESP packets carry

        Instant blocked = drop(s.gw().netns(), "@th,64,32 0x" + droppedSpi);
        String degraded = s.runtime().awaitOutput("vpn:status office", "DEGRADED (kept up)", DEGRADED_WITHIN);
        assertTrue(degraded.contains("none in for") && degraded.matches("(?s).*degradations\\s+1 .*"), degraded);
        String repaired = s.runtime().awaitOutput("vpn:status office", "CONNECTED (kept up)", REPAIRED_WITHIN);

        ChildSa replacement = awaitChild(s.gw(), c -> !c.spiIn().equals(droppedSpi), Duration.ofSeconds(10));
        assertEquals(before.uniqueId(), single(s.gw().listSas()).uniqueId(), "the same IKE SA at the gateway: no reconnect");
        assertPing(s.net().client(), 5, " through the new Child SA while the rule still drops the old SPI");
        assertTrue(dropped(s.gw().netns()) > 0, "the rule did drop our packets");
        assertTrue(repaired.matches("(?s).*handshakes\\s+1 \\(reconnects after failures: 0\\).*"), repaired);

        String table = s.runtime().execChecked("vpn:events office");
        List<EventRow> events = parseEvents(table);
        List<String> sinceBlocked = events.stream().skip(2).map(EventRow::transition).toList();
        assertEquals("CONNECTED -> DEGRADED (TRAFFIC_STALLED)", sinceBlocked.get(0), table);
        assertEquals("DEGRADED -> CONNECTED (TRAFFIC_FLOWS)", sinceBlocked.get(sinceBlocked.size() - 1), table);
        assertTrue(sinceBlocked.contains("- -> REKEYED (CHILD_SA_REKEYED)"), table);
        assertFalse(table.contains("RECONNECTING"), table);
        Duration toDegraded = Duration.between(blocked, time(events.get(2)));
        assertTrue(toDegraded.compareTo(Duration.ofSeconds(DPD_SECONDS)) >= 0 && toDegraded.compareTo(DEGRADED_WITHIN) <= 0,
                "DEGRADED " + toDegraded.toMillis() + " ms after the rule, dpd_delay " + DPD_SECONDS + " s");
        System.out.println("Child SA " + droppedSpi + " dropped at the gateway: DEGRADED after " + toDegraded.toMillis()
                + " ms, repaired by Child SA " + replacement.spiIn() + "\n" + table);

        String metrics = metrics(s.net().client());
        assertTrue(metrics.contains("mobilevpn_degradations_total{connection=\"office\"} 1"), metrics);
        assertTrue(metrics.contains("mobilevpn_connections{state=\"DEGRADED\"} 0"), metrics);
    }

    @Test
    void whenANewChildSaCannotHelpANewIkeSaIsTriedAndTheStateNeverReadsConnectedWhileEspIsDropped(SystemTestContext ctx)
            throws IOException {
        Setup s = connect(ctx);
        IkeSa before = single(s.gw().listSas());

        Instant blocked = drop(s.gw().netns(), "@th,64,32 != 0"); // every ESP packet, whatever its SPI
        s.runtime().awaitOutput("vpn:status office", "DEGRADED (kept up)", DEGRADED_WITHIN);
        long deadline = System.nanoTime() + REPAIRED_WITHIN.toNanos();
        List<String> transitions = List.of();
        String table = "";
        while (!transitions.contains("RECONNECTING -> DEGRADED (TRAFFIC_STALLED)") && System.nanoTime() < deadline) {
            String status = s.runtime().execChecked("vpn:status office");
            assertFalse(status.contains("CONNECTED (kept up)"), "CONNECTED while every ESP packet is dropped:\n" + status);
            table = s.runtime().execChecked("vpn:events office");
            transitions = parseEvents(table).stream().map(EventRow::transition).toList();
            pause(300);
        }
        assertTrue(transitions.contains("DEGRADED -> RECONNECTING (TRAFFIC_STALLED)"), "no reconnect:\n" + table);
        assertTrue(transitions.contains("RECONNECTING -> DEGRADED (TRAFFIC_STALLED)"),
                "the new tunnel is not trusted before packets come back:\n" + table);
        assertTrue(transitions.indexOf("- -> REKEYED (CHILD_SA_REKEYED)") > transitions.indexOf("CONNECTED -> DEGRADED (TRAFFIC_STALLED)"),
                "a new Child SA was tried first:\n" + table);
        assertNotEquals(before.uniqueId(), single(s.gw().listSas()).uniqueId(), "a new IKE SA at the gateway");
        String status = s.runtime().execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*last error\\s+TRAFFIC_STALLED: .*"), status);

        s.gw().netns().execChecked("nft", "delete", "table", "inet", TABLE);
        Instant unblocked = Instant.now();
        s.runtime().awaitOutput("vpn:status office", "CONNECTED (kept up)", REPAIRED_WITHIN);
        assertPing(s.net().client());
        table = s.runtime().execChecked("vpn:events office");
        List<EventRow> events = parseEvents(table);
        List<String> all = events.stream().map(EventRow::transition).toList();
        int firstDegraded = all.indexOf("CONNECTED -> DEGRADED (TRAFFIC_STALLED)");
        List<Integer> connected = IntStream.range(firstDegraded, all.size()).filter(i -> all.get(i).contains("-> CONNECTED"))
                .boxed().toList();
        assertEquals(List.of(all.size() - 1), connected, "CONNECTED only once, at the end:\n" + table);
        assertEquals("DEGRADED -> CONNECTED (TRAFFIC_FLOWS)", all.get(all.size() - 1), table);
        assertFalse(time(events.get(all.size() - 1)).isBefore(unblocked.minusMillis(5)),
                "CONNECTED only after the rule was gone:\n" + table);
        Duration toDegraded = Duration.between(blocked, time(events.get(firstDegraded)));
        assertTrue(toDegraded.compareTo(DEGRADED_WITHIN) <= 0, toDegraded.toMillis() + " ms");
        System.out.println("every ESP packet dropped at the gateway: DEGRADED after " + toDegraded.toMillis() + " ms\n" + table);
    }

    /** Gateway, runtime (Child SA liveness on unless -Dmvpn.stall.detection=off), CONNECTED, and a ping that runs on. */
    private static Setup connect(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "stall-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        Map<String, String> etc = "off".equals(System.getProperty("mvpn.stall.detection"))
                ? Map.of("org.mobilevpn.policy.cfg", "child.sa.liveness = false\n") : Map.of();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime"), etc));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = " + DPD_SECONDS + "s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        assertPing(net.client());
        ctx.register(net.client().start("ping", "ping", "-i", "0.2", TestNetwork.LAN_HOST_IP));
        return new Setup(net, gw, runtime);
    }

    /** Drops ESP-in-UDP that arrives at the gateway and matches {@code espMatch} on the 4 bytes after the UDP header. */
    private static Instant drop(Netns gateway, String espMatch) {
        Nftables.apply(gateway, "table inet " + TABLE + " {\n  chain input {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    udp dport 4500 " + espMatch + " counter drop\n  }\n}\n");
        return Instant.now();
    }

    /** Packets the rule dropped so far. */
    private static long dropped(Netns gateway) {
        String rules = gateway.execChecked("nft", "list", "table", "inet", TABLE).stdout();
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(rules);
        assertTrue(m.find(), rules);
        return Long.parseLong(m.group(1));
    }

    /** The runtime's Prometheus text, fetched inside the client namespace (its listener is on that loopback). */
    private static String metrics(Netns client) {
        return client.execChecked("python3", "-c", "import urllib.request; print(urllib.request.urlopen("
                + "'http://127.0.0.1:9477/metrics', timeout=10).read().decode())").stdout();
    }

    private static Instant time(EventRow e) {
        return LocalDateTime.parse(e.time(), EVENT_TIME).toInstant(ZoneOffset.UTC);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
