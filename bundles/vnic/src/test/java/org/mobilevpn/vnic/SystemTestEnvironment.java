package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can run namespace system tests: root, ip, /dev/net/tun. Skips with the
 * reason otherwise, but fails under CI=true, where a missing environment is a broken CI.
 */
final class SystemTestEnvironment {
    private SystemTestEnvironment() {
    }

    static void require() {
        String missing = null;
        if (!isRoot()) {
            missing = "not root (needs CAP_NET_ADMIN for network namespaces and TUN devices)";
        } else if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing = "/dev/net/tun is missing";
        } else if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            missing = "iproute2's ip is missing";
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("system test environment missing under CI=true: " + missing);
            }
            Assumptions.abort("skipped: " + missing);
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
