package org.mobilevpn.datapath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.policy.ConnectionHandOver;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Holds the connections an updated policy bundle hands to its successor ({@link ConnectionHandOver}). It lives
 * here because the data path already outlives the policy manager and carries those connections' sockets; it
 * only holds the records, in memory. A record no policy manager takes within {@link #GIVE_UP_AFTER} (the
 * policy bundle was stopped, not updated) is given up: keys wiped, NIC closed, as a stopped policy manager
 * would have done; the gateway's liveness checks then end the IKE SA. Immediate, so it lives while no policy
 * manager uses it (DS disposes of a delayed component without users).
 */
@Component(service = ConnectionHandOver.class, immediate = true)
public final class ConnectionHandOverStore implements ConnectionHandOver {
    /** Far longer than DS takes to start an updated bundle, short enough not to keep a dead NIC around. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final List<ConnectionRecord> kept = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mobilevpn-handover");
        t.setDaemon(true);
        return t;
    });

    @Reference(service = LoggerFactory.class)
    Logger logger;

    @Override
    public void keep(ConnectionRecord record) {
        synchronized (kept) {
            kept.add(record);
        }
        logger.info("keeping " + record + " for the next policy manager");
        timer.schedule(() -> giveUp(record), GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<ConnectionRecord> takeAll() {
        synchronized (kept) {
            List<ConnectionRecord> all = List.copyOf(kept);
            kept.clear();
            return all;
        }
    }

    private void giveUp(ConnectionRecord record) {
        boolean mine;
        synchronized (kept) {
            mine = kept.remove(record);
        }
        if (mine) {
            logger.warn("no policy manager took " + record + " within " + GIVE_UP_AFTER.toSeconds()
                    + " s; given up (keys wiped, " + record.nic().name() + " closed)");
            record.close();
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        for (ConnectionRecord r : takeAll()) {
            r.close();
        }
    }
}
