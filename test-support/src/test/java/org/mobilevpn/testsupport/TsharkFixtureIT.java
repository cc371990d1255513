package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * tshark decrypts a real capture (charon client -> charon gateway, two IKE SAs, a ping over the
 * AES-CBC/HMAC-SHA2-256 Child SA) with keys from the gateway's real log, and fails to with wrong keys.
 */
@SystemTest(tag = "tstshark", requires = {"tshark"})
class TsharkFixtureIT {

    private final Path pcap = Fixtures.path("two-ike-client-side.pcap");
    private final CharonKeyLog log = CharonKeyLog.parse(Fixtures.text("charon-gateway-two-ike.log"));
    private final List<IkeSa> sas = IkeSa.parseListSas(Fixtures.text("list-sas-two-ike.raw.txt"));

    @Test
    void espDecryptsWithTheLoggedKeysOnly() {
        IkeSa cbc = sas.get(0);
        List<Tshark.EspSa> espSas = Tshark.EspSa.fromCharon(log.child(cbc.child().spiIn()).orElseThrow());
        List<String> lines = Tshark.decryptEsp(pcap, espSas);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.contains("198.18.0.1 → 203.0.113.1") && l.contains("Echo (ping) request")).count(),
                String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.contains("203.0.113.1 → 198.18.0.1") && l.contains("Echo (ping) reply")).count(),
                String.join("\n", lines));

        // the other Child SA's keys must not decrypt these packets
        List<Tshark.EspSa> wrong = Tshark.EspSa.fromCharon(log.child(sas.get(1).child().spiIn()).orElseThrow());
        List<String> undecrypted = Tshark.decryptEsp(pcap, wrong);
        assertFalse(undecrypted.stream().anyMatch(l -> l.contains("ICMP")), String.join("\n", undecrypted));
    }

    @Test
    void ikeAuthPayloadsAppearOnlyWithTheRightKeys() {
        List<Tshark.IkeSaKeys> keys = sas.stream()
                .map(sa -> Tshark.IkeSaKeys.fromCharon(sa, log.ike(sa.uniqueId()).orElseThrow())).toList();
        String decrypted = String.join("\n", Tshark.decryptIke(pcap, keys));
        // IDi inside the encrypted IKE_AUTH request of both IKE SAs
        assertEquals(2, count(decrypted, "Identification Data:client@vpn.test"), decrypted);
        // TSr is in the IKE_AUTH request and response of both IKE SAs
        assertEquals(4, count(decrypted, "Payload: Traffic Selector - Responder (45)"), decrypted);

        String none = String.join("\n", Tshark.decryptIke(pcap, List.of()));
        assertEquals(0, count(none, "Identification Data:client@vpn.test"), none);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
