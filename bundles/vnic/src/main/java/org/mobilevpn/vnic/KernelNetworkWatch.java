package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.mobilevpn.api.net.NetworkState;
import org.osgi.service.log.Logger;

/**
 * A running {@link NetworkWatcher} on the kernel: a thread reading rtnetlink notifications of the link, address and
 * route groups, and a timer thread that reads and publishes the state after a burst or once it settled. Publishing
 * happens on the timer thread.
 */
final class KernelNetworkWatch implements AutoCloseable {
    /** How often the reading thread looks whether it should stop. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final int GROUPS = Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV6_IFADDR
            | Rtnetlink.RTMGRP_IPV4_ROUTE | Rtnetlink.RTMGRP_IPV6_ROUTE;

    private final ScheduledExecutorService timer;
    private final NetworkWatcher watcher;
    private final Logger log;
    private final Thread reader;
    private volatile boolean running = true;

    private KernelNetworkWatch(NetlinkSocket events, Predicate<String> ours, long burstMillis, long settleMillis,
            Consumer<NetworkState> publish, Logger log) {
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mvpn-network-settle");
            t.setDaemon(true);
            return t;
        });
        KernelNetworkDump dump = new KernelNetworkDump(ours);
        this.watcher = new NetworkWatcher(dump::read, (ms, task) -> timer.schedule(task, ms, TimeUnit.MILLISECONDS),
                burstMillis, settleMillis, publish, log);
        this.reader = new Thread(() -> readEvents(events), "mvpn-network-watch");
        reader.setDaemon(true);
    }

    /**
     * Subscribes to the kernel's notifications, reads and publishes the first state, and starts watching.
     *
     * @param burstMillis how long one change's notifications are gathered before a loss is published
     * @param settleMillis how long after the first notification something that appeared is published
     * @param ours names of links that are ours (left out)
     * @throws IOException when no rtnetlink socket can be opened
     */
    static KernelNetworkWatch start(Predicate<String> ours, long burstMillis, long settleMillis,
            Consumer<NetworkState> publish, Logger log) throws IOException {
        NetlinkSocket events = NetlinkSocket.open(GROUPS, RECEIVE_TIMEOUT_MILLIS);
        KernelNetworkWatch w = new KernelNetworkWatch(events, ours, burstMillis, settleMillis, publish, log);
        w.watcher.start(); // subscribed before this first read: a change in between is not lost
        w.reader.start();
        return w;
    }

    /** The last state published. */
    NetworkState current() {
        return watcher.current();
    }

    private void readEvents(NetlinkSocket events) {
        ByteBuffer buf = ByteBuffer.allocateDirect(NetlinkSocket.RECEIVE_BUFFER);
        try (events) {
            while (running) {
                if (events.receive(buf) != NetlinkSocket.Outcome.TIMEOUT) {
                    watcher.changed(); // what changed does not matter: the whole state is read after the burst
                }
            }
        } catch (IOException e) {
            if (running) {
                log.warn("network: watching stopped: " + e.getMessage());
            }
        }
    }

    /** Stops both threads (the reader within its receive timeout) and closes the socket. */
    @Override
    public void close() {
        running = false;
        try {
            reader.join(2L * RECEIVE_TIMEOUT_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }
}
