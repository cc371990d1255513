package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.proposal.EspTransforms;

/** One ESP Child SA as the engine keeps it (RFC 7296 §2.17); {@link #close()} wipes its keys. */
final class ChildSa implements AutoCloseable {
    final int spiIn;
    final int spiOut;
    final EspTransforms transforms;
    final ChildSaSecrets secrets;
    /** We started the exchange that created this SA: our outbound keys are the "i" keys. */
    final boolean weInitiated;
    final List<TrafficSelector> localTs;
    final List<TrafficSelector> remoteTs;
    Scheduler.Cancellable rekeyTimer;
    Scheduler.Cancellable expiryTimer;
    /** When {@link #rekeyTimer} fires, on the scheduler's clock; -1 when it is not set. */
    long rekeyDueMillis = -1;
    /** When {@link #expiryTimer} fires, on the scheduler's clock. */
    long expiryDueMillis;
    /** Being replaced or deleted: no second rekey, no new traffic. */
    boolean retiring;
    /** Our rekey of this SA in flight, if any. */
    ChildRekeyTask rekeying;
    /** The SA the gateway replaced this one with while our own rekey was in flight (collision). */
    ChildSa replacedByPeer;
    /** {Ni, Nr} of the exchange that created this SA, for collision resolution. */
    byte[][] nonces;
    /** The listener was told about this SA (a redundant SA of a rekey collision never is, nor its deletion). */
    boolean reported;

    ChildSa(int spiIn, int spiOut, EspTransforms transforms, ChildSaSecrets secrets, boolean weInitiated,
            List<TrafficSelector> localTs, List<TrafficSelector> remoteTs) {
        this.spiIn = spiIn;
        this.spiOut = spiOut;
        this.transforms = transforms;
        this.secrets = secrets;
        this.weInitiated = weInitiated;
        this.localTs = List.copyOf(localTs);
        this.remoteTs = List.copyOf(remoteTs);
    }

    void cancelTimers() {
        if (rekeyTimer != null) {
            rekeyTimer.cancel();
            rekeyTimer = null;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
    }

    @Override
    public void close() {
        cancelTimers();
        secrets.close();
    }

    @Override
    public String toString() {
        return String.format("CHILD_SA %08x_i %08x_o", spiIn, spiOut);
    }
}
