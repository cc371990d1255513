package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * The gateway's own MOBIKE request, answered as responder through the runtime's own path (RFC 4555 §3.6): an address
 * is added to the gateway, strongSwan (the IKE SA's responder, which may not send UPDATE_SA_ADDRESSES: only the
 * initiator decides the addresses, RFC 4555 §3.5) sends an INFORMATIONAL with its new address list; the runtime answers
 * it, learns the address, and the IKE SA goes on.
 */
@SystemTest(tag = "gwaddr", requires = {"java", "tun", "ping", "charon", "swanctl"})
class GatewayAddressUpdateIT {
    private static final String NEW_GATEWAY_IP = "198.51.100.9";

    @Test
    void theGatewaysAddressListUpdateIsAnsweredAndLearnt(SystemTestContext ctx) throws Exception {
        OfficeConnection.Office o = OfficeConnection.up(ctx);
        IkeSa before = OfficeConnection.single(o.gw().listSas());
        o.net().gateway().address("wan0", NEW_GATEWAY_IP + "/24");
        // charon sees the new address through netlink and tells the peer (roam timeout, then one round trip)
        o.gw().awaitLog("sending address list update using MOBIKE", Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!o.runtime().log().contains(NEW_GATEWAY_IP) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String log = o.runtime().log();
        assertTrue(log.matches("(?s).*the gateway's other addresses \\[[^]]*" + NEW_GATEWAY_IP.replace(".", "\\.")
                + ".*"), "the runtime learnt the gateway's new address:\n" + log);
        Thread.sleep(3000); // a request left unanswered would be retransmitted within this
        String gwLog = o.gw().log();
        assertTrue(!gwLog.contains("retransmit"), "the gateway had to retransmit:\n" + gwLog);
        IkeSa after = OfficeConnection.single(o.gw().listSas());
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA");
        OfficeConnection.assertPing(o.net().client());
    }
}
