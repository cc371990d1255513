package org.mobilevpn.api.ike;

import java.time.Duration;
import org.mobilevpn.api.FailureReason;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what happens to one session, in order, on the session's own thread (do not block it).
 * Every session ends with exactly one of {@link #ikeSaDeleted} or {@link #failed}.
 * The receiver owns the keys inside the records it is handed and closes the records when done.
 */
@ConsumerType
public interface IkeSessionListener {

    /** The IKE SA is authenticated both ways (end of IKE_AUTH). */
    default void ikeSaEstablished(IkeSaInfo ikeSa) {
    }

    /** A Child SA is ready to install (first one from IKE_AUTH, later ones from CREATE_CHILD_SA). */
    default void childSaEstablished(ChildSaInfo childSa) {
    }

    /**
     * We rekeyed a Child SA (RFC 7296 §2.8, we started the exchange and the gateway, which installed its side
     * before answering, agreed): install {@code replacement} and send with it from now on. The replaced SA
     * (inbound SPI {@code replacedSpiIn}) stays installed for inbound packets still in flight until
     * {@link #childSaDeleted} reports it gone, once the DELETE exchange for it has completed. Of two SAs made by
     * a simultaneous rekey (§2.8.1), the redundant one is never reported: it carries no traffic and goes at once.
     */
    default void childSaRekeyed(int replacedSpiIn, ChildSaInfo replacement) {
    }

    /**
     * The gateway rekeyed a Child SA and we are answering (RFC 7296 §2.8; reported before our answer leaves):
     * install {@code replacement} to receive with it now, since the gateway may send with it as soon as our
     * answer arrives, but go on sending with the replaced SA (inbound SPI {@code replacedSpiIn}): the gateway
     * installs its side of the new SA only when our answer arrives, so packets sent with it earlier are lost
     * (all of them until its retransmission, if our answer is lost). The gateway then deletes the replaced SA;
     * when {@link #childSaDeleted} reports that, send with {@code replacement}. By default the same as
     * {@link #childSaRekeyed}.
     *
     * @since 1.3
     */
    default void childSaRekeyedByPeer(int replacedSpiIn, ChildSaInfo replacement) {
        childSaRekeyed(replacedSpiIn, replacement);
    }

    /** A Child SA is gone (deleted by us or by the gateway, or expired); remove it. */
    default void childSaDeleted(int spiIn, boolean byPeer) {
    }

    /**
     * The IKE SA was rekeyed (RFC 7296 §2.18); its Child SAs are unchanged. When both sides rekeyed at the same
     * time (§2.8.2), this is reported once, for the new IKE SA that survives.
     */
    default void ikeSaRekeyed(IkeSaInfo replacement) {
    }

    /**
     * A liveness check (RFC 7296 §2.4, an empty INFORMATIONAL request) was answered; {@code roundTrip} is the
     * time from sending the check to its answer (from its first transmission if it had to be retransmitted).
     */
    default void livenessChecked(Duration roundTrip) {
    }

    /** The session ended normally: deleted by us (close) or by the gateway. Final event. */
    default void ikeSaDeleted(boolean byPeer) {
    }

    /** The session failed and is closed; all its SAs are gone. Final event. */
    default void failed(FailureReason reason, String message) {
    }
}
