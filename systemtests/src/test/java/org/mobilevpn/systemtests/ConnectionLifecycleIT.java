package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.awaitNoSa;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * How a connection lives through what happens to it, on the real runtime process against a real strongSwan
 * gateway: the EventAdmin events of a connect / gateway death / reconnect as {@code vpn:events} shows them,
 * a profile updated through ConfigAdmin (a new ESP suite on the gateway; an invalid update that leaves the
 * tunnel alone), an autostart profile back after a runtime restart without a failed attempt on the way.
 */
@SystemTest(tag = "pollife", requires = {"java", "tun", "ping", "charon", "swanctl"})
class ConnectionLifecycleIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration AWAIT = Duration.ofSeconds(60);
    /** One row of {@code vpn:events}: time (two words), name, from, to, reason, message (may be empty). */
    private static final Pattern EVENT_ROW = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(.*))?");

    /** One parsed {@code vpn:events} row; {@code time} as shown (UTC, {@code yyyy-MM-dd HH:mm:ss.SSS}). */
    record EventRow(String time, String name, String from, String to, String reason, String message) {
        String transition() {
            return from + " -> " + to + " (" + reason + ")";
        }
    }

    @Test
    void eventsOfAConnectAGatewayDeathAndTheReconnectArriveInTheDocumentedOrder(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "lifecycle-it-" + System.nanoTime();
        SwanctlConf conf = SwanctlConf.gatewayPsk(secret).build();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), conf));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = 3s");
        runtime.awaitOutput("vpn:list", "office", AWAIT);
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));

        ProcessHandle.of(gw.pid()).ifPresent(ProcessHandle::destroyForcibly); // no DELETE: charon is just gone
        runtime.awaitOutput("vpn:status office", "RECONNECTING", AWAIT);
        awaitExit(gw);
        StrongSwanGateway again = ctx.register(StrongSwanGateway.start(net.gateway(), conf));
        runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", AWAIT);
        assertPing(net.client());
        assertEquals(1, again.listSas().size(), again.listSas().toString());

        String table = runtime.execChecked("vpn:events office");
        List<EventRow> events = parseEvents(table);
        // Connection's state machine: a retry after a failure stays RECONNECTING until the tunnel is up again,
        // so no CONNECTING in between; attempts failing while charon is down change no state and post nothing.
        assertEquals(List.of(
                "DISABLED -> CONNECTING (REQUESTED)",
                "CONNECTING -> CONNECTED (ESTABLISHED)",
                "CONNECTED -> RECONNECTING (PEER_GONE)",
                "RECONNECTING -> CONNECTED (ESTABLISHED)"),
                events.stream().map(EventRow::transition).toList(), table);
        assertTrue(events.stream().allMatch(e -> e.name().equals("office")), table);
        System.out.println("vpn:events office after a gateway death and the reconnect:\n" + table);
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*handshakes\\s+2 \\(reconnects after failures: 1\\).*"), status);
        assertTrue(status.matches("(?s).*last error\\s+PEER_GONE: .*"), status);
    }

    @Test
    void aProfileUpdateBringsTheNewSuiteAndAnInvalidUpdateIsReportedWhileTheTunnelStays(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "lifecycle-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                .configure("rw", c -> c.espProposals("aes128gcm16, chacha20poly1305")).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "esp_proposals = aes128gcm16");
        runtime.awaitOutput("vpn:list", "office", AWAIT);
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        ChildSa first = single(gw.listSas()).child();
        assertEquals("AES_GCM_16", first.encrAlg());
        assertEquals(128, first.encrKeysize());

        writeProfile(runtime, secret, "esp_proposals = chacha20poly1305"); // FileInstall -> ConfigAdmin -> csp
        ChildSa second = awaitChild(gw, c -> c.encrAlg().equals("CHACHA20_POLY1305"), AWAIT);
        runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", AWAIT);
        assertTrue(runtime.execChecked("vpn:sas office").contains("CHACHA20_POLY1305"));
        assertPing(net.client());
        List<String> transitions = parseEvents(runtime.execChecked("vpn:events office")).stream()
                .map(EventRow::transition).toList();
        assertTrue(transitions.contains("CONNECTED -> RECONNECTING (PROFILE_UPDATED)"), transitions.toString());

        writeProfile(runtime, secret, "esp_proposals = chacha20poly1305, aes999gcm16");
        String status = runtime.awaitOutput("vpn:status office", "rejected update", AWAIT);
        assertTrue(status.matches("(?s).*rejected update\\s+office: esp_proposals: [^\\n]*aes999gcm16.*"), status);
        assertTrue(status.contains("CONNECTED (kept up)"), status);
        IkeSa sa = single(gw.listSas());
        assertEquals(second.spiIn(), sa.child().spiIn(), "the same Child SA at the gateway: " + sa);
        long before = sa.child().packetsIn();
        assertPing(net.client());
        assertTrue(single(gw.listSas()).child().packetsIn() >= before + 3, "traffic still flows through it");
        System.out.println("vpn:status office after an invalid update:\n" + status);
    }

    @Test
    void anAutostartProfileIsUpAfterARuntimeRestartWithoutAFailedAttempt(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "lifecycle-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        writeProfile(runtime, secret, "autostart = true"); // in etc/ before the runtime is up, as installed
        runtime.awaitHealthy(START);
        runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", AWAIT);
        assertPing(net.client());

        assertEquals(0, runtime.stop(Duration.ofSeconds(30)));
        awaitNoSa(gw, Duration.ofSeconds(2)); // a stopping runtime deletes its IKE SA at the gateway
        runtime.restart();
        runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", START);
        assertPing(net.client());
        assertEquals("ESTABLISHED", single(gw.listSas()).state(), "the old SA was deleted at shutdown, one new one");
        String table = runtime.execChecked("vpn:events office");
        // services bound in any order at start: the connection waits for them instead of failing once
        assertEquals(List.of("DISABLED -> CONNECTING (AUTOSTART)", "CONNECTING -> CONNECTED (ESTABLISHED)"),
                parseEvents(table).stream().map(EventRow::transition).toList(), table);
    }

    static List<EventRow> parseEvents(String table) {
        List<EventRow> rows = new ArrayList<>();
        for (String line : table.lines().skip(1).filter(l -> !l.isBlank()).toList()) {
            Matcher m = EVENT_ROW.matcher(line.strip());
            assertTrue(m.matches(), "not an event row: '" + line + "' in\n" + table);
            rows.add(new EventRow(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6) == null ? "" : m.group(6)));
        }
        return rows;
    }

    /** Waits until the gateway has exactly one IKE SA whose one installed Child SA matches. */
    static ChildSa awaitChild(StrongSwanGateway gw, java.util.function.Predicate<ChildSa> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<IkeSa> sas = List.of();
        while (System.nanoTime() < deadline) {
            sas = gw.listSas();
            if (sas.size() == 1) {
                List<ChildSa> installed = sas.get(0).childSas().stream().filter(c -> c.state().equals("INSTALLED")).toList();
                if (installed.size() == 1 && test.test(installed.get(0))) {
                    return installed.get(0);
                }
            }
            sleep(200);
        }
        throw new AssertionError("the gateway never showed the expected Child SA: " + sas);
    }

    static void awaitExit(StrongSwanGateway gw) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gw.isAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertFalse(gw.isAlive(), "charon still runs after SIGKILL");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
