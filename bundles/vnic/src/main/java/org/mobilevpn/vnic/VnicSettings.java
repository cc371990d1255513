package org.mobilevpn.vnic;

import java.nio.file.Path;

/**
 * Where the NIC finds the system pieces it touches: the TUN clone device, the {@code ip}
 * executable, the resolv.conf it may manage, its state directory and the device name prefix
 * (the kernel names our devices prefix + number: see {@link #isOwnDevice}).
 */
record VnicSettings(Path tunDevice, String ipExecutable, Path resolvConf, Path stateDir, String namePrefix) {
    VnicSettings {
        if (!namePrefix.matches("[A-Za-z][A-Za-z0-9_-]{0,9}")) {
            throw new IllegalArgumentException("name prefix must be 1-10 characters [A-Za-z0-9_-]: " + namePrefix);
        }
    }

    /**
     * Whether a link is one of our tunnel devices: the prefix followed by digits only ({@code mvpn0}, {@code mvpn12}),
     * as the kernel names them from {@code prefix%d}. Not any name that merely starts with the prefix: an uplink
     * called {@code mvpn-uplink} (the demo's veth is {@code mvpn-demo-c0}) is an uplink, not ours.
     */
    static boolean isOwnDevice(String name, String prefix) {
        return name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d*");
    }
}
