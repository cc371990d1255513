package org.mobilevpn.api.ike;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Our request that was sent and not yet answered when a session was handed over ({@link IkeSaRecord#inFlight()}):
 * what the next engine needs to go on with the exchange instead of the old engine deleting the IKE SA. The next
 * engine retransmits the same octets under the same message ID on the same schedule (RFC 7296 §2.1: a
 * retransmission is the same message, and the gateway answers it from its cache if it already processed it) and
 * processes the answer as the old engine would have.
 *
 * @param kind            what the request is for, which says what processing its answer needs
 * @param exchangeType    its IKE exchange type (RFC 7296 §3.1)
 * @param messageId       its message ID (RFC 7296 §2.2); the record's {@code nextRequestId} is the same until
 *                        it is answered
 * @param packets         the request as sent, protected (one datagram per fragment, RFC 7383)
 * @param retransmissions how often it was sent again so far
 * @param sentAt          when it was first sent (a liveness check's give-up bound and round-trip time count from it)
 * @param retransmitAt    when it is sent again next, or given up if the schedule is at its end
 * @param rekeyedChildSpi {@link Kind#CHILD_REKEY}: our inbound SPI of the Child SA being rekeyed; else 0
 * @param newChildSpi     {@link Kind#CHILD_REKEY}: our inbound SPI for the new Child SA, as the request offered it;
 *                        else 0
 * @param nonce           {@link Kind#CHILD_REKEY}: the request's nonce Ni (the new Child SA's keys are derived from
 *                        SK_d and both nonces, RFC 7296 §2.17); else empty
 */
public record IkeRequestInFlight(Kind kind, int exchangeType, int messageId, List<byte[]> packets,
        int retransmissions, Instant sentAt, Instant retransmitAt, int rekeyedChildSpi, int newChildSpi, byte[] nonce) {

    /** What a request handed over in flight is for. */
    public enum Kind {
        /** A liveness check (RFC 7296 §2.4): the answer proves the gateway alive, nothing more to process. */
        LIVENESS,
        /** A rekey of one of our Child SAs without PFS (RFC 7296 §1.3.3): the answer creates its successor. */
        CHILD_REKEY
    }

    public IkeRequestInFlight {
        Objects.requireNonNull(kind, "kind");
        packets = List.copyOf(packets);
        if (packets.isEmpty()) {
            throw new IllegalArgumentException("a request in flight was sent: packets must not be empty");
        }
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(retransmitAt, "retransmitAt");
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** Kind and message ID; never the octets. */
    @Override
    public String toString() {
        return "IkeRequestInFlight[" + kind + " #" + messageId + " sent " + (retransmissions + 1) + " time(s)]";
    }
}
