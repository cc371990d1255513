package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;

/**
 * A swap of the data path bundle under a CONNECTED connection (DESIGN.md "state is data"): the same IKE SA
 * and SAs continue on the successor, with sequence numbers carried over; no new handshake, no state change.
 */
class DataPathSwapTest extends ConnectedConnectionTest {

    private void finalCountsOfOldTunnel(long lastSent, long highestAccepted) {
        f.dataPath.last().counters = new DataPathCounters(List.of(
                new SaCounters(1, SPI_IN, SaDirection.INBOUND, 900, 90_000, Map.of(), highestAccepted, LifetimeState.ACTIVE),
                new SaCounters(1, SPI_OUT, SaDirection.OUTBOUND, 1000, 100_000, Map.of(), lastSent, LifetimeState.ACTIVE)),
                Map.of(), 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theSameSasContinueOnTheNewDataPathWithTheirSequenceNumbers() {
        Fakes.FakeDataPath old = f.dataPath;
        Fakes.FakeTunnel oldTunnel = old.last();
        finalCountsOfOldTunnel(1000, 900);

        c.dataPathLeaving(old);
        f.dataPath = null; // between the old data path's unbind and the new one's bind
        c.servicesChanged();
        assertEquals(List.of("ike.detach", "tunnel.close"), f.ops, "the NIC stays, the IKE SA stays");
        assertTrue(session.transport.closed, "the old IKE transport is released while the old data path works");

        f.dataPath = f.new FakeDataPath();
        c.servicesChanged();

        assertEquals(List.of("ike.detach", "tunnel.close", "ike.attach /198.51.100.1:500",
                "tunnel.open mvpn0 -> /198.51.100.1:4500 keepalive 20s",
                String.format("install 1 in=%08x out=%08x", SPI_IN, SPI_OUT)), f.ops);
        assertNotSame(oldTunnel, f.dataPath.last());
        List<EspSa> installed = f.dataPath.last().installed;
        assertEquals(900, installed.get(0).initialSequenceNumber(), "inbound: the replay window continues");
        assertEquals(1000, installed.get(1).initialSequenceNumber(), "outbound: no sequence number (= AEAD nonce) twice");
        assertEquals(1, f.engine.sessions.size(), "no new handshake");
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED"), events.events,
                "nobody was told of a state change");
        assertEquals("mvpn0", c.view().render(scheduler.clock.instant()).interfaceName().orElseThrow());
    }

    @Test
    void aRekeyInstalledOnTheNewDataPathIsUnaffected() {
        finalCountsOfOldTunnel(5, 5);
        c.dataPathLeaving(f.dataPath);
        f.dataPath = f.new FakeDataPath();
        c.servicesChanged();
        f.ops.clear();

        session.listener.childSaRekeyed(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        scheduler.runPending();
        assertEquals(List.of("install 1 in=c0000002 out=d0000002"), f.ops);
        assertEquals(0, f.dataPath.last().installed.get(3).initialSequenceNumber(), "a new SA counts from the start");
    }

    @Test
    void aGatewayRekeyAwaitingTheOldSasDeleteIsReceivedOnTheNewDataPathAndSwitchesThere() {
        session.listener.childSaRekeyedByPeer(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        scheduler.runPending();
        finalCountsOfOldTunnel(5, 5);
        c.dataPathLeaving(f.dataPath);
        f.dataPath = f.new FakeDataPath();
        c.servicesChanged();
        assertEquals(List.of("installInbound c0000002", "ike.detach", "tunnel.close", "ike.attach /198.51.100.1:500",
                "tunnel.open mvpn0 -> /198.51.100.1:4500 keepalive 20s",
                String.format("install 1 in=%08x out=%08x", SPI_IN, SPI_OUT), "installInbound c0000002"), f.ops,
                "the old pair still sends; the gateway's new SA receives");
        f.ops.clear();
        session.listener.childSaDeleted(SPI_IN, true);
        scheduler.runPending();
        assertEquals(List.of("installOutbound d0000002", String.format("removeInbound %08x", SPI_IN)), f.ops);
    }

    @Test
    void withoutTheOldTunnelsFinalCountTheConnectionReconnectsRatherThanReuseNonces() {
        c.dataPathLeaving(f.dataPath); // the old tunnel reported no SAs
        f.dataPath = f.new FakeDataPath();
        c.servicesChanged();

        assertEquals(ConnectionState.RECONNECTING, c.state());
        String message = c.view().render(scheduler.clock.instant()).lastError().orElseThrow().message();
        assertTrue(message.contains("did not report how far outbound SA d0000001 counted"), message);
        assertEquals(FailureReason.INTERNAL, c.view().render(scheduler.clock.instant()).lastError().orElseThrow().reason());
        assertTrue(session.closed, "the session is given up");
        assertTrue(f.ops.contains("nic.close"), f.ops.toString());
    }

    @Test
    void whenTheFrameworkStopsWithTheDataPathFirstTheIkeSaIsDeletedWhileItStillWorks() {
        assertEquals(null, c.shutdownBefore(f.new FakeDataPath(), false), "not on that data path: nothing to do");
        assertEquals(List.of(), f.ops);

        assertEquals(session, c.shutdownBefore(f.dataPath, false), "the caller waits for this session's DELETE");
        assertTrue(session.closed, "DELETE sent through the engine while the data path still runs");
        assertTrue(f.ops.containsAll(List.of("tunnel.close", "nic.close", "ike.close")), f.ops.toString());
        assertEquals(ConnectionState.DISABLED, c.state());
        assertEquals(Boolean.TRUE, persisted.get("office"), "still wanted after the restart");
    }

    @Test
    void anotherDataPathLeavingDoesNotConcernThisConnection() {
        c.dataPathLeaving(f.new FakeDataPath());
        assertEquals(List.of(), f.ops);
    }
}
