package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Brings up the standard topology and a PSK charon gateway on it, and checks that cleanup is complete. */
@SystemTest(tag = "tstopo", requires = {"charon", "swanctl", "ping"})
class StandardTopologyIT {

    @Test
    void topologyRoutesAndGatewayAnswersAndNothingIsLeftBehind() {
        try (TestNetwork net = TestNetwork.standard("tstopo")) {
            assertPings(net.client(), TestNetwork.GATEWAY_IP);
            assertPings(net.client(), TestNetwork.GATEWAY_IP6);
            assertPings(net.lan(), TestNetwork.GATEWAY_LAN_IP);
            assertPings(net.gateway(), TestNetwork.LAN_HOST_IP);
            assertPings(net.gateway(), TestNetwork.LAN_HOST_IP6);
            // Outside the tunnel the LAN has no route back to the client: only tunnelled traffic returns.
            assertFalse(ping(net.client(), TestNetwork.LAN_HOST_IP).ok(), "plain-text client->LAN must get no reply");
            assertEquals("1", net.gateway().execChecked("cat", "/proc/sys/net/ipv4/ip_forward").stdout().strip());

            try (StrongSwanGateway gw = StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk("harness").build())) {
                assertTrue(gw.isAlive());
                assertEquals(List.of(), gw.listSas());
                String conns = gw.swanctl("--list-conns").stdout();
                assertTrue(conns.contains("rw: IKEv2"), conns);
                assertTrue(net.gateway().pids().contains(gw.pid()), "charon must run inside the gateway namespace");
                // charon listens for IKE in its namespace only
                String sockets = net.gateway().execChecked("ss", "-uln").stdout();
                assertTrue(sockets.contains(":500 ") && sockets.contains(":4500 "), sockets);
            }
            assertEquals(List.of(), net.gateway().pids(), "stopping the gateway leaves no process behind");
        }
        List<String> left = Netns.list().stream().filter(n -> n.startsWith("mvpn-tstopo-")).toList();
        assertEquals(List.of(), left, "closing the network removes every namespace");
    }

    private static void assertPings(Netns from, String to) {
        CommandResult r = ping(from, to);
        assertTrue(r.ok(), from + " -> " + to + ": " + r.stdout() + r.stderr());
    }

    private static CommandResult ping(Netns from, String to) {
        return from.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", to);
    }
}
