package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.ike.message.Payload;

/** Answers one kind of request the gateway starts (RFC 7296 §1.4: every request gets a response). */
interface PeerRequestHandler {

    /** The answer to a request, and what to do once it has been sent. */
    record Response(List<Payload> payloads, Runnable afterSent) {
        static Response of(List<Payload> payloads) {
            return new Response(payloads, () -> { });
        }

        /** An answer that is just this error notify (RFC 7296 §3.10.1). */
        static Response error(int notifyType) {
            return of(List.of(org.mobilevpn.ike.message.NotifyPayload.of(notifyType)));
        }
    }

    Response handle(IkeSa sa, ReceivedMessage request) throws IkeFailureException;
}
