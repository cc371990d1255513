package org.mobilevpn.ike.engine;

import java.time.Duration;

/**
 * Simultaneous IKE SA rekeying (RFC 7296 §2.8.2, with the nonce rule of §2.8.1 and the collision rules
 * of §2.25.2). When the gateway's CREATE_CHILD_SA rekeying the IKE SA arrives while ours is in flight, we
 * answer it as usual and remember its new SA ("theirs") on the old one; nothing switches yet. Then:
 * <ul>
 * <li>our exchange completes too: of the two new SAs, the one created with the lowest of the four nonces
 * is redundant and is deleted by the side that initiated it; the other inherits the Child SAs, and the
 * side that initiated the survivor deletes the old IKE SA (§2.8.1, §2.8.2);</li>
 * <li>our exchange fails (the gateway answers TEMPORARY_FAILURE because it finished its own rekey before
 * it saw ours, §2.8.2 last paragraph): theirs is the only new SA and takes over;</li>
 * <li>the gateway deletes the old IKE SA before our exchange completes: it did not notice the collision,
 * so we forget our attempt and theirs takes over (§2.8.2 last paragraph, §2.25.2). If it had noticed and
 * only our answer got lost, the SA it made for us stays orphaned at the gateway until it times out: we
 * never learned its keys.</li>
 * </ul>
 * The gateway deleting theirs before our exchange completes simply ends the collision: ours is then an
 * ordinary rekey. Whatever the other side should delete but does not is deleted by us after
 * {@link #FALLBACK_DELETE}, as strongSwan does for the same case.
 */
final class IkeRekeyCollision {
    /** How long the gateway gets to delete an SA §2.8.1 makes its job before we delete it ourselves. */
    static final Duration FALLBACK_DELETE = Duration.ofSeconds(30);

    private IkeRekeyCollision() {
    }

    /** We answered the gateway's rekey of {@code old} while ours is in flight: wait for ours to finish. */
    static void theirsAnswered(SessionContext ctx, IkeSa old, IkeSa theirs) {
        ctx.log().info("IKE rekey collision on " + old + ": the gateway created " + theirs + " while ours is in flight");
        ctx.ikeSaAdded(theirs);
        old.replacedByPeer = theirs;
    }

    /** Our rekey of {@code old} produced {@code ours}: an ordinary rekey, or the end of a collision. */
    static void oursCompleted(SessionContext ctx, IkeSa old, IkeSa ours) {
        if (old.state() == IkeSaState.DELETING) {
            // We are closing the session (our DELETE of old waits behind this rekey): the new SA goes too.
            ctx.ikeSaAdded(ours);
            ours.moveTo(IkeSaState.RETIRED);
            ctx.queue(ours, IkeDeleteTask.exchange(ctx, ours));
            return;
        }
        IkeSa theirs = pendingTheirs(old);
        if (theirs == null) {
            ctx.ikeSaReplaced(old, ours, true);
            return;
        }
        ctx.ikeSaAdded(ours);
        boolean oursRedundant = RekeyCollision.lowestNonceIsOurs(new byte[][] {ours.nonceI, ours.nonceR},
                new byte[][] {theirs.nonceI, theirs.nonceR});
        if (oursRedundant) {
            ctx.log().info("IKE rekey collision on " + old + " lost: deleting our redundant " + ours + "; "
                    + theirs + " takes over and the gateway deletes " + old);
            ours.moveTo(IkeSaState.RETIRED);
            ctx.ikeSaReplaced(old, theirs, false);
            ctx.queue(ours, IkeDeleteTask.exchange(ctx, ours));
            deleteLaterIfStillThere(ctx, old);
        } else {
            ctx.log().info("IKE rekey collision on " + old + " won: " + ours + " takes over; the gateway deletes its "
                    + theirs);
            theirs.moveTo(IkeSaState.RETIRED);
            ctx.ikeSaReplaced(old, ours, true);
            deleteLaterIfStillThere(ctx, theirs);
        }
    }

    /**
     * Our rekey of {@code old} was refused. @return true if the gateway's SA of a collision takes over (no
     * retry then), false if there was no collision
     */
    static boolean oursFailed(SessionContext ctx, IkeSa old) {
        IkeSa theirs = pendingTheirs(old);
        if (theirs == null) {
            return false;
        }
        ctx.log().info("the gateway did not notice the IKE rekey collision on " + old + ": " + theirs + " takes over");
        ctx.ikeSaReplaced(old, theirs, false);
        deleteLaterIfStillThere(ctx, old);
        return true;
    }

    /**
     * The gateway deleted {@code old} (already answered). @return true if the gateway's SA of a collision took
     * over and the session goes on, false if there was none (the session ends)
     */
    static boolean oldDeletedByPeer(SessionContext ctx, IkeSa old) {
        IkeSa theirs = pendingTheirs(old);
        if (theirs == null) {
            return false;
        }
        ctx.log().info("the gateway deleted " + old + " during the IKE rekey collision: forgetting our rekey, "
                + theirs + " takes over");
        ctx.ikeSaReplaced(old, theirs, false);
        ctx.retiredSaGone(old);
        return true;
    }

    private static IkeSa pendingTheirs(IkeSa old) {
        IkeSa theirs = old.replacedByPeer;
        old.replacedByPeer = null;
        return theirs == null || theirs.state() == IkeSaState.CLOSED ? null : theirs;
    }

    private static void deleteLaterIfStillThere(SessionContext ctx, IkeSa sa) {
        ctx.scheduler().schedule(FALLBACK_DELETE, () -> {
            if (sa.state() != IkeSaState.CLOSED && sa != ctx.currentSa()) {
                ctx.log().info(sa + " was not deleted by the gateway; deleting it");
                ctx.queue(sa, IkeDeleteTask.exchange(ctx, sa));
            }
        });
    }
}
