package org.mobilevpn.ike.it;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mobilevpn.ike.transport.UdpTransport;

/**
 * Opens UDP channels inside a network namespace while the test JVM stays in the root namespace: one
 * thread enters the namespace with setns(2) (which moves only the calling thread) and creates the
 * sockets there; a socket belongs to the namespace it was created in, whichever thread uses it later.
 */
final class NamespaceChannels implements UdpTransport.ChannelFactory, AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private final ExecutorService inside;

    NamespaceChannels(String namespace) {
        inside = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
        Future<?> entered = inside.submit(() -> {
            int fd = LibC.INSTANCE.open("/var/run/netns/" + namespace, O_RDONLY);
            if (fd < 0) {
                throw new IllegalStateException("cannot open namespace " + namespace);
            }
            try {
                if (LibC.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns into " + namespace + " failed: errno " + Native.getLastError());
                }
            } finally {
                LibC.INSTANCE.close(fd);
            }
        });
        try {
            entered.get();
        } catch (InterruptedException | ExecutionException e) {
            inside.shutdownNow();
            throw new IllegalStateException("cannot enter " + namespace, e);
        }
    }

    @Override
    public DatagramChannel open(ProtocolFamily family) throws IOException {
        try {
            return inside.submit(() -> DatagramChannel.open(family)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        inside.shutdownNow();
    }
}
