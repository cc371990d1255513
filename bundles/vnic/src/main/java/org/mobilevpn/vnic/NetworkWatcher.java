package org.mobilevpn.vnic;

import java.util.function.Consumer;
import org.mobilevpn.api.net.NetworkState;
import org.osgi.service.log.Logger;

/**
 * Turns the kernel's change notifications into settled states: the first notification after a quiet time starts a
 * timer of {@code settleMillis}; when it runs out the state is read anew and, if it differs from the last one
 * published, published. So a burst (a link going down takes its addresses and routes with it) becomes one state,
 * and a flap that is over before the timer runs out (down and up again) publishes nothing at all. Reading the whole
 * state instead of applying each notification keeps us right even when the kernel dropped notifications.
 */
final class NetworkWatcher {

    /** Runs a task once after a delay, on a thread of its own. */
    interface Timer {
        void schedule(long delayMillis, Runnable task);
    }

    /** Reads the state now. */
    interface Source {
        NetworkState read() throws java.io.IOException;
    }

    private final Source source;
    private final Timer timer;
    private final long settleMillis;
    private final Consumer<NetworkState> publish;
    private final Logger log;
    private boolean pending;
    private NetworkState last;

    NetworkWatcher(Source source, Timer timer, long settleMillis, Consumer<NetworkState> publish, Logger log) {
        this.source = source;
        this.timer = timer;
        this.settleMillis = settleMillis;
        this.publish = publish;
        this.log = log;
    }

    /** Reads the first state (published like any change). */
    void start() {
        resync();
    }

    /** The kernel reported a change (or dropped reports): read the state once things have settled. */
    synchronized void changed() {
        if (!pending) {
            pending = true;
            timer.schedule(settleMillis, this::resync);
        }
    }

    /** The last state published, or {@code null} before the first could be read. */
    synchronized NetworkState current() {
        return last;
    }

    private void resync() {
        synchronized (this) {
            pending = false;
        }
        NetworkState now;
        try {
            now = source.read();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("network: cannot read links, addresses and routes: " + e.getMessage() + "; trying again");
            changed();
            return;
        }
        synchronized (this) {
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
        publish.accept(now);
    }
}
