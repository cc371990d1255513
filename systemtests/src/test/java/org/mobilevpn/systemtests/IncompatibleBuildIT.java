package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Issue 11: a build of the ike bundle that imports a version of {@code org.mobilevpn.api.ike} no bundle exports
 * ({@code [9,10)}; made here from the real jar with its manifest rewritten, and a higher Bundle-Version so it is
 * a second bundle beside the running one) is dropped into deploy/ of a runtime with a live tunnel. The resolver
 * refuses it: it stays INSTALLED and the log names the missing requirement; the running ike bundle stays ACTIVE,
 * and the tunnel stays CONNECTED with the same IKE SA at the gateway while pings flow.
 */
@SystemTest(tag = "incompat", requires = {"java", "tun", "ping", "charon", "swanctl"})
class IncompatibleBuildIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String IKE = "org.mobilevpn.ike";
    private static final Pattern IKE_API_IMPORT = Pattern.compile("org\\.mobilevpn\\.api\\.ike;version=\"[^\"]*\"");
    /** The range no api release has: the build asks for an api that does not exist. */
    static final String MISSING_RANGE = "[9,10)";

    @Test
    void aBuildThatNeedsAMissingApiIsRefusedAndTheRunningOneKeepsTheTunnel(SystemTestContext ctx)
            throws IOException, InterruptedException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "incompatible-build-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = 2s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"), runtime.log());
        assertPing(net.client());
        IkeSa before = single(gw.listSas());
        String runningId = runtime.bundleId(IKE);

        Path build = incompatibleBuild(IKE, runtime.deploy(), ctx.outputDir("builds"));
        RuntimeProcess.replaceAtomically(build, runtime.deploy().resolve(IKE + "-9.0.0.jar"));

        // FileInstall installs it and tries to start it: one more bundle with this name, not ACTIVE
        String refused = awaitSecondBundle(runtime, Duration.ofSeconds(60));
        assertNotEquals(runningId, refused);
        String states = runtime.execChecked("lb -s");
        assertTrue(bundleRow(states, refused).contains("Installed"), "the refused build stays INSTALLED:\n" + states);
        assertTrue(bundleRow(states, runningId).contains("Active"), "the running ike bundle stays ACTIVE:\n" + states);
        String why = awaitLog(runtime, "missing requirement", Duration.ofSeconds(30));
        assertTrue(why.contains("org.mobilevpn.api.ike") && why.contains("9.0.0"),
                "the log names the missing requirement:\n" + why);

        assertPing(net.client(), 20, " after the refused build: " + runtime.exec("vpn:status office").output());
        IkeSa after = single(gw.listSas());
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA at the gateway");
        assertEquals(before.initiatorSpi(), after.initiatorSpi());
        assertEquals(before.child().spiIn(), after.child().spiIn());
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        // and the running engine still runs the IKE SA: the gateway's rekey is answered
        gw.swanctl("--rekey", "--ike", "rw");
        OfficeConnection.awaitRekeyed(gw, before, Duration.ofSeconds(20)); // the running engine answered
        assertPing(net.client(), 3, " after the rekey");
    }

    /** The deployed jar of a bundle with its api.ike import moved to {@link #MISSING_RANGE} and Bundle-Version 9.0.0. */
    static Path incompatibleBuild(String symbolicName, Path deploy, Path workDir) throws IOException {
        Path jar = deployedJar(deploy, symbolicName);
        Files.createDirectories(workDir);
        Path out = workDir.resolve(symbolicName + "-9.0.0.jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            String imports = main.getValue("Import-Package");
            Matcher m = IKE_API_IMPORT.matcher(imports);
            assertTrue(m.find(), symbolicName + " imports org.mobilevpn.api.ike with a version range: " + imports);
            main.putValue("Import-Package", m.replaceFirst("org.mobilevpn.api.ike;version=\"" + MISSING_RANGE + "\""));
            main.putValue("Bundle-Version", "9.0.0");
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream copy = new JarOutputStream(file, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    copy.putNextEntry(new JarEntry(e.getName()));
                    ((InputStream) in).transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
        return out;
    }

    /** The jar of deploy/ a bundle was deployed from. */
    static Path deployedJar(Path deploy, String symbolicName) throws IOException {
        try (Stream<Path> jars = Files.list(deploy)) {
            return jars.filter(p -> p.getFileName().toString().startsWith(symbolicName + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + symbolicName + "-*.jar in " + deploy));
        }
    }

    /** The id of a second bundle named {@link #IKE}, once FileInstall installed it. */
    private static String awaitSecondBundle(RuntimeProcess runtime, Duration timeout) throws InterruptedException {
        Pattern row = Pattern.compile("(?m)^\\s*(\\d+)\\|.*\\|" + Pattern.quote(IKE) + " \\(9\\.0\\.0\\)");
        long deadline = System.nanoTime() + timeout.toNanos();
        String list = "";
        while (System.nanoTime() < deadline) {
            list = runtime.execChecked("lb -s");
            Matcher m = row.matcher(list);
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("FileInstall did not install the new build:\n" + list);
    }

    static String bundleRow(String list, String id) {
        return list.lines().filter(l -> l.strip().startsWith(id + "|")).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + id + ":\n" + list));
    }

    /** The first log line that contains {@code text}, once there is one. */
    static String awaitLog(RuntimeProcess runtime, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String log = runtime.log();
            int at = log.indexOf(text);
            if (at >= 0) {
                int start = log.lastIndexOf('\n', at) + 1;
                int end = log.indexOf('\n', at);
                return log.substring(start, end < 0 ? log.length() : end);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the log never said '" + text + "':\n" + runtime.log());
    }
}
