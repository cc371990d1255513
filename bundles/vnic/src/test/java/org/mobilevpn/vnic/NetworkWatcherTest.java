package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.testsupport.TestLogger;

/**
 * The watcher's timing on a manual clock: losses are published after the burst (5 ms here), what only appeared after
 * the settle time (100 ms) from the first notification, and flaps coming up publish nothing.
 */
class NetworkWatcherTest {
    private static final long BURST = 5;
    private static final long SETTLE = 100;

    /** A timer task due at a time on the manual clock. */
    private record Due(long at, Runnable task) {
    }

    private final List<Due> timers = new ArrayList<>();
    private final List<NetworkState> published = new ArrayList<>();
    private final List<Long> publishedAt = new ArrayList<>();
    private long now;
    private NetworkState kernel = state(true, true);
    private int reads;

    private final NetworkWatcher watcher = new NetworkWatcher(() -> {
        reads++;
        return kernel;
    }, (ms, task) -> timers.add(new Due(now + ms, task)), BURST, SETTLE, s -> {
        published.add(s);
        publishedAt.add(now);
    }, new TestLogger());

    private static NetworkState state(boolean wiredUp, boolean cellularUp) {
        return new NetworkState(List.of(new NetworkLink(2, "wan0", true, wiredUp, false),
                new NetworkLink(3, "cell0", true, cellularUp, false)), List.of(), List.of());
    }

    /** Moves the clock to {@code t} ms, running every task that falls due on the way, in order. */
    private void advanceTo(long t) {
        while (true) {
            Due next = timers.stream().filter(d -> d.at() <= t).min((a, b) -> Long.compare(a.at(), b.at())).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = next.at();
            next.task().run();
        }
        now = t;
    }

    /** The kernel's state becomes {@code s} at {@code t} ms, with its notifications. */
    private void kernelAt(long t, NetworkState s) {
        advanceTo(t);
        kernel = s;
        watcher.changed();
        watcher.changed(); // a link's addresses and routes follow it
    }

    @Test
    void aLinkGoingDownIsPublishedAfterTheBurstNotTheSettleTime() {
        watcher.start();
        kernelAt(0, state(false, true));
        advanceTo(BURST - 1);
        assertEquals(List.of(state(true, true)), published, "nothing before the burst is over");
        assertEquals(1, reads, "nothing read before the burst is over");
        advanceTo(BURST);
        assertEquals(List.of(state(true, true), state(false, true)), published);
        assertEquals(BURST, publishedAt.get(1));
    }

    @Test
    void aRouteRemovedIsALossToo() throws Exception {
        NetworkRoute viaWired = new NetworkRoute(IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("198.51.100.1"), 2,
                100, null);
        kernel = new NetworkState(state(true, true).links(), List.of(), List.of(viaWired));
        watcher.start();
        kernelAt(0, state(true, true));
        advanceTo(BURST);
        assertEquals(state(true, true), published.get(published.size() - 1));
    }

    @Test
    void aLinkComingUpIsPublishedOnlyOnceItSettled() {
        kernel = state(false, true);
        watcher.start();
        kernelAt(0, state(true, true));
        advanceTo(SETTLE - 1);
        assertEquals(List.of(state(false, true)), published, "not before the settle time");
        advanceTo(SETTLE);
        assertEquals(List.of(state(false, true), state(true, true)), published);
        assertEquals(SETTLE, publishedAt.get(1));
    }

    @Test
    void aLinkThatComesUpAndGoesDownWithinTheSettleTimePublishesNothing() {
        kernel = state(false, true);
        watcher.start();
        kernelAt(0, state(true, true));
        kernelAt(40, state(false, true));
        advanceTo(1000);
        assertEquals(List.of(state(false, true)), published);
    }

    @Test
    void aLinkFlappingEvery30MsIsLeftAtOnceAndNotUsedAgainUntilItStaysUp() {
        watcher.start();
        for (int i = 0; i <= 10; i++) {
            kernelAt(30L * i, i % 2 == 0 ? state(false, true) : state(true, true)); // down, up, down, ... down at 300
        }
        advanceTo(1000);
        assertEquals(List.of(state(true, true), state(false, true)), published, "left at once, never back");
        assertEquals(BURST, publishedAt.get(1));
        kernelAt(2000, state(true, true)); // up for good
        advanceTo(3000);
        assertEquals(List.of(state(true, true), state(false, true), state(true, true)), published);
        assertEquals(2000 + SETTLE, publishedAt.get(2));
    }

    @Test
    void aLossWhileAnotherLinkIsSettlingIsPublishedAtOnceWithIt() {
        kernel = state(true, false);
        watcher.start();
        kernelAt(0, state(true, true)); // the cellular link comes up
        kernelAt(20, state(false, true)); // and the wired one goes: nothing to wait for
        advanceTo(20 + BURST);
        assertEquals(List.of(state(true, false), state(false, true)), published);
        advanceTo(1000);
        assertEquals(2, published.size(), "the settle timer finds nothing new");
    }

    @Test
    void aStateThatCannotBeReadIsReadAgain() {
        watcher.start();
        NetworkState down = state(false, true);
        kernel = null;
        NetworkWatcher failing = new NetworkWatcher(() -> {
            if (kernel == null) {
                kernel = down;
                throw new java.io.IOException("busy");
            }
            return kernel;
        }, (ms, task) -> timers.add(new Due(now + ms, task)), BURST, SETTLE, published::add, new TestLogger());
        failing.changed();
        advanceTo(1000);
        assertEquals(down, published.get(published.size() - 1));
    }
}
