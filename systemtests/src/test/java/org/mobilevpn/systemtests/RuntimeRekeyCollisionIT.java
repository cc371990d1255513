package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.mobilevpn.systemtests.OfficeConnection.Office;
import org.mobilevpn.testsupport.IkeHold;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Simultaneous rekeys on the product's own path (RFC 7296 §2.8.1, §2.8.2): the runtime ({@code vpn:rekey}) and
 * the gateway ({@code swanctl --rekey}) rekey the same SA at the same time, and the requests cross on the wire
 * for certain. A namespace link has no delay and this kernel has no netem, so both ends' IKE datagrams are held
 * in a queue on their interface ({@link IkeHold}; ESP passes) until both requests wait there. Then the
 * gateway's request goes first: the runtime, its own request still unanswered, answers it (the answer is held
 * too); then our request and our answer go, and the gateway finds the collision as well (its log says so). Both
 * resolve it by the nonces (strongSwan may take our DELETE, sent once we resolved it, before our answer, and
 * then resolves it as a rekey/delete collision, to the same end); afterwards the gateway holds exactly one IKE
 * SA with one Child SA, the ones the runtime shows, the connection is the same one, and the ping stream across
 * it lost nothing beyond {@link RuntimeRekeyIT#MAX_LOSS}.
 */
@SystemTest(tag = "rtcollide", requires = {"java", "tun", "ping", "charon", "swanctl", "tc", "bash"})
class RuntimeRekeyCollisionIT {
    /** Both requests are sent within a second; this allows for a loaded machine. */
    private static final Duration HELD_WITHIN = Duration.ofSeconds(10);
    /**
     * §2.8.2: the redundant SA and the old one are deleted right after the collision is resolved; anything the
     * other side should delete but does not, we delete ourselves after 30 s (IkeRekeyCollision.FALLBACK_DELETE).
     * One IKE SA within 40 s means the resolution worked, even if by that fallback.
     */
    private static final Duration RESOLVED_WITHIN = Duration.ofSeconds(40);

    @Test
    void simultaneousIkeSaRekeysEndWithOneIkeSaOnTheSameConnection(SystemTestContext ctx) throws Exception {
        Office o = OfficeConnection.up(ctx, "dpd_delay = " + RuntimeRekeyIT.DPD_SECONDS + "s");
        IkeSa before = RekeyChecks.assertOneSaBothEndsAgree(o);
        cross(o, "vpn:rekey office", new String[] {"--rekey", "--ike", "rw"}, RekeyChecks.ikeSaOtherThan(before),
                "detected IKE_REKEY collision with IKE_REKEY", "IKE SA rekeyed");
    }

    @Test
    void simultaneousChildSaRekeysEndWithOneChildSaOnTheSameConnection(SystemTestContext ctx) throws Exception {
        Office o = OfficeConnection.up(ctx, "dpd_delay = " + RuntimeRekeyIT.DPD_SECONDS + "s");
        IkeSa before = RekeyChecks.assertOneSaBothEndsAgree(o);
        cross(o, "vpn:rekey --child office", new String[] {"--rekey", "--child", "rw"},
                RekeyChecks.childSaOtherThan(before), "detected CHILD_REKEY collision with CHILD_REKEY", "Child SA rekeyed");
    }

    private static void cross(Office o, String ourCommand, String[] gatewayCommand, Predicate<IkeSa> rekeyed,
            String gatewaySawTheCollision, String ourVerdict) throws Exception {
        long handshakes = RekeyChecks.handshakes(o.runtime());
        SteadyPing.Result loss;
        CompletableFuture<RuntimeProcess.Reply> command;
        try (SteadyPing ping = SteadyPing.start(o.net().client(), TestNetwork.LAN_HOST_IP, RuntimeRekeyIT.PING_INTERVAL);
             IkeHold ours = IkeHold.on(o.net().client(), "wan0", TestNetwork.GATEWAY_IP);
             IkeHold theirs = IkeHold.on(o.net().gateway(), "wan0", TestNetwork.CLIENT_IP)) {
            command = CompletableFuture.supplyAsync(() -> o.runtime().exec(ourCommand));
            ours.awaitHeld(1, HELD_WITHIN);
            o.gw().swanctl(gatewayCommand);
            theirs.awaitHeld(1, HELD_WITHIN);
            // both requests are on their way and neither has arrived: they cross
            theirs.release();
            ours.awaitHeld(2, HELD_WITHIN); // our answer to the gateway's request, behind our request
            ours.release();
            o.gw().awaitLog(gatewaySawTheCollision, RESOLVED_WITHIN); // our request came while its own was out
            IkeSa after = RekeyChecks.awaitGatewaySa(o.gw(), rekeyed, "one SA after the collision", RESOLVED_WITHIN);
            RuntimeProcess.Reply said = command.get(30, TimeUnit.SECONDS);
            assertTrue(said.ok() && said.output().contains(ourVerdict), said.output());
            // liveness checks and traffic go on for more than twice dpd_delay on what is left
            int checksBefore = RekeyChecks.livenessChecks(o.gw(), after.uniqueId());
            RekeyChecks.sleep(Duration.ofSeconds(2L * RuntimeRekeyIT.DPD_SECONDS + 3));
            loss = ping.stop();
            int checks = RekeyChecks.livenessChecks(o.gw(), after.uniqueId()) - checksBefore;
            assertTrue(checks >= 2, checks + " liveness checks after the collision, expected 2 or more");
            assertEquals(after.uniqueId(), RekeyChecks.assertOneSaBothEndsAgree(o).uniqueId(), "the gateway's IKE SA");
        }
        System.out.println("RuntimeRekeyCollisionIT, " + ourCommand + " against swanctl " + String.join(" ", gatewayCommand)
                + ": " + loss);
        RekeyChecks.assertSameConnection(o.runtime(), handshakes);
        assertTrue(loss.lost() <= RuntimeRekeyIT.MAX_LOSS, loss.toString());
        OfficeConnection.assertPing(o.net().client());
    }
}
