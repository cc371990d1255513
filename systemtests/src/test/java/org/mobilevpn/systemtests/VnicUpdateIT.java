package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A new build of the vnic bundle, and then of the webconsole and metrics bundles, deployed under a running
 * tunnel with pings at 100 per second through it (issue 11: after a vnic update the connection read
 * CONNECTED for minutes with its TUN device gone and nothing passing). The leaving vnic bundle keeps the
 * device, the next one hands it back (the same device, by its kernel index): strongSwan shows the same IKE
 * SA and Child SA before and after each update, the connection never reads CONNECTED while its device is
 * missing, and traffic flows on. Pings lost per update are printed and held under issue 11's goal: the tunnel goes
 * on through the kept device while the bundles change ({@link #MAX_PINGS_LOST}).
 */
@SystemTest(tag = "vnicupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class VnicUpdateIT {
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private static final int DPD_SECONDS = 3;
    /**
     * Issue 11's goal, under 100 ms of traffic per update, at the nominal 100 pings a second. Clearly above noise:
     * updates that never touch the tunnel (webconsole, metrics) lose 0-1 pings on this loaded machine, and so does a
     * vnic update whose device keeps its reader; a device left without a reader while the bundles change lost 15-99
     * (docs/benchmarks.md "Bundle updates under traffic").
     */
    private static final int MAX_PINGS_LOST = 10;
    /**
     * How long the status is watched after the vnic update: longer than the 10 s the policy waits for a vnic factory
     * before it starts the connection again (issue 11's CONNECTED without a device lasted minutes).
     */
    private static final Duration VNIC_WATCH = Duration.ofSeconds(15);
    /** After the webconsole and metrics updates, which the tunnel does not go through: a few looks once done. */
    private static final Duration OTHER_WATCH = Duration.ofSeconds(3);

    @Test
    void vnicWebconsoleAndMetricsUpdatesKeepTheSameIkeSaAndTrafficFlows(SystemTestContext ctx)
            throws IOException, InterruptedException {
        OfficeConnection.Office o = OfficeConnection.up(ctx, "dpd_delay = " + DPD_SECONDS + "s");
        TestNetwork net = o.net();
        StrongSwanGateway gw = o.gw();
        RuntimeProcess runtime = o.runtime();
        assertPing(net.client());
        IkeSa before = single(gw.listSas());
        String device = SwapChecks.deviceIndex(net.client());

        for (String bundle : new String[] {"org.mobilevpn.vnic", "org.mobilevpn.webconsole", "org.mobilevpn.metrics"}) {
            updateUnderPing(ctx, net, runtime, bundle, bundle.equals("org.mobilevpn.vnic") ? VNIC_WATCH : OTHER_WATCH);
            IkeSa after = single(gw.listSas());
            SwapChecks.assertSameSas(before, after, "after the update of " + bundle);
            assertPing(net.client(), 5, " after the update of " + bundle);
            String status = runtime.execChecked("vpn:status office");
            assertTrue(status.contains("CONNECTED"), status);
        }
        // where each update's time went, to the millisecond (docs/benchmarks.md "Bundle updates under traffic")
        Files.copy(runtime.home().resolve("data/log/mobilevpn.log"), ctx.outputDir("runtime-log").resolve("mobilevpn.log"),
                StandardCopyOption.REPLACE_EXISTING);
        // the tunnel's destinations stayed pinned to mvpn0 (TunnelVision rules): the new vnic bundle's kill switch
        // took the rules over whole instead of removing them until the policy applied them again (0.2-0.5 s before)
        assertTrue(runtime.log().contains("kill switch of office taken over from the previous vnic bundle"),
                "the rules taken over:\n" + runtime.log());
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("RECONNECTING"), "no new tunnel:\n" + events);
        assertEquals(device, SwapChecks.deviceIndex(net.client()), "the same mvpn0 device, kept across the vnic update");

        // the connection goes on as before the updates: liveness checks answered, both rekeys go through
        SwapChecks.assertLivenessChecksAnswered(gw, SwapChecks.lastDpdAnswered(gw), DPD_SECONDS);
        SwapChecks.assertRekeysWork(runtime, gw, net.client(), before);
        assertTrue(runtime.execChecked("vpn:status office").contains("CONNECTED"));
    }

    /**
     * Deploys a new build of {@code bundle} while 100 pings a second run through the tunnel and checks, for
     * {@code watch} after the update, that CONNECTED is never read while mvpn0 is missing.
     */
    private static void updateUnderPing(SystemTestContext ctx, TestNetwork net, RuntimeProcess runtime, String bundle,
            Duration watch) throws InterruptedException {
        SteadyPing ping = ctx.register(SteadyPing.start(net.client(), TestNetwork.LAN_HOST_IP, Duration.ofMillis(10)));
        Thread.sleep(2000);
        runtime.redeploy(bundle, ctx.outputDir("builds-" + bundle), UPDATE);
        long end = System.nanoTime() + watch.toNanos();
        while (System.nanoTime() < end) {
            String status = runtime.execChecked("vpn:status office");
            CommandResult link = net.client().exec("ip", "link", "show", "mvpn0");
            if (status.contains("CONNECTED (kept up)") && link.exitCode() != 0) {
                // read again: the status may have changed between the two looks
                assertFalse(runtime.execChecked("vpn:status office").contains("CONNECTED (kept up)")
                        && net.client().exec("ip", "link", "show", "mvpn0").exitCode() != 0,
                        "CONNECTED without its virtual NIC after the update of " + bundle + ":\n" + status);
            }
            Thread.sleep(200);
        }
        int lost = SwapChecks.reportPingsLost(ping, bundle + " update");
        assertTrue(lost <= MAX_PINGS_LOST, lost + " pings lost in the update of " + bundle);
    }
}
