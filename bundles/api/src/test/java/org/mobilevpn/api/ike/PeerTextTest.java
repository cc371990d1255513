package org.mobilevpn.api.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void ordinaryTextIsUnchanged() {
        String text = "C=CH, O=mobilevpn test, CN=gw.vpn.test";
        assertSame(text, PeerText.of(text));
    }

    @Test
    void lineBreaksEscapesAndBidiOverridesAreWrittenAsEscapes() {
        assertEquals("gw\\x0a2026 CONNECTED\\x1b[2J", PeerText.of("gw\n2026 CONNECTED\u001b[2J"));
        assertEquals("a\\u2028b\\u202ec\\u2066d", PeerText.of("a\u2028b\u202ec\u2066d"));
    }

    @Test
    void longTextIsCutSayingHowMuch() {
        String shown = PeerText.of("x".repeat(PeerText.MAX_LENGTH + 10));
        assertEquals("x".repeat(PeerText.MAX_LENGTH) + "...(10 more characters)", shown);
    }

    @Test
    void anIdentityFromTheGatewayPrintsSafely() {
        assertEquals("gw.vpn.test\\x0dforged", IkeIdentity.fqdn("gw.vpn.test\rforged").toString());
    }
}
