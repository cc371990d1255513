package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The marks a leaving vnic bundle leaves for the next one of the same process. */
class KeptDevicesTest {
    private static final RuntimeProcessId OURS = new RuntimeProcessId(4242, "2026-12-07T10:00:00Z");
    @TempDir
    Path state;

    @Test
    void aDeviceKeptOpenNamesItsDescriptorToThisProcessOnly() throws Exception {
        KeptDevices ours = new KeptDevices(state, OURS);
        ours.mark("mvpn0", 31);
        assertTrue(ours.isKept("mvpn0"));
        assertEquals(31, ours.keptDescriptor("mvpn0"));

        KeptDevices another = new KeptDevices(state, new RuntimeProcessId(4243, "2026-12-07T10:00:05Z")); // the next start after a crash
        assertFalse(another.isKept("mvpn0"));
        assertEquals(KeptDevices.NONE, another.keptDescriptor("mvpn0"), "another process's number means nothing here");
        // a container's runtime is PID 1 at every start: the same PID started later is another process
        KeptDevices samePidLater = new KeptDevices(state, new RuntimeProcessId(4242, "2026-12-07T10:00:05Z"));
        assertFalse(samePidLater.isKept("mvpn0"));
        assertEquals(KeptDevices.NONE, samePidLater.keptDescriptor("mvpn0"));

        ours.unmark("mvpn0");
        assertFalse(ours.isKept("mvpn0"));
        assertEquals(KeptDevices.NONE, ours.keptDescriptor("mvpn0"));
    }

    @Test
    void aMarkOfAnEarlierBuildKeepsTheDeviceWithoutADescriptor() throws Exception {
        // the vnic bundle of an earlier build closed the descriptor and wrote the process ID only: the device is
        // still ours to take over, by name
        Files.writeString(state.resolve("mvpn0" + KeptDevices.SUFFIX), "4242", StandardCharsets.US_ASCII);
        KeptDevices ours = new KeptDevices(state, OURS);
        assertTrue(ours.isKept("mvpn0"));
        assertEquals(KeptDevices.NONE, ours.keptDescriptor("mvpn0"));
    }
}
