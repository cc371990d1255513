package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Commands;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The distribution's systemd unit (systemd/mobilevpn.service). This machine has no running systemd (a
 * container without systemd as PID 1), so the unit is checked with {@code systemd-analyze verify}, which
 * parses it as systemd would and checks its ExecStart, and its capability set is tested by running the real
 * runtime with exactly that bounding set and no new privileges ({@code setpriv}, as systemd applies
 * CapabilityBoundingSet and NoNewPrivileges to the root service) until a tunnel carries a ping.
 */
@SystemTest(tag = "unit", requires = {"java", "systemd-analyze", "setpriv", "tun", "ping", "charon", "swanctl"})
class SystemdUnitIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String INSTALLED_AT = "/opt/mobilevpn";

    @Test
    void theUnitPassesSystemdAnalyzeVerifyAndHardensTheService(SystemTestContext ctx) throws IOException {
        Path home = RuntimeProcess.copyDistribution(ctx.outputDir("verify"));
        Path unit = home.resolve("systemd/mobilevpn.service");
        String text = Files.readString(unit);
        Path installed = Files.writeString(ctx.outputDir("verify").resolve("mobilevpn.service"), text.replace(INSTALLED_AT,
                home.toString()));

        CommandResult verify = Commands.run(Duration.ofSeconds(60), Map.of(), null,
                List.of("systemd-analyze", "verify", installed.toString()));
        assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
        // verify exits 0 on lines it ignores (a misspelt value); they are warnings on its output
        assertEquals("", (verify.stdout() + verify.stderr()).strip(), "systemd-analyze has nothing to say");

        Map<String, String> service = section(text, "Service");
        assertEquals(INSTALLED_AT + "/bin/mobilevpn --daemon", service.get("ExecStart"));
        assertEquals("on-failure", service.get("Restart"));
        assertEquals(Set.of("CAP_NET_ADMIN", "CAP_NET_BIND_SERVICE"), capabilities(text));
        assertEquals("yes", service.get("NoNewPrivileges"));
        assertEquals("strict", service.get("ProtectSystem"));
        assertEquals("yes", service.get("PrivateTmp"));
        List<String> writable = Arrays.asList(service.get("ReadWritePaths").split("\\s+"));
        assertTrue(writable.containsAll(List.of(INSTALLED_AT + "/data", INSTALLED_AT + "/etc")), writable.toString());
        assertEquals("/dev/net/tun rw", service.get("DeviceAllow"));
    }

    @Test
    void theUnitsCapabilitiesAreEnoughForATunnel(SystemTestContext ctx) throws IOException {
        Set<String> caps = capabilities(Files.readString(RuntimeProcess.builtDistribution().resolve("systemd/mobilevpn.service")));
        String bounding = "-all," + caps.stream().map(c -> "+" + c.substring("CAP_".length()).toLowerCase())
                .collect(Collectors.joining(","));
        TestNetwork net = ctx.standardNetwork();
        String secret = "unit-it-" + System.nanoTime();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime"), Map.of(),
                home -> restrictedJava(home, bounding)));
        runtime.awaitHealthy(START);
        String check = runtime.execChecked("vpn:check");
        assertTrue(check.contains("cap_net_admin"), check);

        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\n" + runtime.log());
        assertPing(net.client());
        String status = Files.readString(Path.of("/proc/" + runtime.pid() + "/status"));
        assertTrue(status.lines().anyMatch(l -> l.equals("NoNewPrivs:\t1")), "runs without new privileges\n" + status);
        assertTrue(status.lines().anyMatch(l -> l.equals("CapBnd:\t0000000000001400")),
                "bounding set: CAP_NET_ADMIN (bit 12) and CAP_NET_BIND_SERVICE (bit 10) only\n" + status);
    }

    /**
     * jre/bin/java of the copy: this JVM's java under {@code setpriv} with the unit's bounding set and no new
     * privileges; bin/mobilevpn prefers jre/. A jlink image's own java, if the build made one, is kept aside.
     */
    private static void restrictedJava(Path home, String bounding) {
        try {
            Path java = home.resolve("jre/bin/java");
            String real = Path.of(System.getProperty("java.home"), "bin/java").toString();
            if (Files.exists(java)) {
                Path kept = java.resolveSibling("java.unrestricted");
                Files.move(java, kept);
                real = kept.toString();
            }
            Files.createDirectories(java.getParent());
            Files.writeString(java, "#!/bin/sh\nexec setpriv --bounding-set=" + bounding + " --inh-caps=-all --no-new-privs "
                    + real + " \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> capabilities(String unit) {
        return Set.of(section(unit, "Service").get("CapabilityBoundingSet").split("\\s+"));
    }

    /** key = value of one [section] of a unit file (the last assignment of a key wins, as in systemd). */
    private static Map<String, String> section(String unit, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : unit.lines().toList()) {
            if (line.startsWith("[")) {
                inside = line.equals("[" + name + "]");
            } else if (inside && !line.startsWith("#") && line.contains("=")) {
                keys.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return keys;
    }
}
