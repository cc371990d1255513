package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TUN devices kept across an update of the vnic bundle (issue 11, "the TUN device persists across a vnic
 * update"): the leaving bundle makes each open device persistent, leaves its descriptor open (the data path
 * goes on reading and writing through it) and marks it here with that descriptor's number; the next bundle, in
 * the same process, attaches a descriptor of its own to the device when asked to open that name
 * ({@link TunDevice#attach}), with addresses, routes and journal as they were, and the old descriptor is closed
 * only after that: the device always has a reader. The mark names the process ({@link RuntimeProcessId}), so after
 * a crash or a restart the device is stale and cleaned as any other ({@link StaleStateCleaner}).
 */
final class KeptDevices {
    static final String SUFFIX = ".kept";
    /** No descriptor kept open by this process. */
    static final int NONE = -1;
    private final Path stateDir;
    private final RuntimeProcessId process;

    KeptDevices(Path stateDir) {
        this(stateDir, RuntimeProcessId.current());
    }

    KeptDevices(Path stateDir, RuntimeProcessId process) {
        this.stateDir = stateDir;
        this.process = process;
    }

    /** Marks {@code device} as kept by this process for the next vnic bundle, still open as {@code descriptor}. */
    void mark(String device, int descriptor) throws IOException {
        Files.createDirectories(stateDir);
        Files.writeString(marker(device), process + " " + descriptor, StandardCharsets.US_ASCII);
    }

    /**
     * Whether this process kept {@code device} for us (a mark of another process is stale), open or not: a vnic
     * bundle of an earlier build closed the descriptor and marked the process only.
     */
    boolean isKept(String device) {
        return ours(read(device));
    }

    /**
     * The descriptor through which this process kept {@code device} open, or {@link #NONE} when it did not keep it
     * open. The number is a hint: {@link TunDevice#attach} checks what it is.
     */
    int keptDescriptor(String device) {
        String[] mark = read(device);
        try {
            return mark.length == 2 && ours(mark) ? Integer.parseInt(mark[1]) : NONE;
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    private boolean ours(String[] mark) {
        return process.isNamedBy(mark[0]);
    }

    /** The mark's words (process, descriptor), or one empty word without a mark. */
    private String[] read(String device) {
        try {
            return Files.readString(marker(device), StandardCharsets.US_ASCII).trim().split(" ");
        } catch (IOException e) {
            return new String[] {""};
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
