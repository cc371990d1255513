package org.mobilevpn.ike.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.testsupport.CharonKeyLog;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;

/** Our SAs against the gateway's own view: SPIs from swanctl --list-sas, keys from charon's key log. */
final class KeyAssertions {

    private KeyAssertions() {
    }

    /** The gateway's key log (charon at level 4 for ike and chd). */
    static CharonKeyLog keyLog(org.mobilevpn.testsupport.StrongSwanGateway gw) {
        return CharonKeyLog.parse(gw.log());
    }

    static void sameIkeSa(IkeSaInfo ours, IkeSa gateways, CharonKeyLog log) {
        sameIkeSpis(ours, gateways);
        sameIkeKeys(ours, log.ike(gateways.uniqueId()).orElseThrow(() -> new AssertionError("no keys logged for " + gateways)));
    }

    static void sameIkeSpis(IkeSaInfo ours, IkeSa gateways) {
        assertEquals(EngineFixture.spi(ours.initiatorSpi()), gateways.initiatorSpi(), "SPIi");
        assertEquals(EngineFixture.spi(ours.responderSpi()), gateways.responderSpi(), "SPIr");
    }

    static void sameIkeKeys(IkeSaInfo ours, CharonKeyLog.IkeKeys keys) {
        assertEquals(EngineFixture.hex(keys.skD()), EngineFixture.hex(ours.keys().skD()), "SK_d");
        assertEquals(EngineFixture.hex(keys.skAi()), EngineFixture.hex(ours.keys().skAi()), "SK_ai");
        assertEquals(EngineFixture.hex(keys.skAr()), EngineFixture.hex(ours.keys().skAr()), "SK_ar");
        assertEquals(EngineFixture.hex(keys.skEi()), EngineFixture.hex(ours.keys().skEi()), "SK_ei");
        assertEquals(EngineFixture.hex(keys.skEr()), EngineFixture.hex(ours.keys().skEr()), "SK_er");
        assertEquals(EngineFixture.hex(keys.skPi()), EngineFixture.hex(ours.keys().skPi()), "SK_pi");
        assertEquals(EngineFixture.hex(keys.skPr()), EngineFixture.hex(ours.keys().skPr()), "SK_pr");
    }

    /** The gateway receives with our outbound SPI and keys, and sends with our inbound ones. */
    static void sameChildSa(ChildSaInfo ours, ChildSa gateways, CharonKeyLog log) {
        assertEquals(EngineFixture.spi(ours.spiOut()), gateways.spiIn(), "gateway's spi-in is our outbound SPI");
        assertEquals(EngineFixture.spi(ours.spiIn()), gateways.spiOut(), "gateway's spi-out is our inbound SPI");
        CharonKeyLog.ChildKeys keys = log.child(gateways.spiIn()).orElseThrow(() -> new AssertionError("no keys logged for " + gateways));
        assertEquals(EngineFixture.hex(keys.inboundEncryptionKey()),
                EngineFixture.hex(ours.keys().out().encryptionKey()) + EngineFixture.hex(ours.keys().out().salt()), "key we send with");
        assertEquals(EngineFixture.hex(keys.outboundEncryptionKey()),
                EngineFixture.hex(ours.keys().in().encryptionKey()) + EngineFixture.hex(ours.keys().in().salt()), "key we receive with");
        assertEquals(EngineFixture.hex(keys.inboundIntegrityKey()), EngineFixture.hex(ours.keys().out().integrityKey()), "integrity out");
        assertEquals(EngineFixture.hex(keys.outboundIntegrityKey()), EngineFixture.hex(ours.keys().in().integrityKey()), "integrity in");
    }
}
