package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.Nftables;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Bundle updates in the middle of an exchange (issue 11's edge cases), against strongSwan through the runtime: the
 * gateway namespace drops IKE (port 500, and the non-ESP-marked datagrams on 4500; ESP-in-UDP passes, so pings
 * flow) in one direction around the update, so that the exchange is still unanswered when the old bundle goes,
 * for longer than the 2 s the old engine waits for an exchange to end. The exchange completes with the new bundle
 * once IKE passes again: the gateway keeps the same IKE SA (never a new IKE_SA_INIT), the rekey it was about is
 * done, pings pass, and liveness checks and rekeys work afterwards.
 */
@SystemTest(tag = "inflight", requires = {"java", "tun", "ping", "charon", "swanctl", "nft"})
class InFlightUpdateIT {
    private static final Duration UPDATE = Duration.ofSeconds(60);
    /**
     * Our liveness checks: long enough that none runs out while IKE is blocked around the update, which takes up to
     * about 20 s on a loaded machine. A check starts only after dpd_delay without an IKE message from the gateway and
     * while no exchange of ours is under way, and gives up one dpd_delay after it started. With our rekey in flight
     * none starts. While the gateway's rekey waits for our dropped answer, its retransmissions (4, 11 and 24 s after
     * its request) reach us and put a check off; at worst one starts 15 s after the last message we got, is sent
     * again 19 and 26 s after it and gives up at 30 s: IKE may stay blocked about 26 s. Each case then waits for one
     * check after the exchange, 15 s instead of 30.
     */
    private static final int DPD_SECONDS = 15;
    private static final String TABLE = "mvpn_inflight";
    /**
     * Until the rekey completes once IKE passes again: it waits for the next retransmission (ours at 4, 11, 24 and
     * 48 s after the request, the gateway's on strongSwan's schedule of the same shape), on a loaded machine.
     */
    private static final Duration COMPLETES = Duration.ofSeconds(90);

    @Test
    void anIkeUpdateWhileOurChildSaRekeyWaitsForItsAnswerKeepsTheIkeSa(SystemTestContext ctx) throws Exception {
        Midway m = updateMidExchange(ctx, "output", // the gateway's answers do not reach us
                o -> o.runtime().execChecked("vpn:rekey --child office"),
                o -> o.gw().awaitLog("generating CREATE_CHILD_SA response", Duration.ofSeconds(20)), // answer dropped
                "org.mobilevpn.ike");
        OfficeConnection.Office o = m.o();
        IkeSa before = m.before();
        SteadyPing ping = m.ping();

        IkeSa rekeyed = SwapChecks.await(o.gw(), sa -> !sa.child().spiIn().equals(before.child().spiIn()), COMPLETES);
        checkSameIkeSa(before, rekeyed, o);
        String log = o.runtime().log();
        assertTrue(log.contains("with our IkeRequestInFlight[CHILD_REKEY") && log.contains("going on with our"),
                "our rekey request was handed over in flight and resumed:\n" + log);
        SwapChecks.reportPingsLost(ping, "ike bundle update during our Child SA rekey");
        checkWorksAfterwards(o, rekeyed);
    }

    @Test
    void aPolicyUpdateWhileTheGatewayRekeysItsChildSaKeepsTheIkeSa(SystemTestContext ctx) throws Exception {
        Midway m = updateMidExchange(ctx, "input", // our answers do not reach the gateway
                o -> o.gw().swanctl("--rekey", "--child", "rw"),
                o -> awaitLog(o, "(the gateway's rekey)", Duration.ofSeconds(20)), // answered, answer dropped
                "org.mobilevpn.policy");
        OfficeConnection.Office o = m.o();
        IkeSa before = m.before();
        SteadyPing ping = m.ping();

        IkeSa rekeyed = SwapChecks.await(o.gw(), sa -> !sa.child().spiIn().equals(before.child().spiIn()), COMPLETES);
        checkSameIkeSa(before, rekeyed, o);
        String log = o.runtime().log();
        assertTrue(log.contains("taken over from the previous policy manager"), "handed over:\n" + log);
        SwapChecks.reportPingsLost(ping, "policy bundle update during the gateway's Child SA rekey");
        checkWorksAfterwards(o, rekeyed);
    }

    @Test
    void anIkeUpdateWhileTheGatewayRekeysTheIkeSaGoesOnWithItsSuccessor(SystemTestContext ctx) throws Exception {
        Midway m = updateMidExchange(ctx, "input", // our answer does not reach the gateway
                o -> o.gw().swanctl("--rekey", "--ike", "rw"),
                o -> awaitLog(o, "rekeyed to", Duration.ofSeconds(20)), // answered, answer dropped
                "org.mobilevpn.ike");
        OfficeConnection.Office o = m.o();
        Netns client = o.net().client();
        IkeSa before = m.before();
        SteadyPing ping = m.ping();

        // the gateway asks again on the old IKE SA, gets our answer from the new engine, deletes the old one
        IkeSa rekeyed = SwapChecks.await(o.gw(), sa -> !sa.initiatorSpi().equals(before.initiatorSpi()), COMPLETES);
        String context = "\ngateway:\n" + o.gw().log() + "\nruntime:\n" + o.runtime().log();
        assertEquals(before.child().spiIn(), rekeyed.child().spiIn(), "the same Child SA on the successor" + context);
        assertEquals(1, o.gw().log().split("IKE_SA_INIT request").length - 1, "one IKE_SA_INIT only" + context);
        assertTrue(o.runtime().log().contains("until the gateway deletes it"), "handed over with the old IKE SA" + context);
        assertPing(client, 3, " on the successor IKE SA: " + o.runtime().exec("vpn:status office").output());
        SwapChecks.reportPingsLost(ping, "ike bundle update during the gateway's IKE SA rekey");
        checkWorksAfterwards(o, rekeyed);
    }

    /**
     * The office connection with pings at 100/s through it, updated in the middle of an exchange; the pings run until
     * the test has seen traffic pass through the exchange's result.
     */
    private record Midway(OfficeConnection.Office o, IkeSa before, SteadyPing ping) {
    }

    private interface Step {
        void run(OfficeConnection.Office o) throws Exception;
    }

    /**
     * Brings the office connection up, starts 100 pings a second, blocks IKE in the gateway's {@code hook},
     * starts an exchange and waits until it is under way, updates {@code bundle} and lets IKE pass again.
     */
    private static Midway updateMidExchange(SystemTestContext ctx, String hook, Step startExchange, Step underWay,
            String bundle) throws Exception {
        OfficeConnection.Office o = OfficeConnection.up(ctx, "dpd_delay = " + DPD_SECONDS + "s");
        Netns client = o.net().client();
        assertPing(client);
        IkeSa before = single(o.gw().listSas());
        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(10)));
        blockIke(o.gw().netns(), hook);
        startExchange.run(o);
        underWay.run(o);
        o.runtime().redeploy(bundle, ctx.outputDir("builds"), UPDATE);
        o.runtime().awaitHealthy(UPDATE);
        unblockIke(o.gw().netns());
        return new Midway(o, before, ping);
    }

    /** The IKE SA of {@code before}, never a new one; its Child SA rekeyed once, and traffic flows through it. */
    private static void checkSameIkeSa(IkeSa before, IkeSa after, OfficeConnection.Office o) {
        String context = "\ngateway:\n" + o.gw().log() + "\nruntime:\n" + o.runtime().log();
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA at the gateway, no new handshake" + context);
        assertEquals(before.initiatorSpi(), after.initiatorSpi());
        assertEquals(before.responderSpi(), after.responderSpi());
        assertNotEquals(before.child().spiOut(), after.child().spiOut(), "the Child SA was rekeyed");
        assertFalse(o.gw().log().contains("initiating IKE_SA") || o.gw().log().split("IKE_SA_INIT request").length > 2,
                "one IKE_SA_INIT only" + context);
        assertPing(o.net().client(), 3, " through the rekeyed Child SA: " + o.runtime().exec("vpn:status office").output());
    }

    /** Liveness checks answered, our Child SA rekey and the gateway's IKE SA rekey go through, never a reconnect. */
    private static void checkWorksAfterwards(OfficeConnection.Office o, IkeSa now) throws InterruptedException {
        int lastDpd = SwapChecks.lastDpdAnswered(o.gw());
        long deadline = System.nanoTime() + Duration.ofSeconds(2L * DPD_SECONDS + 10).toNanos();
        while (SwapChecks.lastDpdAnswered(o.gw()) <= lastDpd && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertTrue(SwapChecks.lastDpdAnswered(o.gw()) > lastDpd, "the gateway answers the engine's liveness check");
        SwapChecks.assertRekeysWork(o.runtime(), o.gw(), o.net().client(), now);
        String status = o.runtime().execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        String events = o.runtime().execChecked("vpn:events office");
        // the first connect at most (the event log starts anew with a policy update)
        assertFalse(events.contains("RECONNECTING") || events.split("ESTABLISHED").length > 2, "no new tunnel:\n" + events);
    }

    private static void awaitLog(OfficeConnection.Office o, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!o.runtime().log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in the runtime log:\n" + o.runtime().log());
            Thread.sleep(200);
        }
    }

    /**
     * Drops IKE in the gateway's {@code hook} (input: what we send, output: what it sends): port 500, and on 4500
     * what carries the non-ESP marker (four zero octets after the UDP header, RFC 3948 §2.2); ESP-in-UDP passes.
     */
    private static void blockIke(Netns gateway, String hook) {
        String port = hook.equals("input") ? "dport" : "sport";
        Nftables.apply(gateway, "table inet " + TABLE + " {\n  chain " + hook + " {\n"
                + "    type filter hook " + hook + " priority 0; policy accept;\n"
                + "    udp " + port + " 500 counter drop\n"
                + "    udp " + port + " 4500 @th,64,32 0 counter drop\n  }\n}\n");
    }

    private static void unblockIke(Netns gateway) {
        gateway.execChecked("nft", "delete", "table", "inet", TABLE);
    }
}
