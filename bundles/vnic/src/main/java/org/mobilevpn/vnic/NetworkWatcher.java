package org.mobilevpn.vnic;

import java.util.function.Consumer;
import org.mobilevpn.api.net.NetworkState;
import org.osgi.service.log.Logger;

/**
 * Turns the kernel's change notifications into published states, at once for what went away and settled for what
 * appeared. The first notification after a quiet time starts a short gather timer ({@code burstMillis}: the kernel's
 * notifications of one change, a link going down with its addresses and routes, follow within a millisecond or two);
 * then the state is read. If something the last published state had is gone ({@link NetworkLosses}), the state is
 * published now: the path in use may be gone with it, and waiting cannot bring it back. If something only appeared
 * (a link up, a new address or route), the state is read anew and published {@code settleMillis} after the first
 * notification: an uplink that comes up and goes down again within that time (a flap) publishes nothing, and a
 * flapping link is not used before it stayed up at the end of a settle time. Reading the whole state instead of
 * applying each notification keeps us right even when the kernel dropped notifications.
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
    private final long burstMillis;
    private final long settleMillis;
    private final Consumer<NetworkState> publish;
    private final Logger log;
    private boolean burstPending;
    private boolean settlePending;
    private NetworkState last;

    NetworkWatcher(Source source, Timer timer, long burstMillis, long settleMillis, Consumer<NetworkState> publish,
            Logger log) {
        this.source = source;
        this.timer = timer;
        this.burstMillis = burstMillis;
        this.settleMillis = settleMillis;
        this.publish = publish;
        this.log = log;
    }

    /** Reads the first state (published like any change). */
    void start() {
        publishIfChanged(read());
    }

    /** The kernel reported a change (or dropped reports): read the state once the burst is over. */
    synchronized void changed() {
        if (!burstPending) {
            burstPending = true;
            timer.schedule(burstMillis, this::afterBurst);
        }
    }

    /** The last state published, or {@code null} before the first could be read. */
    synchronized NetworkState current() {
        return last;
    }

    /** Publishes a state that lost something now; one that only gained something waits for the settle timer. */
    private void afterBurst() {
        synchronized (this) {
            burstPending = false;
        }
        NetworkState now = read();
        if (now == null) {
            return;
        }
        synchronized (this) {
            if (!NetworkLosses.any(last, now) && !now.equals(last)) {
                if (!settlePending) {
                    settlePending = true;
                    timer.schedule(Math.max(0, settleMillis - burstMillis), this::afterSettle);
                }
                return;
            }
        }
        publishIfChanged(now);
    }

    private void afterSettle() {
        synchronized (this) {
            settlePending = false;
        }
        publishIfChanged(read());
    }

    /** The state now, or null (and a new attempt scheduled) when it cannot be read. */
    private NetworkState read() {
        try {
            return source.read();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("network: cannot read links, addresses and routes: " + e.getMessage() + "; trying again");
            changed();
            return null;
        }
    }

    private void publishIfChanged(NetworkState now) {
        if (now == null) {
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
