package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.vnic.VnicException;

/**
 * An update of the vnic bundle under a CONNECTED connection (issue 11): the leaving factory keeps the device
 * open, the tunnel goes on through it until the next factory hands the same device back by name, then moves to
 * the new handle with the same IKE SA and SAs and their sequence numbers, and the old handle is let go; when no
 * factory comes back the connection does not go on claiming a tunnel.
 */
class VnicSwapTest extends ConnectedConnectionTest {
    @BeforeEach
    void finalCountsOfTheTunnel() {
        f.dataPath.last().counters = new DataPathCounters(List.of(
                new SaCounters(1, SPI_IN, SaDirection.INBOUND, 900, 90_000, Map.of(), 900, LifetimeState.ACTIVE),
                new SaCounters(1, SPI_OUT, SaDirection.OUTBOUND, 1000, 100_000, Map.of(), 1000, LifetimeState.ACTIVE)),
                Map.of(), 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theTunnelGoesOnOnTheKeptDeviceWithTheSameSas() {
        c.nicFactoryLeaving(f.new FakeNics());
        assertEquals(List.of(), f.ops, "another factory's NICs are not ours");

        Fakes.FakeNics old = f.nics;
        f.nics = null; // DS unbinds the leaving factory before it deactivates and keeps its devices
        c.nicFactoryLeaving(old);
        c.servicesChanged();
        assertEquals(List.of(), f.ops, "the tunnel goes on through the kept NIC while no factory is there");
        assertFalse(f.dataPath.last().closed);

        f.nics = f.new FakeNics();
        c.servicesChanged();
        assertTrue(f.ops.get(0).startsWith("nic.open mvpn0 "), "the same device asked for by name: " + f.ops);
        assertEquals(List.of("tunnel.close", "tunnel.open mvpn0 -> /198.51.100.1:4500 keepalive 20s",
                "install 1 in=c0000001 out=d0000001", "nic.close"),
                f.ops.subList(1, f.ops.size()), "the tunnel moves to the new handle, then the old handle is let go");
        assertTrue(old.last().closed, "the old handle let go (the kept device itself stays: the vnic bundle's business)");
        assertFalse(f.nics.last().closed);
        assertSame(f.nics.last(), f.dataPath.last().config.nic(), "the tunnel reads the new handle");
        assertEquals(old.last().config.addresses(), f.nics.last().config.addresses());
        assertEquals(old.last().config.routes(), f.nics.last().config.routes());
        List<EspSa> installed = f.dataPath.last().installed;
        assertEquals(List.of(SPI_IN, SPI_OUT), installed.stream().map(EspSa::spi).toList());
        assertEquals(1000, installed.get(1).initialSequenceNumber(), "outbound: no sequence number (= AEAD nonce) twice");
        assertEquals(1, f.engine.sessions.size(), "no new handshake");
        assertFalse(session.closed);
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED"), events.events);

        scheduler.advance(Connection.NIC_BACK_WITHIN.plusSeconds(5));
        assertEquals(ConnectionState.CONNECTED, c.state(), "the timer for a factory that never comes is cancelled");
    }

    @Test
    void withoutANextFactoryTheTunnelEndsAndTheConnectionStartsAgainOnTheOneThatComes() {
        Fakes.FakeNics old = f.nics;
        f.nics = null;
        c.nicFactoryLeaving(old);
        scheduler.advance(Connection.NIC_BACK_WITHIN.plusSeconds(1));
        assertEquals(ConnectionState.RECONNECTING, c.state(), "never CONNECTED on a NIC nobody serves");
        assertTrue(session.closed, "the IKE SA is deleted at the gateway");
        assertTrue(old.last().closed, "the kept device is removed");
        assertTrue(c.view().render(scheduler.clock.instant()).lastError().orElseThrow().toString()
                .startsWith("INTERNAL: no virtual NIC factory came back within 10 s for mvpn0"));

        f.nics = f.new FakeNics();
        c.servicesChanged();
        scheduler.advance(Duration.ofSeconds(1));
        f.engine.last().listener.childSaEstablished(Fakes.child(0xc0000005, 0xd0000005));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(2, f.engine.sessions.size());
    }

    @Test
    void aNextFactoryThatCannotHandTheDeviceBackEndsTheTunnel() {
        Fakes.FakeNics old = f.nics;
        f.nics = null;
        c.nicFactoryLeaving(old);
        f.nics = f.new FakeNics();
        f.nics.failure = new VnicException("TUNSETIFF mvpn0 failed");
        c.servicesChanged();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertTrue(session.closed);
        assertTrue(c.view().render(scheduler.clock.instant()).lastError().orElseThrow().message()
                .contains("cannot take the virtual NIC back from the new factory: TUNSETIFF mvpn0 failed"));
    }
}
