package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ike.ChildSaRecord;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.policy.ConnectionHandOver;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.testsupport.TestLogger;

/**
 * An update of the policy bundle under a CONNECTED connection (issue 11): the leaving policy manager asks the IKE
 * session for its IKE SA as data, stops the data path tunnel and leaves IKE SA, ESP records (with the sequence
 * numbers reached) and the open NIC in the {@link ConnectionHandOver} store; the next policy manager goes on with
 * them without a handshake and without touching the NIC.
 */
class PolicySwapTest extends ConnectedConnectionTest {
    final List<ConnectionRecord> store = new ArrayList<>();
    final ConnectionHandOver handOver = new ConnectionHandOver() {
        @Override
        public void keep(ConnectionRecord record) {
            store.add(record);
        }

        @Override
        public List<ConnectionRecord> takeAll() {
            List<ConnectionRecord> all = List.copyOf(store);
            store.clear();
            return all;
        }
    };
    IkeSaRecord ikeRecord;

    @BeforeEach
    void lastCountsOfTheTunnel() {
        f.dataPath.last().counters = new DataPathCounters(List.of(
                new SaCounters(1, SPI_IN, SaDirection.INBOUND, 900, 90_000, Map.of(), 900, LifetimeState.ACTIVE),
                new SaCounters(1, SPI_OUT, SaDirection.OUTBOUND, 1000, 100_000, Map.of(), 1000, LifetimeState.ACTIVE)),
                Map.of(), 0, 0, 0, 0, 0, 0);
        ikeRecord = new IkeSaRecord(IkeSaRecord.VERSION, Fakes.ikeSa(), true, 5, 2, List.of(), 4, true, false, Set.of(),
                List.of(), List.of(), null, Instant.now(), List.of(new ChildSaRecord(Fakes.child(SPI_IN, SPI_OUT), true,
                        null, Instant.now().plusSeconds(3600))));
    }

    /** The leaving policy manager's side, up to the record in the store. */
    private ConnectionRecord handedOver() {
        assertTrue(c.handOver(Duration.ofSeconds(2), handOver));
        assertTrue(session.handOverRequested, "the IKE session was asked for its IKE SA as data");
        assertTrue(c.handingOver());
        ((IkeHandOverListener) session.listener).handedOver(ikeRecord);
        scheduler.runPending();
        assertFalse(c.handingOver());
        assertEquals(1, store.size());
        return store.get(0);
    }

    @Test
    void theLeavingManagerStopsOnlyTheDataPathTunnelAndSaysNothingToTheGateway() {
        f.ops.clear();
        ConnectionRecord r = handedOver();
        assertEquals(List.of("ike.handOver", "tunnel.close"), f.ops, "NIC open, no DELETE, no new tunnel");
        assertEquals(1000, r.children().get(0).outbound().initialSequenceNumber(), "sending goes on after 1000");
        assertEquals(900, r.children().get(0).inbound().initialSequenceNumber(), "replays up to 900 stay refused");
        assertFalse(r.children().get(0).outbound().keys().isClosed(), "the record owns the ESP keys now");
        assertFalse(f.nics.last().closed);

        c.shutdown(false);
        scheduler.runPending();
        assertEquals(List.of("ike.handOver", "tunnel.close"), f.ops, "the shutdown after the hand-over closes nothing");
        assertFalse(r.children().get(0).outbound().keys().isClosed());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED"), events.events,
                "no DISABLED: the connection goes on in the next policy manager");
    }

    @Test
    void theNextManagerGoesOnWithTheSameSasOnTheSameNic() {
        ConnectionRecord r = handedOver();
        c.shutdown(false);
        f.ops.clear();
        Fakes.FakeNic nic = f.nics.last();

        ManualScheduler next = new ManualScheduler();
        Fakes.RecordingEvents nextEvents = new Fakes.RecordingEvents();
        Connection successor = new Connection("office", new ConnectionContext(f.services(), nextEvents, new TestLogger(),
                next, next.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2),
                        0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        successor.restoreWanted();
        successor.adopt(handOver.takeAll().get(0));
        successor.profileArrived(ConnectionTest.profile());
        next.runPending();

        assertEquals(List.of("tunnel.open mvpn0 -> " + Fakes.GATEWAY_NATT + " keepalive 20s",
                String.format("install 1 in=%08x out=%08x", SPI_IN, SPI_OUT),
                String.format("ike.resume %016x /198.51.100.1:500", ikeRecord.ikeSa().initiatorSpi())), f.ops,
                "no nic.open, no ike.start: the same NIC, SAs and IKE SA");
        assertEquals(1000, f.dataPath.last().installed.get(1).initialSequenceNumber());
        assertFalse(nic.closed);
        assertEquals(ConnectionState.CONNECTED, successor.state());
        assertEquals(List.of("office CONNECTED " + VpnManager.REASON_HANDED_OVER), nextEvents.events);
        assertTrue(ikeRecord.ikeSa().keys().skD().isWiped(), "the IKE record is wiped once the engine has its copy");
        assertFalse(r.children().get(0).outbound().keys().isClosed(), "the new tunnel's ESP records stay alive");
        assertEquals(SPI_IN, successor.view().render(next.clock.instant()).childSas().get(0).spiIn());
    }

    @Test
    void aHandedOverConnectionNobodyTakesUpIsGivenUpWithItsNic() {
        ConnectionRecord r = handedOver();
        ManualScheduler next = new ManualScheduler();
        Connection successor = new Connection("office", new ConnectionContext(f.services(), new Fakes.RecordingEvents(),
                new TestLogger(), next, next.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1),
                        Duration.ofMinutes(2), 0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        successor.restoreWanted();
        successor.adopt(handOver.takeAll().get(0));
        next.advance(Connection.ADOPT_WITHIN.plusSeconds(1)); // no profile came
        assertTrue(f.nics.last().closed, "the device goes");
        assertTrue(r.children().get(0).outbound().keys().isClosed() && ikeRecord.ikeSa().keys().skD().isWiped(),
                "every key is wiped");
    }

    @Test
    void aSessionThatEndsInsteadOfHandingOverLeavesNothingInTheStore() {
        assertTrue(c.handOver(Duration.ofSeconds(2), handOver));
        session.listener.ikeSaDeleted(false); // not between exchanges in time: the engine deleted the IKE SA
        scheduler.runPending();
        assertFalse(c.handingOver());
        assertEquals(List.of(), store);
        assertTrue(f.nics.last().closed, "the tunnel went with the IKE SA");
    }

    @Test
    void aRekeyOfTheGatewaysHalfDoneGoesAlongAndTakesOverWhenTheGatewayDeletesTheOldChildSa() {
        session.listener.childSaRekeyedByPeer(SPI_IN, Fakes.child(0xc0000002, 0xd0000002)); // we answered the gateway's
        scheduler.runPending();
        ConnectionRecord r = handedOver(); // before the gateway's DELETE of the old Child SA
        assertEquals(1, r.pending().size(), "the replacement goes along: " + r);
        assertEquals(SPI_IN, r.pending().get(0).replacedSpiIn());
        assertEquals(0xc0000002, r.pending().get(0).child().inbound().spi());
        c.shutdown(false);
        f.ops.clear();

        ManualScheduler next = new ManualScheduler();
        Connection successor = new Connection("office", new ConnectionContext(f.services(), new Fakes.RecordingEvents(),
                new TestLogger(), next, next.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1),
                        Duration.ofMinutes(2), 0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        successor.restoreWanted();
        successor.adopt(handOver.takeAll().get(0));
        successor.profileArrived(ConnectionTest.profile());
        next.runPending();
        assertTrue(f.ops.contains("installInbound c0000002"), "the gateway may already send with it: " + f.ops);
        assertEquals(ConnectionState.CONNECTED, successor.state());

        f.ops.clear();
        f.engine.last().listener.childSaDeleted(SPI_IN, true); // the gateway deletes the old one: it has our answer
        next.runPending();
        assertEquals(List.of("installOutbound d0000002", "removeInbound c0000001"), f.ops);
        assertEquals(0xc0000002, successor.view().render(next.clock.instant()).childSas().get(0).spiIn());
        assertEquals(ConnectionState.CONNECTED, successor.state());
    }
}
