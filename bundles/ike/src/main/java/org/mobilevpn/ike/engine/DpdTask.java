package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;

/**
 * Liveness check (RFC 7296 §2.4): an empty INFORMATIONAL request. An answer proves the gateway alive;
 * none after all retransmissions means it is gone (PEER_GONE).
 */
final class DpdTask implements Task {

    static Exchange exchange() {
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(new DpdTask()), FailureReason.PEER_GONE);
    }

    @Override
    public void buildRequest(RequestBuilder request) {
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        return Outcome.DONE;
    }
}
