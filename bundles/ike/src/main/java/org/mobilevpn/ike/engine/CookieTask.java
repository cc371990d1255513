package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * Stateless cookies (RFC 7296 §2.6): when the gateway answers IKE_SA_INIT with only a COOKIE, send the
 * same request again with that COOKIE as the first payload.
 */
final class CookieTask implements Task {
    /** A gateway insisting on ever new cookies is treated as broken, not retried forever. */
    static final int MAX_COOKIES = 3;

    private byte[] cookie;
    private int received;

    @Override
    public void buildRequest(RequestBuilder request) {
        if (cookie != null) {
            request.addFirst(NotifyPayload.of(NotifyType.COOKIE, cookie));
        }
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        NotifyPayload n = response.message().notify(NotifyType.COOKIE);
        if (n == null) {
            return Outcome.DONE;
        }
        if (++received > MAX_COOKIES) {
            throw new IkeFailureException(FailureReason.UNREACHABLE, "gateway keeps demanding new cookies");
        }
        byte[] data = n.data();
        if (data.length < 1 || data.length > 64) {
            throw new IkeFailureException(FailureReason.INTERNAL, "COOKIE of " + data.length + " octets");
        }
        cookie = data;
        return Outcome.RETRY;
    }
}
