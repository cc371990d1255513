package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;

/**
 * Deleting an IKE SA with its Child SAs (RFC 7296 §1.4.1): INFORMATIONAL with Delete(IKE). The current
 * SA's delete ends the session; a rekeyed-away SA's delete just retires it. An unanswered delete is
 * treated as done (the exchange's timeout reason is {@code null}).
 */
final class IkeDeleteTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;

    IkeDeleteTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    static Exchange exchange(SessionContext ctx, IkeSa sa) {
        sa.moveTo(IkeSaState.DELETING); // from now on, rekeys of it are refused or undone (RFC 7296 §2.25.2)
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(new IkeDeleteTask(ctx, sa)), null);
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        request.add(DeletePayload.ikeSa());
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        if (sa == ctx.currentSa()) {
            ctx.endDeleted(false);
        } else {
            ctx.retiredSaGone(sa);
        }
    }
}
