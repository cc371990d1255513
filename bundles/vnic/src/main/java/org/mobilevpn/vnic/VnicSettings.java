package org.mobilevpn.vnic;

import java.nio.file.Path;

/**
 * Where the NIC finds the system pieces it touches: the TUN clone device, the {@code ip}
 * executable, the resolv.conf it may manage, its state directory and the device name prefix
 * (everything with that prefix counts as ours when stale state is cleaned at start).
 */
record VnicSettings(Path tunDevice, String ipExecutable, Path resolvConf, Path stateDir, String namePrefix) {
    VnicSettings {
        if (!namePrefix.matches("[A-Za-z][A-Za-z0-9_-]{0,9}")) {
            throw new IllegalArgumentException("name prefix must be 1-10 characters [A-Za-z0-9_-]: " + namePrefix);
        }
    }
}
