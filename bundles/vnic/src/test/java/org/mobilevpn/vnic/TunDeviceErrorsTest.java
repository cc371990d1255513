package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.vnic.VnicException;

/** The messages an operator sees when the TUN device cannot be had. */
class TunDeviceErrorsTest {
    @TempDir
    Path dir;

    @Test
    void missingCloneDeviceSaysHowToCreateIt() {
        VnicException e = assertThrows(VnicException.class, () -> TunDevice.open(dir.resolve("tun"), "mvpn%d", 0));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("mknod"), e.getMessage());
    }

    @Test
    void refusedTunsetiffNamesTheCapability() {
        assertTrue(TunDevice.setIffError("mvpn0", LibC.EPERM).getMessage().contains("CAP_NET_ADMIN"));
        assertTrue(TunDevice.openError(Path.of("/dev/net/tun"), LibC.ENODEV).getMessage().contains("modprobe tun"));
    }

    @Test
    void overlongNameIsRefusedBeforeAnySyscall() {
        VnicException e = assertThrows(VnicException.class,
                () -> TunDevice.open(dir.resolve("tun"), "mvpn-much-too-long", 0));
        assertTrue(e.getMessage().contains("15 bytes"), e.getMessage());
    }
}
