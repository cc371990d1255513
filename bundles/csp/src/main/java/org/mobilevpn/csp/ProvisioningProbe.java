package org.mobilevpn.csp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.mobilevpn.api.profile.ProvisioningItem;

/**
 * Looks at what the kernel must grant before a tunnel can exist: the TUN clone device can be opened
 * for reading and writing (Documentation/networking/tuntap.rst), and the process holds CAP_NET_ADMIN
 * (capability 12, capabilities(7)) in its effective set, without which TUNSETIFF, addresses and routes
 * are refused. Paths are injectable so tests need neither root nor a real device.
 */
final class ProvisioningProbe {
    static final int CAP_NET_ADMIN = 12;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private final Path tunDevice;
    private final Path procStatus;

    ProvisioningProbe(Path tunDevice, Path procStatus) {
        this.tunDevice = tunDevice;
        this.procStatus = procStatus;
    }

    /** The Linux defaults: /dev/net/tun and /proc/self/status. */
    static ProvisioningProbe linux() {
        return new ProvisioningProbe(Path.of("/dev/net/tun"), Path.of("/proc/self/status"));
    }

    ProvisioningItem tun() {
        try {
            Object mode = Files.getAttribute(tunDevice, "unix:mode");
            if (mode instanceof Integer m && (m & S_IFMT) != S_IFCHR) {
                return new ProvisioningItem("tun", false, tunDevice + " is not a character device");
            }
        } catch (NoSuchFileException e) {
            return new ProvisioningItem("tun", false, tunDevice + " does not exist: load the tun module (modprobe tun) "
                    + "or give the container the device");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // no unix attribute view: the open below still tells
        }
        try (FileChannel ignored = FileChannel.open(tunDevice, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new ProvisioningItem("tun", true, tunDevice + " opens read/write");
        } catch (IOException | SecurityException e) {
            return new ProvisioningItem("tun", false, tunDevice + " cannot be opened read/write: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    ProvisioningItem capNetAdmin() {
        try {
            List<String> lines = Files.readAllLines(procStatus);
            for (String line : lines) {
                if (line.startsWith("CapEff:")) {
                    String hex = line.substring("CapEff:".length()).strip();
                    long caps = Long.parseUnsignedLong(hex, 16);
                    boolean has = (caps & (1L << CAP_NET_ADMIN)) != 0;
                    return new ProvisioningItem("cap_net_admin", has, has ? "present (CapEff " + hex + ")"
                            : "missing (CapEff " + hex + "): run as root or grant it, e.g. AmbientCapabilities=CAP_NET_ADMIN "
                                    + "in the systemd unit");
                }
            }
            return new ProvisioningItem("cap_net_admin", false, procStatus + " has no CapEff line");
        } catch (IOException | NumberFormatException | SecurityException e) {
            return new ProvisioningItem("cap_net_admin", false, procStatus + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
