package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.testsupport.TestLogger;

/**
 * Where the bundle swap tests start: a CONNECTED connection on fakes with one Child SA
 * ({@link #SPI_IN}/{@link #SPI_OUT}), the operations recorded so far cleared.
 */
abstract class ConnectedConnectionTest {
    static final int SPI_IN = 0xc0000001;
    static final int SPI_OUT = 0xd0000001;

    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final Map<String, Boolean> persisted = new HashMap<>();
    Connection c;
    Fakes.FakeSession session;

    @BeforeEach
    void connected() {
        c = new Connection("office", new ConnectionContext(f.services(), events, new TestLogger(), scheduler,
                scheduler.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2),
                        0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        c.profileArrived(ConnectionTest.profile());
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        session = f.engine.last();
        session.listener.ikeSaEstablished(Fakes.ikeSa());
        session.listener.childSaEstablished(Fakes.child(SPI_IN, SPI_OUT));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        f.ops.clear();
    }
}
