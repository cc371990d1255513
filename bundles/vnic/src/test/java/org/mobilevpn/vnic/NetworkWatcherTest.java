package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.testsupport.TestLogger;

class NetworkWatcherTest {
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final List<NetworkState> published = new ArrayList<>();
    private NetworkState kernel = state(true);
    private int reads;

    private final NetworkWatcher watcher = new NetworkWatcher(() -> {
        reads++;
        return kernel;
    }, (ms, task) -> {
        delays.add(ms);
        timers.add(task);
    }, 100, published::add, new TestLogger());

    private static NetworkState state(boolean wiredUp) {
        return new NetworkState(List.of(new NetworkLink(2, "wan0", true, wiredUp, false)), List.of(), List.of());
    }

    private void runTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aBurstOfNotificationsIsReadOnceAfterItSettles() {
        watcher.start();
        assertEquals(List.of(kernel), published);
        kernel = state(false);
        watcher.changed();
        watcher.changed();
        watcher.changed();
        assertEquals(1, timers.size(), "one timer for the whole burst");
        assertEquals(List.of(100L), delays);
        assertEquals(1, reads, "nothing read before the timer runs out");
        runTimers();
        assertEquals(2, reads);
        assertEquals(List.of(state(true), state(false)), published);
    }

    @Test
    void aFlapThatIsOverBeforeTheTimerRunsOutPublishesNothing() {
        watcher.start();
        kernel = state(false);
        watcher.changed();
        kernel = state(true); // up again within the settle time
        watcher.changed();
        runTimers();
        assertEquals(List.of(state(true)), published);
    }

    @Test
    void aChangeAfterTheTimerStartsAnother() {
        watcher.start();
        kernel = state(false);
        watcher.changed();
        runTimers();
        kernel = state(true);
        watcher.changed();
        runTimers();
        assertEquals(List.of(state(true), state(false), state(true)), published);
    }
}
