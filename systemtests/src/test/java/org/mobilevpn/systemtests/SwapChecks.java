package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;

/**
 * What the bundle update tests check after an update: the connection is still run by the bundles now there (the
 * gateway answers the engine's liveness checks, our Child SA rekey and the gateway's IKE SA rekey go through and
 * traffic flows after each), and the TUN device is the same one.
 */
final class SwapChecks {
    /** strongSwan's line for each liveness check of ours it answers. */
    private static final Pattern DPD_ANSWERED = Pattern.compile("generating INFORMATIONAL response (\\d+) \\[ \\]");

    private SwapChecks() {
    }

    /** The kernel's index of mvpn0: a device made again under the same name gets a new one. */
    static String deviceIndex(Netns client) {
        String line = client.exec("ip", "-o", "link", "show", "mvpn0").stdout();
        assertTrue(line.contains(": mvpn0:"), line);
        return line.substring(0, line.indexOf(':'));
    }

    /** The gateway still holds the IKE SA and Child SA it held before ({@code when} says after what). */
    static void assertSameSas(IkeSa before, IkeSa after, String when) {
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA at the gateway, no new handshake, " + when);
        assertEquals(before.initiatorSpi(), after.initiatorSpi());
        assertEquals(before.responderSpi(), after.responderSpi());
        assertEquals(before.child().spiIn(), after.child().spiIn(), "the same Child SA " + when);
        assertEquals(before.child().spiOut(), after.child().spiOut());
    }

    /**
     * Stops pings at 100/s that ran through an update, once the test has seen traffic flow after it (instead of
     * waiting out a fixed run), prints how many were lost and returns it: those unanswered before the last answer,
     * so that the ones still on their way at the stop (several, when a loaded machine delays the answers) do not count.
     */
    static int reportPingsLost(SteadyPing ping, String update) {
        SteadyPing.Result r = ping.stop();
        int lastAnswered = r.replies().isEmpty() ? r.transmitted() : r.replies().lastKey();
        long lost = r.lostSeqs().stream().filter(seq -> seq < lastAnswered).count();
        System.out.println(update + ": " + lost + " of " + lastAnswered + " pings lost at 100/s (about " + lost * 10
                + " ms of traffic)");
        return (int) lost;
    }

    /** The message ID of the last liveness check strongSwan answered, -1 if none. */
    static int lastDpdAnswered(StrongSwanGateway gw) {
        Matcher m = DPD_ANSWERED.matcher(gw.log());
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    /**
     * Waits for two more liveness checks answered than {@code lastBefore} (one could have been under way during
     * the update): the engine's message IDs and keys go on after it.
     */
    static void assertLivenessChecksAnswered(StrongSwanGateway gw, int lastBefore, int dpdSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(4L * dpdSeconds + 5).toNanos();
        while (lastDpdAnswered(gw) <= lastBefore + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(lastDpdAnswered(gw) > lastBefore + 1, "the gateway answered liveness checks after the update"
                + " (last answered before: " + lastBefore + ")\n" + gw.log());
    }

    /**
     * {@code vpn:rekey --child office}, then the gateway's IKE SA rekey: each completes at the gateway (new SPIs,
     * one IKE SA with one Child SA) and pings pass after each.
     */
    static void assertRekeysWork(RuntimeProcess runtime, StrongSwanGateway gw, Netns client, IkeSa before)
            throws InterruptedException {
        runtime.execChecked("vpn:rekey --child office");
        IkeSa childRekeyed = await(gw, sa -> !sa.child().spiIn().equals(before.child().spiIn()), Duration.ofSeconds(20));
        assertEquals(before.initiatorSpi(), childRekeyed.initiatorSpi());
        assertPing(client, 3, " after our Child SA rekey: " + runtime.exec("vpn:status office").output());

        gw.swanctl("--rekey", "--ike", "rw");
        await(gw, sa -> !sa.initiatorSpi().equals(before.initiatorSpi()), Duration.ofSeconds(20));
        assertPing(client, 3, " after the gateway's IKE SA rekey: " + runtime.exec("vpn:status office").output());
    }

    /** The gateway's one established IKE SA with one Child SA, once it matches {@code done}. */
    static IkeSa await(StrongSwanGateway gw, Predicate<IkeSa> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var sas = gw.listSas();
            if (sas.size() == 1 && sas.get(0).state().equals("ESTABLISHED") && sas.get(0).childSas().size() == 1
                    && done.test(sas.get(0))) {
                return sas.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the rekey did not complete at the gateway: " + gw.listSas());
    }
}
