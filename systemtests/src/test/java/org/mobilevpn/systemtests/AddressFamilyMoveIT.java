package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * IPv4 to IPv6 and back under traffic with one IKE SA throughout (issue 13): the wired uplink (IPv4 and IPv6) goes
 * down, the IKE SA moves with MOBIKE to the IPv6-only cellular uplink and the gateway's IPv6 address (announced in
 * IKE_AUTH, RFC 4555 §3.4); the wired link comes back, and the IKE SA moves back to IPv4 at the profile's address
 * (strongSwan's own client tends to stay on the address family it moved to). The gateway keeps the same IKE SA
 * (unique id, SPIs) and ends with the wired IPv4 address as remote.
 *
 * <pre>
 *  client "cli"                                     gateway "gw"
 *   wan0  198.51.100.2/24, 2001:db8:100::2/64  ---  wan0  198.51.100.1/24, 2001:db8:100::1/64
 *   cell0 2001:db8:64::2/64 -- "cell" in0 2001:db8:64::1, out0 2001:db8:65::2 -- cell0 2001:db8:65::1/64
 *         route 2001:db8:100::/64 via 2001:db8:64::1 metric 1024
 * </pre>
 */
@SystemTest(tag = "afmove", requires = {"java", "tun", "ping", "charon", "swanctl"})
class AddressFamilyMoveIT {
    private static final String SECRET = "af-move-it-secret";
    private static final String CELL_CLIENT_IP6 = "2001:db8:64::2";

    @Test
    void theIkeSaMovesToIpv6AndBackToIpv4UnderTraffic(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.IPV6_ONLY);
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.localAddrs("%any")).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, SECRET, "dpd_delay = 5s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa before = OfficeConnection.single(gw.listSas());
        assertEquals(TestNetwork.CLIENT_IP, before.remoteHost(), before.toString());
        OfficeConnection.assertPing(client);

        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(50)));
        Thread.sleep(3000);
        client.execChecked("ip", "link", "set", "wan0", "down");
        // generous: rtnetlink debounce plus one MOBIKE round trip on busy shared cores
        awaitLocal(runtime, Pattern.quote("[2001:db8:64:0:0:0:0:2]:"), Duration.ofSeconds(20));
        IkeSa onIpv6 = OfficeConnection.single(gw.listSas());
        Thread.sleep(3000);
        client.execChecked("ip", "link", "set", "wan0", "up");
        awaitLocal(runtime, Pattern.quote(TestNetwork.CLIENT_IP + ":"), Duration.ofSeconds(20));
        Thread.sleep(3000);
        SteadyPing.Result r = ping.stop();

        String status = runtime.execChecked("vpn:status office");
        IkeSa after = OfficeConnection.single(gw.listSas());
        String context = "\n" + r + "\nbefore: " + before + "\non IPv6: " + onIpv6 + "\nafter: " + after + "\n" + status;
        System.out.println("IPv4 -> IPv6 -> IPv4 under ping: " + r);
        assertEquals(CELL_CLIENT_IP6, onIpv6.remoteHost(), context);
        assertEquals(TestNetwork.GATEWAY_IP6, onIpv6.localHost(), context);
        assertEquals(TestNetwork.CLIENT_IP, after.remoteHost(), "back on IPv4" + context);
        assertEquals(TestNetwork.GATEWAY_IP, after.localHost(), context);
        for (IkeSa sa : new IkeSa[] {onIpv6, after}) {
            assertEquals(before.uniqueId(), sa.uniqueId(), "one IKE SA throughout" + context);
            assertEquals(before.initiatorSpi(), sa.initiatorSpi(), context);
            assertEquals(before.responderSpi(), sa.responderSpi(), context);
        }
        assertTrue(status.matches("(?s).*moves\\s+2 .*"), "two moves counted: " + status);
        assertTrue(status.contains("CONNECTED"), status);
        // each move is the debounce plus a round trip; 3 s leaves room for two busy shared cores
        assertTrue(r.longestGap().toMillis() < 3000, context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /**
     * In a full tunnel the IKE SA moves to the gateway's announced IPv6 address; the host route to that address out of
     * the cellular uplink (the one the move set) must outlive the next Child SA rekey, which may rebuild the device's
     * routes from a configuration that only names the profile's gateway.
     */
    @Test
    void inAFullTunnelTheHostRouteToTheAnnouncedIpv6AddressSurvivesTheNextRekey(SystemTestContext ctx)
            throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.IPV6_ONLY);
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(SECRET)
                .configure("rw", c -> c.localAddrs("%any").localTs("0.0.0.0/0")).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, SECRET, "dpd_delay = 5s", "remote_ts = 0.0.0.0/0");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        OfficeConnection.assertPing(client);

        client.execChecked("ip", "link", "set", "wan0", "down");
        awaitLocal(runtime, Pattern.quote("[2001:db8:64:0:0:0:0:2]:"), Duration.ofSeconds(20));
        runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        assertTrue(hostRoute(client).contains("dev cell0"), "the host route followed the move: " + hostRoute(client));
        // strongSwan 5.9.8 rekeys the Child SA after the address update itself: that one first, then ours to watch
        String spiBefore = childSpiOtherThan(gw, "").spiIn();
        gw.swanctl("--rekey", "--child", "rw");
        IkeSa sa = OfficeConnection.single(gw.listSas());
        String spiAfter = childSpiOtherThan(gw, spiBefore).spiIn();
        Thread.sleep(2000); // our side installs the new SAs and deletes the old ones
        String context = "\n" + sa + " (Child SA " + spiAfter + ")\n" + runtime.execChecked("vpn:status office");
        assertTrue(hostRoute(client).contains("dev cell0"), "the host route to " + TestNetwork.GATEWAY_IP6
                + " survived the rekey: '" + hostRoute(client) + "'" + context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /** The gateway's only Child SA once its SPI is not {@code spi} (a rekey over). */
    private static ChildSa childSpiOtherThan(StrongSwanGateway gw, String spi) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IkeSa sa = OfficeConnection.single(gw.listSas());
        while ((sa.childSas().size() != 1 || sa.child().spiIn().equals(spi)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            sa = OfficeConnection.single(gw.listSas());
        }
        assertTrue(sa.childSas().size() == 1 && !sa.child().spiIn().equals(spi), "one Child SA other than " + spi + ": "
                + sa);
        return sa.child();
    }

    /** Our host route to the gateway's IPv6 address, empty when there is none. */
    private static String hostRoute(Netns client) {
        return client.ip("-6", "route", "show", TestNetwork.GATEWAY_IP6 + "/128").stdout().strip();
    }

    /** Waits until {@code vpn:status} shows a local address matching {@code address}. */
    private static void awaitLocal(RuntimeProcess runtime, String address, Duration timeout) throws InterruptedException {
        Pattern local = Pattern.compile("(?m)^\\s*local\\s+" + address);
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = runtime.execChecked("vpn:status office");
        while (!local.matcher(status).find()) {
            assertTrue(System.nanoTime() < deadline, "never moved to " + address + ":\n" + status);
            Thread.sleep(200);
            status = runtime.execChecked("vpn:status office");
        }
    }
}
