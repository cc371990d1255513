package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternalDnsDomainTest {

    private static String parse(String value) {
        return InternalDnsDomain.parse(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void presentationFormatNamesAreLowerCasedWithoutTheTrailingDot() {
        assertEquals("corp.example", parse("Corp.EXAMPLE."));
        assertEquals("example", parse("example"));
        assertEquals("xn--caf-dma.example", parse("xn--caf-dma.example"));
        assertEquals("a-1.b2.example", parse("a-1.b2.example"));
    }

    @Test
    void labelsAndNamesStayWithinTheirLimits() {
        String label63 = "a".repeat(63);
        assertEquals(label63 + ".example", parse(label63 + ".example"));
        assertThrows(IllegalArgumentException.class, () -> parse("a" + label63 + ".example"));
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertEquals(253, name253.length());
        assertEquals(name253, parse(name253));
        assertEquals(name253, parse(name253 + "."), "the trailing dot does not count");
        assertThrows(IllegalArgumentException.class, () -> parse(name253 + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "corp..example", ".corp.example", "corp.example..", "-corp.example",
            "corp-.example", "corp example", "corp.example\nnameserver 198.51.100.66", "corp.example\u0000",
            "caf\u00e9.example", "corp_example", "corp.example;options", "*.example"})
    void anythingElseIsRefusedSayingWhy(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(value));
        assertTrue(e.getMessage().startsWith("it ") || e.getMessage().startsWith("a label"), e.getMessage());
    }
}
