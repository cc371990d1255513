package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rendering rules of the swanctl.conf builder (loading it into charon is checked by the ITs). */
class SwanctlConfTest {

    @Test
    void oneSettingPerLineBecauseStrongSwanValuesRunToTheEndOfTheLine() {
        String text = SwanctlConf.gatewayPsk("s3cret").build().text();
        for (String line : text.split("\n")) {
            assertTrue(line.chars().filter(c -> c == '=').count() <= 1, line);
        }
        assertTrue(text.contains("    proposals = " + SwanctlConnection.DEFAULT_IKE_PROPOSALS + "\n"), text);
        assertTrue(text.contains("    pools = rw_pool\n"), text);
        assertTrue(text.contains("    addrs = 198.18.0.0/24\n"), text);
        assertTrue(text.contains("    dns = 203.0.113.53\n"), text);
    }

    @Test
    void secretIsQuotedAndEscaped() {
        String text = SwanctlConf.gatewayPsk("a \"quoted\" \\ secret").build().text();
        assertTrue(text.contains("secret = \"a \\\"quoted\\\" \\\\ secret\"\n"), text);
    }

    @Test
    void secondConnectionAndAdjustments() {
        String text = SwanctlConf.gatewayPsk("x")
                .configure("rw", c -> c.dpdDelay("5s").rekeyTime("30s").espProposals("aes128gcm16"))
                .connection(SwanctlConnection.gateway("rw2").localTs("203.0.113.2/32").pool(null))
                .build().text();
        assertTrue(text.contains("dpd_delay = 5s"), text);
        assertTrue(text.contains("esp_proposals = aes128gcm16"), text);
        assertTrue(text.contains("  rw2 {\n"), text);
        assertFalse(text.contains("rw2_pool"), text);
        assertEquals(1, text.split("pools = ", -1).length - 1, text);
    }

    @Test
    void unknownConnectionIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SwanctlConf.gatewayPsk("x").configure("nope", c -> { }));
    }
}
