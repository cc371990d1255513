package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mobilevpn.testsupport.Commands;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The whole runtime on arm64: Debian's arm64 OpenJDK 17 under qemu-user (scripts/arm64-sysroot.sh unpacks it
 * with arm64 libc and OpenSSL's libcrypto, no multiarch) brings a tunnel up against strongSwan and carries a
 * ping. That proves no x86-only code: JNA loads its arm64 native part (TUN, netlink, sockets) and the IKE
 * engine signs with the arm64 libcrypto through JNA. Slow (qemu is about 9x slower than native), so only
 * with {@code -Dmvpn.arm64=true}; {@code -Dmvpn.arm64.sysroot=DIR} chooses where the arm64 root lives.
 *
 * <p>The copy's {@code jre/bin/java} is a wrapper that runs the arm64 java under qemu: bin/mobilevpn
 * prefers jre/ as it does for a jlink image. Processes the runtime starts ({@code ip}, {@code nft}) are the
 * host's: the JVM forks them with VFORK, because its default helper (jspawnhelper) is an arm64 binary the
 * host kernel cannot run without binfmt_misc.
 */
@SystemTest(tag = "arm64", requires = {"java", "tun", "ping", "charon", "swanctl"})
@EnabledIfSystemProperty(named = "mvpn.arm64", matches = "true")
class Arm64QemuIT {
    /** Start and handshake under emulation on a loaded 2-core machine: generous, the time is printed. */
    private static final Duration START = Duration.ofMinutes(10);

    @Test
    void theRuntimeOnArm64UnderQemuBringsATunnelUp(SystemTestContext ctx) throws IOException {
        Path sysroot = Path.of(System.getProperty("mvpn.arm64.sysroot", "/var/tmp/mobilevpn-arm64"));
        Path script = RuntimeProcess.builtDistribution().resolve("../../../scripts/arm64-sysroot.sh").normalize();
        Commands.run(Duration.ofMinutes(15), Map.of(), null, java.util.List.of(script.toString(), sysroot.toString())).check();

        TestNetwork net = ctx.standardNetwork();
        String secret = "arm64-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        long t0 = System.nanoTime();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime"), Map.of(),
                home -> qemuJava(home, sysroot)));
        Duration healthy = runtime.awaitHealthy(START);
        assertEquals("aarch64", runtime.execChecked("$.context property org.osgi.framework.processor").trim(),
                "the framework runs on arm64");

        writeProfile(runtime, secret, "autostart = true");
        runtime.awaitOutput("vpn:list", "CONNECTED", START);
        Duration connected = Duration.ofNanos(System.nanoTime() - t0);
        assertPing(net.client());
        assertEquals(1, gw.listSas().size(), "the gateway has our IKE SA");
        assertFalse(runtime.stderr().contains("no OpenSSL libcrypto"), "AUTH signatures by the arm64 libcrypto\n"
                + runtime.stderr());
        System.out.println("arm64 under qemu: healthy after " + healthy.toSeconds() + " s, CONNECTED "
                + connected.toSeconds() + " s after start");
        assertTrue(runtime.isAlive());
    }

    /** jre/bin/java of the copy: the arm64 java of the sysroot under qemu-user. */
    private static void qemuJava(Path home, Path sysroot) {
        try {
            Path bin = Files.createDirectories(home.resolve("jre/bin"));
            Path java = bin.resolve("java");
            Files.writeString(java, "#!/bin/sh\nexec qemu-aarch64-static -L " + sysroot + " " + sysroot
                    + "/usr/lib/jvm/java-17-openjdk-arm64/bin/java -Djdk.lang.Process.launchMechanism=VFORK \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
