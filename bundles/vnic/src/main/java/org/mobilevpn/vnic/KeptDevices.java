package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TUN devices kept across an update of the vnic bundle (issue 11, "the TUN device persists across a vnic
 * update"): the leaving bundle makes each open device persistent and marks it here; the next bundle, in the
 * same process, attaches to it when asked to open that name, with addresses, routes and journal as they
 * were. The mark names the process, so after a crash or a restart the device is stale and cleaned as any
 * other ({@link StaleStateCleaner}).
 */
final class KeptDevices {
    static final String SUFFIX = ".kept";
    private final Path stateDir;
    private final long pid;

    KeptDevices(Path stateDir) {
        this(stateDir, ProcessHandle.current().pid());
    }

    KeptDevices(Path stateDir, long pid) {
        this.stateDir = stateDir;
        this.pid = pid;
    }

    /** Marks {@code device} as kept by this process for the next vnic bundle. */
    void mark(String device) throws IOException {
        Files.createDirectories(stateDir);
        Files.writeString(marker(device), Long.toString(pid), StandardCharsets.US_ASCII);
    }

    /** Whether this process kept {@code device} for us (a mark of another process is stale). */
    boolean isKept(String device) {
        try {
            return Files.readString(marker(device), StandardCharsets.US_ASCII).trim().equals(Long.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }

    /** The device is taken over or gone: its mark goes. */
    void unmark(String device) throws IOException {
        Files.deleteIfExists(marker(device));
    }

    private Path marker(String device) {
        return stateDir.resolve(device + SUFFIX);
    }
}
