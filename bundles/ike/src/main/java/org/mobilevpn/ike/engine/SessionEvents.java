package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.osgi.service.log.Logger;

/**
 * Delivers events to the session's listener, shielding the engine from a listener that throws, and
 * guaranteeing exactly one final event with nothing after it.
 */
final class SessionEvents {
    private final IkeSessionListener listener;
    private final Logger log;
    private boolean ended;

    SessionEvents(IkeSessionListener listener, Logger log) {
        this.listener = listener;
        this.log = log;
    }

    void ikeSaEstablished(IkeSaInfo info) {
        deliver(() -> listener.ikeSaEstablished(info));
    }

    void childSaEstablished(ChildSaInfo info) {
        deliver(() -> listener.childSaEstablished(info));
    }

    void childSaRekeyed(int replacedSpiIn, ChildSaInfo info) {
        deliver(() -> listener.childSaRekeyed(replacedSpiIn, info));
    }

    void childSaRekeyedByPeer(int replacedSpiIn, ChildSaInfo info) {
        deliver(() -> listener.childSaRekeyedByPeer(replacedSpiIn, info));
    }

    void childSaDeleted(int spiIn, boolean byPeer) {
        deliver(() -> listener.childSaDeleted(spiIn, byPeer));
    }

    void ikeSaRekeyed(IkeSaInfo info) {
        deliver(() -> listener.ikeSaRekeyed(info));
    }

    void livenessChecked(java.time.Duration roundTrip) {
        deliver(() -> listener.livenessChecked(roundTrip));
    }

    /** @return false if a final event was delivered already */
    boolean ikeSaDeleted(boolean byPeer) {
        if (ended) {
            return false;
        }
        deliver(() -> listener.ikeSaDeleted(byPeer));
        ended = true;
        return true;
    }

    /** @return false if a final event was delivered already */
    boolean failed(FailureReason reason, String message) {
        if (ended) {
            return false;
        }
        deliver(() -> listener.failed(reason, message));
        ended = true;
        return true;
    }

    /** Whether the listener can take the session over as a record instead of a DELETE. */
    boolean canTakeOver() {
        return listener instanceof IkeHandOverListener;
    }

    /** Final event: the session was handed over as {@code record}; a listener that cannot take it only wipes it. */
    void handedOver(IkeSaRecord record) {
        if (ended || !(listener instanceof IkeHandOverListener taker)) {
            record.close();
            return;
        }
        deliver(() -> taker.handedOver(record));
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    private void deliver(Runnable event) {
        if (ended) {
            return;
        }
        try {
            event.run();
        } catch (RuntimeException e) {
            log.warn("session listener threw " + e);
        }
    }
}
