package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;

/**
 * Deleting a Child SA (RFC 7296 §1.4.1): INFORMATIONAL with a Delete payload of our inbound SPI; the
 * gateway answers with its own. Then the SA is removed and reported deleted.
 */
final class ChildDeleteTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;
    private final ChildSa child;

    ChildDeleteTask(SessionContext ctx, IkeSa sa, ChildSa child) {
        this.ctx = ctx;
        this.sa = sa;
        this.child = child;
    }

    static Exchange exchange(SessionContext ctx, IkeSa sa, ChildSa child) {
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(new ChildDeleteTask(ctx, sa, child)), FailureReason.PEER_GONE);
    }

    ChildSa child() {
        return child;
    }

    @Override
    public boolean obsolete() {
        return !sa.children.contains(child); // the gateway deleted it first
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        child.retiring = true;
        request.add(DeletePayload.esp(child.spiIn));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        if (sa.children.contains(child)) {
            ctx.childSaGone(sa, child, false);
        }
    }
}
