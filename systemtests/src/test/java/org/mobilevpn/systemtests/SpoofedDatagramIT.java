package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * An on-path attacker who knows the live IKE SPIs (they travel in clear) sends datagrams "from the gateway"
 * (its address, ports 4500 and 4501) with every message ID around the window, as requests and as responses,
 * forged (random SK payload) and malformed (a payload chain that breaks before the integrity check), while a
 * tunnel runs in the runtime with a short dpd_delay. Unauthenticated datagrams change nothing (RFC 7296
 * §2.21.2, §2.23): the connection keeps the same IKE SA, traffic flows, liveness checks are answered (a NAT-T
 * port moved to 4501 would make them go nowhere), and a rekey still succeeds.
 */
@SystemTest(tag = "spoof", requires = {"java", "tun", "ping", "charon", "swanctl", "python3"})
class SpoofedDatagramIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final int DPD_SECONDS = 3;
    private static final Pattern HANDSHAKES = Pattern.compile("handshakes\\s+(\\d+)");

    /**
     * Sends, from the gateway's namespace, IKE-over-4500 datagrams (non-ESP marker) with the given SPIs from
     * source ports 4500 (charon's own, hence a raw socket) and 4501 to the client; argv: spiI spiR rounds.
     */
    private static final String SPOOFER = String.join("\n",
            "import os, random, socket, struct, sys, time",
            "spi_i, spi_r, rounds = int(sys.argv[1], 16), int(sys.argv[2], 16), int(sys.argv[3])",
            "gw, client = '" + TestNetwork.GATEWAY_IP + "', '" + TestNetwork.CLIENT_IP + "'",
            "raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)",
            "sent = 0",
            "def ike(flags, mid, malformed):",
            "    if malformed:",
            "        body = struct.pack('!BBH', 0, 0, 2) + b'\\0' * 4",
            "        first = 41",
            "    else:",
            "        sk = os.urandom(random.choice([40, 80, 200]))",
            "        body = struct.pack('!BBH', 0, 0, 4 + len(sk)) + sk",
            "        first = 46",
            "    hdr = struct.pack('!QQBBBBII', spi_i, spi_r, first, 0x20, 37, flags, mid, 28 + len(body))",
            "    return b'\\0\\0\\0\\0' + hdr + body",
            "for r in range(rounds):",
            "    for mid in range(0, 12):",
            "        for flags in (0x00, 0x20, 0x08, 0x28):",
            "            for malformed in (False, True):",
            "                d = ike(flags, mid, malformed)",
            "                for sport in (4500, 4501):",
            "                    udp = struct.pack('!HHHH', sport, 4500, 8 + len(d), 0) + d",
            "                    raw.sendto(udp, (client, 0))",
            "                    sent += 1",
            "    time.sleep(0.25)",
            "print('sent', sent)");

    @Test
    void forgedAndMalformedIkeDatagramsWithTheLiveSpisChangeNothing(SystemTestContext ctx)
            throws IOException, InterruptedException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "spoof-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = " + DPD_SECONDS + "s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa before = single(gw.listSas());
        String handshakes = handshakes(runtime.execChecked("vpn:status office"));
        Path spoofer = Files.writeString(ctx.outputDir("spoofer").resolve("spoof.py"), SPOOFER);

        // about 12 s of spoofing: four liveness periods of the client, across which its checks must be answered
        CommandResult spoof = net.gateway().exec(Duration.ofSeconds(60), "python3", spoofer.toString(),
                before.initiatorSpi(), before.responderSpi(), "48");
        assertEquals(0, spoof.exitCode(), spoof.stdout() + spoof.stderr());
        System.out.println("spoofer: " + spoof.stdout().strip());
        assertPing(net.client(), 5, "\nruntime log:\n" + runtime.log());

        IkeSa after = single(gw.listSas());
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA at the gateway");
        assertEquals(before.initiatorSpi(), after.initiatorSpi());
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("RECONNECTING"), events);
        String status = runtime.execChecked("vpn:status office");
        assertEquals(handshakes, handshakes(status), "no new handshake: " + status);
        assertTrue(status.contains("liveness RTT"), "liveness checks were answered: " + status);

        // a rekey still succeeds on the same connection after the storm
        gw.swanctl("--rekey", "--ike", "rw");
        Thread.sleep(Duration.ofSeconds(2L * DPD_SECONDS + 1).toMillis());
        IkeSa rekeyed = single(gw.listSas());
        assertNotEquals(before.initiatorSpi(), rekeyed.initiatorSpi(), "the gateway rekeyed the IKE SA");
        assertPing(net.client());
        assertEquals(handshakes, handshakes(runtime.execChecked("vpn:status office")));
        assertFalse(runtime.execChecked("vpn:events office").contains("RECONNECTING"));
    }

    private static String handshakes(String status) {
        Matcher m = HANDSHAKES.matcher(status);
        assertTrue(m.find(), status);
        return m.group(1);
    }
}
