package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.ike.ChildSaRecord;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.policy.VpnManager;

/**
 * An update of the ike bundle under a CONNECTED connection (DESIGN.md "state is data"): the leaving engine
 * hands the session over as an {@link IkeSaRecord}, the tunnel is not touched, and the next engine resumes
 * the same IKE SA; the record's keys are wiped once handed on.
 */
class IkeEngineSwapTest extends ConnectedConnectionTest {
    IkeSaRecord record;

    @BeforeEach
    void handOver() {
        record = new IkeSaRecord(IkeSaRecord.VERSION, Fakes.ikeSa(), true, 5, 2, List.of(), 4, true, false, Set.of(),
                List.of(), List.of(), null, Instant.now(), List.of(new ChildSaRecord(Fakes.child(SPI_IN, SPI_OUT), true,
                        null, Instant.now().plusSeconds(3600))));
        f.engine.present = false; // DS unbinds the leaving engine before it deactivates and hands its sessions over
        ((IkeHandOverListener) session.listener).handedOver(record);
        scheduler.runPending();
    }

    @Test
    void theTunnelStaysAndTheNextEngineResumesTheSameIkeSa() {
        assertEquals(List.of(), f.ops, "nothing torn down, nothing started while no engine is there");
        assertEquals(ConnectionState.CONNECTED, c.state(), "the Child SAs carry traffic meanwhile");

        f.engine.present = true;
        c.servicesChanged();
        assertEquals(List.of(String.format("ike.resume %016x /198.51.100.1:500", record.ikeSa().initiatorSpi())), f.ops);
        assertTrue(record.ikeSa().keys().skD().isWiped() && record.children().get(0).childSa().keys().out().isClosed(),
                "the policy wiped the record once the engine had its copy");
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED"), events.events,
                "nobody was told of a state change");

        f.ops.clear();
        f.engine.last().listener.childSaRekeyed(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        scheduler.runPending();
        assertEquals(List.of("install 1 in=c0000002 out=d0000002"), f.ops, "the resumed session's events are current");
    }

    @Test
    void anEngineThatCannotReadTheRecordCostsTheIkeSaNotTheConnection() {
        f.engine.present = true;
        f.engine.startFailure = new IllegalArgumentException("IKE SA record version 1 is not one this engine reads (2)");
        c.servicesChanged();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        String message = c.view().render(scheduler.clock.instant()).lastError().orElseThrow().message();
        assertTrue(message.contains("cannot go on with the IKE SA") && message.contains("version 1"), message);
        assertTrue(record.ikeSa().keys().skD().isWiped());
        assertTrue(f.ops.contains("nic.close"), f.ops.toString());
    }

    @Test
    void takenDownWhileNoEngineRunsTheIkeSaTheRecordIsWipedAndTheTunnelGoes() {
        c.down(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(ConnectionState.DISABLED, c.state());
        assertTrue(record.ikeSa().keys().skD().isWiped());
        assertTrue(f.ops.contains("nic.close"), f.ops.toString());
        f.engine.present = true;
        c.servicesChanged();
        assertEquals(1, f.engine.sessions.size(), "nothing resumed");
    }
}
