package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes stale-namespace cleanup safe when several people run tests on one machine.
 *
 * <p>A test tag (e.g. {@code ike}) owns every namespace named {@code mvpn-<tag>-<role>}. While a JVM has
 * at least one such namespace open it holds an exclusive {@code flock} on
 * {@code /run/mvpn-harness/<tag>.lock}; the kernel drops the lock when the JVM dies, however it dies.
 * Whoever takes the lock therefore knows that every existing {@code mvpn-<tag>-*} namespace is a leftover
 * of a dead run and removes it. A second JVM using the same tag waits (bounded) for the first one
 * instead of deleting its live namespaces. Namespaces of other tags are never touched.
 */
final class NamespaceLock {

    static final Path LOCK_DIR = Path.of("/run/mvpn-harness");
    static final Duration WAIT = Duration.ofMinutes(10);

    private static final Map<String, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, int[] users) {
    }

    private NamespaceLock() {
    }

    /** Takes (or re-uses) the lock for {@code tag} and counts one more user of it. */
    static synchronized void acquire(String tag) {
        Held held = HELD.get(tag);
        if (held != null) {
            held.users()[0]++;
            return;
        }
        try {
            Files.createDirectories(LOCK_DIR);
            Path file = LOCK_DIR.resolve(tag + ".lock");
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock = waitForLock(ch, file, tag);
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            HELD.put(tag, new Held(ch, lock, new int[] {1}));
            removeStale(tag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock namespace tag " + tag, e);
        }
    }

    /** Counts one user less; the last one releases the lock. */
    static synchronized void release(String tag) {
        Held held = HELD.get(tag);
        if (held == null || --held.users()[0] > 0) {
            return;
        }
        HELD.remove(tag);
        try {
            held.lock().release();
            held.channel().close();
        } catch (IOException ignored) {
            // the kernel releases the lock when the JVM exits anyway
        }
    }

    private static FileLock waitForLock(FileChannel ch, Path file, String tag) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean told = false;
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            if (!told) {
                System.err.println("mvpn harness: namespace tag '" + tag + "' is in use by process "
                        + Files.readString(file).strip() + "; waiting up to " + WAIT.toMinutes() + " min");
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("namespace tag '" + tag + "' still in use by process "
                        + Files.readString(file).strip() + " (" + file + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + file);
            }
        }
    }

    /** Deletes leftover namespaces {@code mvpn-<tag>-*}: their owner is gone, or we would not hold the lock. */
    private static void removeStale(String tag) {
        for (String ns : Netns.list()) {
            String[] parts = ns.split("-", 3);
            if (parts.length == 3 && (parts[0] + "-").equals(Netns.PREFIX) && parts[1].equals(tag)) {
                System.err.println("mvpn harness: removing stale namespace " + ns);
                Netns.destroy(ns);
            }
        }
    }
}
