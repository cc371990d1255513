package org.mobilevpn.ike.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.ike.it.EngineFixture.HANDSHAKE;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.ike.it.RecordingListener.ChildRekeyed;
import org.mobilevpn.ike.it.RecordingListener.ChildUp;
import org.mobilevpn.ike.it.RecordingListener.IkeRekeyed;
import org.mobilevpn.ike.it.RecordingListener.IkeUp;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.NonceRandom;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Simultaneous IKE SA rekeying with strongSwan (RFC 7296 §2.8.2), and Child SA rekeying (§2.8.1). A namespace link has no delay of its own
 * (and this kernel has no netem), so the two CREATE_CHILD_SA requests are made to cross by holding our
 * datagrams back in the transport: our request leaves while the gateway's, started with
 * {@code swanctl --rekey --ike}, is already answered by us but our answer not yet sent. Then we let them go
 * in the order each case needs. The gateway's own log says how it resolved the collision; afterwards it must
 * hold exactly one IKE SA, the one we run on, with the keys we derived, and the Child SA below it.
 */
@SystemTest(tag = "ikecoll", requires = {"charon", "swanctl"})
class IkeRekeyCollisionIT {
    private static final String PSK = "ike-collision-psk";
    private static final Pattern VERDICT = Pattern.compile(
            "IKE_SA rekey collision (won|lost)[^\\n]*redundant IKE_SA rw\\[(\\d+)\\]");

    private static final byte[] LOWEST = new byte[32];

    private record Setup(NonceRandom random, StrongSwanGateway gw, HoldingTransport transport, RecordingListener events, IkeSession session,
            IkeSaInfo first, ChildSaInfo child) {
    }

    private static Setup establish(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        NonceRandom random = new NonceRandom();
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine"), random));
        HoldingTransport transport = new HoldingTransport(engine.transport());
        RecordingListener events = new RecordingListener();
        IkeSession session = engine.engine.start(EngineFixture.pskConfig(PSK).build(), transport, events);
        IkeSaInfo first = events.next(IkeUp.class, HANDSHAKE).info();
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();
        return new Setup(random, gw, transport, events, session, first, child);
    }

    /**
     * Our rekey request and our answer to the gateway's are both held: the requests have crossed. The lowest
     * of the four nonces is our Ni (in the SA we create) or our Nr (in the gateway's SA), as asked.
     */
    private static void crossRequests(Setup s, boolean oursGetsTheLowestNonce) throws Exception {
        s.transport.hold();
        if (oursGetsTheLowestNonce) {
            s.random.nextNonce(LOWEST);
        }
        s.session.rekeyIkeSa();
        s.transport.awaitHeld(1, HANDSHAKE);
        if (!oursGetsTheLowestNonce) {
            s.random.nextNonce(LOWEST);
        }
        s.gw.swanctl("--rekey", "--ike", "rw");
        s.transport.awaitHeld(2, HANDSHAKE);
    }

    @Test
    void bothSidesNoticeAndTheGatewaysSaSurvives(SystemTestContext ctx) throws Exception {
        bothSidesNotice(ctx, true);
    }

    @Test
    void bothSidesNoticeAndOurSaSurvives(SystemTestContext ctx) throws Exception {
        bothSidesNotice(ctx, false);
    }

    private static void bothSidesNotice(SystemTestContext ctx, boolean oursRedundant) throws Exception {
        Setup s = establish(ctx);
        crossRequests(s, oursRedundant);
        s.transport.sendHeld(0); // our request first: the gateway answers it during its own rekey
        s.gw.awaitLog("generating CREATE_CHILD_SA response \\d+ \\[ SA No KE \\]", HANDSHAKE);
        // Then our answer to its request: the gateway sees the collision. Our DELETE (of our redundant SA or of the
        // old one) stays held until it has: charon may process two datagrams of one IKE SA in either order.
        s.transport.sendHeld(0);
        Matcher verdict = VERDICT.matcher(s.gw.awaitLog(VERDICT.pattern(), HANDSHAKE));
        s.transport.releaseAll();
        assertTrue(verdict.find());
        // strongSwan's words from its own rekey's view: "won" when its SA survives
        assertEquals(oursRedundant ? "won" : "lost", verdict.group(1), verdict.group());
        IkeSaInfo survivor = s.events.next(IkeRekeyed.class, HANDSHAKE).info();

        IkeSa sa = oneIkeSaLeft(s.gw);
        assertNotEquals(Integer.parseInt(verdict.group(2)), sa.uniqueId(), "the gateway kept the SA it did not call redundant");
        assertNotEquals(EngineFixture.spi(s.first.initiatorSpi()), sa.initiatorSpi());
        KeyAssertions.sameIkeSa(survivor, sa, KeyAssertions.keyLog(s.gw));
        stillOneRekeyAndTheChildSaWorks(s, sa);
    }

    @Test
    void gatewayThatFinishesFirstHandsOverToItsSa(SystemTestContext ctx) throws Exception {
        Setup s = establish(ctx);
        crossRequests(s, true);
        s.transport.sendHeld(1); // our answer overtakes our request: the gateway completes its rekey...
        s.transport.awaitHeld(2, HANDSHAKE); // ...and deletes the old SA; our answer to that is held too
        s.transport.sendHeld(0); // our request now reaches an IKE SA the gateway is deleting (RFC 7296 §2.25.2)
        s.gw.awaitLog("generating CREATE_CHILD_SA response \\d+ \\[ N\\(TEMP_FAIL\\) \\]", HANDSHAKE);
        s.transport.releaseAll(); // then our answer to its DELETE
        IkeSaInfo survivor = s.events.next(IkeRekeyed.class, HANDSHAKE).info();

        IkeSa sa = oneIkeSaLeft(s.gw);
        assertTrue(s.gw.log().contains("peer initiated rekeying, but we are deleting"));
        assertTrue(!VERDICT.matcher(s.gw.log()).find(), "the gateway did not resolve a collision");
        KeyAssertions.sameIkeSa(survivor, sa, KeyAssertions.keyLog(s.gw));
        stillOneRekeyAndTheChildSaWorks(s, sa);
    }

    @Test
    void simultaneousChildRekeyOurSaRedundant(SystemTestContext ctx) throws Exception {
        simultaneousChildRekey(ctx, true);
    }

    @Test
    void simultaneousChildRekeyTheGatewaysSaRedundant(SystemTestContext ctx) throws Exception {
        simultaneousChildRekey(ctx, false);
    }

    /**
     * The same crossing for the Child SA (RFC 7296 §2.8.1): both new Child SAs are made, the one with the lowest
     * nonce is deleted by its creator, the old one by the creator of the survivor; the gateway ends with the
     * survivor only, with the keys we derived.
     */
    private static void simultaneousChildRekey(SystemTestContext ctx, boolean oursRedundant) throws Exception {
        Setup s = establish(ctx);
        s.transport.hold();
        if (oursRedundant) {
            s.random.nextNonce(LOWEST);
        }
        s.session.rekeyChildSa(s.child.spiIn());
        s.transport.awaitHeld(1, HANDSHAKE);
        if (!oursRedundant) {
            s.random.nextNonce(LOWEST);
        }
        s.gw.swanctl("--rekey", "--child", "rw");
        s.transport.awaitHeld(2, HANDSHAKE);
        s.transport.sendHeld(0); // our request first
        s.gw.awaitLog("generating CREATE_CHILD_SA response \\d+ \\[ SA No", HANDSHAKE);
        s.transport.sendHeld(0); // then our answer: the gateway sees the collision
        String verdict = s.gw.awaitLog("CHILD_SA rekey collision (won|lost)", HANDSHAKE);
        assertTrue(verdict.contains(oursRedundant ? "won" : "lost"), verdict); // strongSwan: "won" keeps its SA
        s.transport.releaseAll();

        // We answered the gateway's rekey first: its SA is reported (to receive with) before ours completes. Ours
        // is reported (to send with) only if it survives; a redundant SA of ours is never handed over.
        ChildSaInfo theirs = s.events.next(RecordingListener.ChildRekeyedByPeer.class, HANDSHAKE).info();
        ChildSaInfo survivor = oursRedundant ? theirs : s.events.next(ChildRekeyed.class, HANDSHAKE).info();
        // the old SA, and (in either order) the gateway's redundant one when ours survives
        java.util.Set<Integer> gone = new java.util.HashSet<>();
        gone.add(s.events.next(RecordingListener.ChildDeleted.class, HANDSHAKE).spiIn());
        if (!oursRedundant) {
            gone.add(s.events.next(RecordingListener.ChildDeleted.class, HANDSHAKE).spiIn());
        }
        assertEquals(oursRedundant ? java.util.Set.of(s.child.spiIn()) : java.util.Set.of(s.child.spiIn(), theirs.spiIn()),
                gone);
        IkeSa sa = oneIkeSaLeft(s.gw);
        assertTrue(s.events.all().stream().filter(e -> e instanceof ChildRekeyed).count() == (oursRedundant ? 0 : 1),
                s.events.all().toString());
        KeyAssertions.sameChildSa(survivor, IkeRekeyIT.installedChild(sa), KeyAssertions.keyLog(s.gw));
        assertEquals(EngineFixture.spi(s.first.initiatorSpi()), sa.initiatorSpi(), "the IKE SA is untouched");
        assertTrue(s.session.isActive());
    }

    /** Exactly one rekey was reported, and the Child SA moved: rekeying it works on the surviving IKE SA. */
    private static void stillOneRekeyAndTheChildSaWorks(Setup s, IkeSa sa) {
        assertEquals(EngineFixture.spi(s.child.spiOut()), IkeRekeyIT.installedChild(sa).spiIn());
        s.session.rekeyChildSa(s.child.spiIn());
        ChildRekeyed rekeyed = s.events.next(ChildRekeyed.class, HANDSHAKE);
        s.events.next(RecordingListener.ChildDeleted.class, HANDSHAKE);
        IkeSa after = oneIkeSaLeft(s.gw);
        assertEquals(sa.uniqueId(), after.uniqueId());
        KeyAssertions.sameChildSa(rekeyed.info(), IkeRekeyIT.installedChild(after), KeyAssertions.keyLog(s.gw));
        List<RecordingListener.Event> all = s.events.all();
        assertEquals(1, all.stream().filter(e -> e instanceof IkeRekeyed).count(), all.toString());
        assertTrue(all.stream().noneMatch(e -> e instanceof RecordingListener.Failed
                || e instanceof RecordingListener.IkeDeleted), all.toString());
        assertTrue(s.session.isActive());
    }

    /** Waits until the old and the redundant IKE SA are gone from the gateway, and returns the one left. */
    private static IkeSa oneIkeSaLeft(StrongSwanGateway gw) {
        return gw.awaitOneIkeSaWithOneChild(HANDSHAKE);
    }
}
