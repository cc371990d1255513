package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.util.List;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * Agreeing on MOBIKE in IKE_AUTH (RFC 4555 §3.1, §3.4): with {@code mobike = yes} our request says
 * MOBIKE_SUPPORTED and NO_ADDITIONAL_ADDRESSES (we decide our own path and tell the gateway each move; our other
 * addresses are none of its business); the gateway agrees by answering with MOBIKE_SUPPORTED, and may list its own
 * other addresses (ADDITIONAL_IP4/6_ADDRESS), which a later move may use.
 */
final class MobikeSupportTask implements Task {
    private final SessionContext ctx;

    MobikeSupportTask(SessionContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        if (ctx.config().mobike()) {
            request.add(NotifyPayload.of(NotifyType.MOBIKE_SUPPORTED));
            request.add(NotifyPayload.of(NotifyType.NO_ADDITIONAL_ADDRESSES));
        }
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        IkeMessage m = response.message();
        boolean agreed = ctx.config().mobike() && m.notify(NotifyType.MOBIKE_SUPPORTED) != null;
        ctx.mobike().agreed(agreed);
        if (agreed) {
            ctx.log().info("session " + ctx.config().name() + ": the gateway agrees to MOBIKE");
            List<InetAddress> addresses = additionalAddresses(m);
            if (addresses != null) {
                ctx.mobike().gatewayAddresses(addresses);
            }
        }
        return Outcome.DONE;
    }

    /**
     * The addresses of the ADDITIONAL_IP4/6_ADDRESS notifications (RFC 4555 §3.4, 4 or 16 octets each), empty for
     * NO_ADDITIONAL_ADDRESSES, {@code null} when the message says nothing about them. A value of the wrong length
     * is left out.
     */
    static List<InetAddress> additionalAddresses(IkeMessage m) {
        List<InetAddress> out = new java.util.ArrayList<>();
        boolean said = m.notify(NotifyType.NO_ADDITIONAL_ADDRESSES) != null;
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            int expected = n.notifyType() == NotifyType.ADDITIONAL_IP4_ADDRESS ? 4
                    : n.notifyType() == NotifyType.ADDITIONAL_IP6_ADDRESS ? 16 : 0;
            if (expected == 0) {
                continue;
            }
            said = true;
            byte[] data = n.data();
            if (data.length == expected) {
                try {
                    out.add(InetAddress.getByAddress(data));
                } catch (java.net.UnknownHostException e) {
                    // cannot happen for 4 or 16 octets
                }
            }
        }
        return said ? out : null;
    }
}
