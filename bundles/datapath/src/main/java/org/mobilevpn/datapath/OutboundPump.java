package org.mobilevpn.datapath;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One outbound packet thread serving any number of tunnels: it waits in poll(2) on their virtual NICs'
 * {@link org.mobilevpn.api.vnic.VirtualNic#readinessDescriptor() descriptors} and an eventfd of its own, and
 * drains each NIC that has packets, at most {@link #BUDGET} per round so that a busy tunnel does not starve the
 * others. A fixed number of these ({@link OutboundPumps}) carry every tunnel: the threads do not grow with the
 * connections.
 *
 * <p>The tunnel set is an immutable array behind a volatile field; the control path replaces it under
 * {@link #lock} and, to remove a tunnel, waits on the {@link QuiescenceGate} until a round that may still
 * hold it is over. The pump thread takes no lock while it moves packets.
 */
final class OutboundPump implements AutoCloseable {
    /** Packets read from one NIC before the thread looks at the others. */
    static final int BUDGET = 64;
    private static final short POLLIN = 1;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EINTR = 4;
    private static final EspTunnel[] NONE = new EspTunnel[0];

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private static native int poll(long fds, long count, int timeoutMillis);

    private static native int eventfd(int initialValue, int flags) throws LastErrorException;

    private static native long read(int fd, long buffer, long count);

    private static native long write(int fd, long buffer, long count);

    private static native int close(int fd);

    private final NativeUdpSocket socket;
    private final Thread thread;
    private final int wakeFd;
    private final Memory wakeValue = new Memory(8);
    private final Memory drained = new Memory(8);
    private final QuiescenceGate gate = new QuiescenceGate();
    private final Object lock = new Object();
    private volatile EspTunnel[] tunnels = NONE;
    private volatile boolean running = true;

    OutboundPump(String threadName, NativeUdpSocket socket) throws IOException {
        this.socket = socket;
        try {
            wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("eventfd for " + threadName + " failed: errno " + e.getErrorCode());
        }
        wakeValue.setLong(0, 1);
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** How many tunnels this thread serves. */
    int load() {
        return tunnels.length;
    }

    /** Starts reading {@code t}'s NIC. */
    void add(EspTunnel t) {
        synchronized (lock) {
            EspTunnel[] more = Arrays.copyOf(tunnels, tunnels.length + 1);
            more[more.length - 1] = t;
            tunnels = more;
        }
        wake();
    }

    /** Stops reading {@code t}'s NIC; returns once the thread no longer works on it. */
    void remove(EspTunnel t) {
        drop(List.of(t));
        wake();
        if (Thread.currentThread() != thread) {
            gate.awaitQuiescence();
        }
    }

    private void drop(List<EspTunnel> gone) {
        synchronized (lock) {
            tunnels = Arrays.stream(tunnels).filter(x -> !gone.contains(x)).toArray(EspTunnel[]::new);
        }
    }

    private void wake() {
        write(wakeFd, Pointer.nativeValue(wakeValue), 8);
    }

    private void loop() {
        ByteBuffer work = ByteBuffer.allocateDirect(EspTunnel.HEADROOM + 65535 + EspTunnel.TAILROOM);
        EspBatch batch = new EspBatch(socket.sender());
        List<EspTunnel> ended = new ArrayList<>();
        EspTunnel[] polled = null;
        Memory fds = null;
        while (running) {
            EspTunnel[] set = tunnels;
            if (set != polled) {
                fds = pollSet(set);
                polled = set;
            }
            if (poll(Pointer.nativeValue(fds), set.length + 1L, -1) <= 0) {
                continue; // EINTR
            }
            if (fds.getShort(6) != 0) {
                read(wakeFd, Pointer.nativeValue(drained), 8); // reset it so the next poll waits again
            }
            gate.enter();
            try {
                if (tunnels != set) {
                    continue; // a tunnel came or went while we waited: poll the new set
                }
                for (int i = 0; i < set.length; i++) {
                    if (fds.getShort(8L * (i + 1) + 6) != 0 && !set[i].drain(work, batch, BUDGET)) {
                        ended.add(set[i]);
                    }
                }
            } finally {
                gate.leave();
            }
            if (!ended.isEmpty()) {
                drop(ended); // closed NICs: polling them again would report them at once, forever
                ended.clear();
            }
        }
    }

    /** struct pollfd[]: the eventfd first, then each tunnel's NIC. */
    private Memory pollSet(EspTunnel[] set) {
        Memory fds = new Memory(8L * (set.length + 1));
        fds.clear();
        fds.setInt(0, wakeFd);
        fds.setShort(4, POLLIN);
        for (int i = 0; i < set.length; i++) {
            fds.setInt(8L * (i + 1), set[i].nic().readinessDescriptor());
            fds.setShort(8L * (i + 1) + 4, POLLIN);
        }
        return fds;
    }

    /** Stops the thread (its tunnels are closed first) and waits for it, at most 10 s. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(wakeFd);
    }
}
