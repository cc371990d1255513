package org.mobilevpn.datapath;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code on a fresh thread moved into a network namespace with setns(2): a network
 * namespace is per thread, so sockets and TUN devices that thread creates (and processes it
 * spawns) live in that namespace, while the rest of the test JVM stays where it is.
 */
public final class InNamespace {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private static native int close(int fd);

    private InNamespace() {
    }

    public static <T> T call(String namespace, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = open("/var/run/netns/" + namespace, O_RDONLY);
            try {
                setns(fd, CLONE_NEWNET);
            } finally {
                close(fd);
            }
            return work.call();
        });
        Thread t = new Thread(task, "in-" + namespace);
        t.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
