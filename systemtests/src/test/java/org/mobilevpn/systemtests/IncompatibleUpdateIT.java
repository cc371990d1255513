package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Issue 11, the way README tells operators to update: a build that imports {@code org.mobilevpn.api.ike} in a
 * version no bundle exports ({@link IncompatibleBuildIT#MISSING_RANGE}) is renamed OVER the running ike jar, then
 * over the running policy jar, under pings at 100/s. FileInstall updates each in place, which stops the running
 * revision before the resolver refuses the new one; the launcher's DeployGuard puts the previous build back into
 * deploy/ and FileInstall takes it, so the bundle runs again and resumes the state its old revision handed over:
 * the gateway keeps the same IKE SA and Child SA (SPIs), the liveness checks go on, pings flow (how many were lost
 * is printed), one ERROR line names the bundle, the refused version and the missing requirement, and the refused
 * jar is kept under data/deployguard/refused. A build that fits, renamed over the jar afterwards, is taken normally.
 */
@SystemTest(tag = "incompupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class IncompatibleUpdateIT {
    /** Under load a poll of FileInstall, two updates and the hand-over can take long; the tunnel is what is checked. */
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private static final int DPD_SECONDS = 2;

    @Test
    void anUnresolvableBuildRenamedOverTheRunningOneIsUndoneAndTheTunnelStays(SystemTestContext ctx)
            throws IOException, InterruptedException {
        OfficeConnection.Office o = OfficeConnection.up(ctx, "dpd_delay = " + DPD_SECONDS + "s");
        TestNetwork net = o.net();
        Netns client = net.client();
        StrongSwanGateway gw = o.gw();
        RuntimeProcess runtime = o.runtime();
        assertPing(client);
        IkeSa before = single(gw.listSas());
        int lastDpdBefore = SwapChecks.lastDpdAnswered(gw);

        for (String bundle : List.of("org.mobilevpn.ike", "org.mobilevpn.policy")) {
            String id = runtime.bundleId(bundle);
            String row = IncompatibleBuildIT.bundleRow(runtime.execChecked("lb -s"), id);
            Path jar = IncompatibleBuildIT.deployedJar(runtime.deploy(), bundle);
            byte[] running = Files.readAllBytes(jar);
            Path refused = IncompatibleBuildIT.incompatibleBuild(bundle, runtime.deploy(), ctx.outputDir("builds"));

            // 100 pings a second through the tunnel for the whole update, until traffic is seen to pass after it
            SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(10)));
            Thread.sleep(2000);
            RuntimeProcess.replaceAtomically(refused, jar);

            // FileInstall updated the bundle in place and could not start the new build
            IncompatibleBuildIT.awaitLog(runtime, "Unable to resolve " + bundle + " [", UPDATE);
            // and then it runs again: every component satisfied, the same bundle with the previous build
            runtime.awaitHealthy(UPDATE);
            awaitRestored(jar, running);
            assertEquals(row.strip(), IncompatibleBuildIT.bundleRow(runtime.execChecked("lb -s"), id).strip(),
                    "the previous build of " + bundle + " runs again");

            String why = IncompatibleBuildIT.awaitLog(runtime, "build " + bundle + " 9.0.0 refused", UPDATE);
            assertTrue(why.startsWith("ERROR") && why.contains("missing requirement")
                    && why.contains("(osgi.wiring.package=org.mobilevpn.api.ike)(version>=9.0.0)")
                    && why.contains("is put back into deploy/"), "one line says what was refused and why:\n" + why);
            Path aside = runtime.home().resolve("data/deployguard/refused").resolve(jar.getFileName());
            assertTrue(Files.exists(aside) && Arrays.equals(Files.readAllBytes(refused), Files.readAllBytes(aside)),
                    "the refused jar is kept aside: " + aside);

            SwapChecks.assertSameSas(before, single(gw.listSas()), "after the refused " + bundle + " build");
            assertPing(client, 3, " after the refused " + bundle + " build: " + runtime.exec("vpn:status office").output());
            SwapChecks.reportPingsLost(ping, bundle + " build refused and put back");
            String status = runtime.execChecked("vpn:status office");
            assertTrue(status.contains("CONNECTED"), status);
        }
        SwapChecks.assertLivenessChecksAnswered(gw, lastDpdBefore, DPD_SECONDS);

        // a build that fits, renamed over the jar afterwards, is taken as any update is: same IKE SA after it
        runtime.redeploy("org.mobilevpn.ike", ctx.outputDir("builds"), UPDATE);
        runtime.awaitHealthy(UPDATE);
        SwapChecks.assertSameSas(before, single(gw.listSas()), "after a build that fits");
        SwapChecks.assertRekeysWork(runtime, gw, client, before);
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("RECONNECTING"), events);
    }

    /** Waits until deploy/ holds the previous build again (DeployGuard renames it back over the refused one). */
    private static void awaitRestored(Path jar, byte[] running) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + UPDATE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Arrays.equals(running, Files.readAllBytes(jar))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("deploy/ still holds the refused build " + jar);
    }
}
