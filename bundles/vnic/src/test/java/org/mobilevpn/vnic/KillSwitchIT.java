package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestLogger;

/**
 * The generated ruleset in a real kernel (a namespace's own nftables): nft accepts it, it drops what it
 * should and counts it, lets the exceptions through, and goes away whole. Two namespaces on one link:
 * "host" with the kill switch and "peer" answering pings at 198.51.100.1 (the gateway) and 198.51.100.9
 * (an exception) and 198.51.100.5 (anything else).
 */
@SystemTest(tag = "killsw", requires = {"nft", "ping"})
class KillSwitchIT {
    @TempDir
    Path dir;
    private Netns host;
    private NftKillSwitch ks;

    @BeforeEach
    void network(SystemTestContext ctx) {
        host = ctx.netns("host");
        Netns peer = ctx.netns("peer");
        host.veth("wan0", peer, "wan0");
        host.address("wan0", "198.51.100.2/24");
        for (String a : List.of("198.51.100.1/24", "198.51.100.5/24", "198.51.100.9/24")) {
            peer.address("wan0", a);
        }
        CommandRunner inHost = command -> {
            List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", host.name()));
            c.addAll(command);
            return new ProcessCommandRunner().run(c);
        };
        ks = new NftKillSwitch("nft", "mvpn", new KillSwitchStore(dir.resolve("killswitch")), inHost, TestLogger.writingTo(new java.io.PrintWriter(System.err, true), false),
                System::nanoTime, RuntimeProcessId.current().toString());
    }

    private boolean answers(String address) {
        return host.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1", address).stdout().contains("1 received");
    }

    @Test
    void onlyTheGatewaysIkeAndEspAndTheExceptionsLeaveAndTheRestIsDroppedAndCounted() throws Exception {
        assertTrue(answers("198.51.100.5"), "before: the peer answers");
        KillSwitchPolicy policy = new KillSwitchPolicy(true, List.of(IpPrefix.parse("198.51.100.1").address()),
                List.of(500, 4500), List.of(IpPrefix.parse("198.51.100.9/32")), List.of());
        ks.apply("office", policy);

        assertFalse(answers("198.51.100.5"), "an outside address is blocked");
        assertFalse(answers("198.51.100.1"), "the gateway's address is open for IKE and ESP only, not for ICMP");
        assertTrue(answers("198.51.100.9"), "the exception passes");
        assertTrue(host.exec("ping", "-c", "1", "-W", "1", "127.0.0.1").stdout().contains("1 received"), "loopback passes");
        assertTrue(ks.droppedPackets("office") >= 2, "both blocked pings are counted: " + ks.droppedPackets("office"));

        long before = ks.droppedPackets("office");
        ks.apply("office", new KillSwitchPolicy(true, policy.gateways(), policy.ikePorts(), policy.exceptions(),
                List.of(IpPrefix.parse("203.0.113.0/24"))));
        assertTrue(ks.droppedPackets("office") >= before, "the counter survives a change of the rules");

        ks.remove("office", "test");
        assertFalse(host.exec("nft", "list", "tables").stdout().contains("mobilevpn"));
        assertTrue(answers("198.51.100.5"), "after removal the peer answers again");
        assertEquals(-1, ks.droppedPackets("office"));
    }

    @Test
    void aTunnelledDestinationRoutedOutsideTheTunnelIsDroppedWithoutKillSwitch() throws Exception {
        host.ip("route", "add", "203.0.113.0/24", "via", "198.51.100.5"); // the "more specific route" of an attacker
        ks.apply("lab", new KillSwitchPolicy(false, List.of(IpPrefix.parse("198.51.100.1").address()), List.of(500),
                List.of(), List.of(IpPrefix.parse("203.0.113.0/24"))));
        host.exec("ping", "-c", "1", "-W", "1", "203.0.113.2");
        assertTrue(answers("198.51.100.5"), "without a kill switch other destinations pass");
        assertEquals(1, ks.droppedPackets("lab"), "the tunnelled destination's packet was dropped");
    }

    /** The rule for our tunnel devices matches their name prefix AND their link type: not an uplink named like one. */
    @Test
    void anUplinkWhoseNameStartsWithTheDevicePrefixIsNoTunnel(SystemTestContext ctx) throws Exception {
        Netns other = ctx.netns("other");
        host.veth("mvpn_up0", other, "eth0");
        host.address("mvpn_up0", "100.64.1.2/24");
        other.address("eth0", "100.64.1.1/24");
        assertTrue(answers("100.64.1.1"), "before: reachable over mvpn_up0");
        ks.apply("office", new KillSwitchPolicy(true, List.of(IpPrefix.parse("198.51.100.1").address()), List.of(4500),
                List.of(), List.of()));
        assertFalse(answers("100.64.1.1"), "mvpn_up0 is an uplink (a veth, not a TUN device): blocked like any other");
        ks.remove("office", "test");
    }
}
