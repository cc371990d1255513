package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleAccessRulesTest {
    private final ConsoleAccessRules rules = new ConsoleAccessRules(List.of("gw1.example.org "));

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<String> loopback(String host, String authorization) {
        return rules.refusal(host, "127.0.0.1", 8080, false, authorization);
    }

    @Test
    void theConsolesOwnAddressesPassWithARealPassword() {
        for (String host : List.of("127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.0.0.1",
                "gw1.example.org:8080")) {
            assertEquals(Optional.empty(), loopback(host, basic("admin", "Vq3sT9xw")), host);
        }
        assertEquals(Optional.empty(), loopback("127.0.0.1:8080", null), "no login yet: the console asks for it");
        assertEquals(Optional.empty(), rules.refusal("[::1]:8080", "0:0:0:0:0:0:0:1", 8080, false, null));
    }

    @Test
    void aForeignHostHeaderIsRefusedAsDnsRebinding() {
        for (String host : List.of("evil.example:8080", "evil.example", "127.0.0.1.evil.example:8080",
                "127.0.0.1:9999", "localhost:80", "")) {
            Optional<String> r = loopback(host, basic("admin", "Vq3sT9xw"));
            assertTrue(r.isPresent() && r.get().startsWith("Host "), host + ": " + r);
        }
        assertTrue(loopback(null, null).orElseThrow().contains("(none)"));
        assertTrue(loopback("x\u0007\r\nSet-Cookie: a", null).orElseThrow().contains("x???Set-Cookie"),
                "control characters are not echoed");
    }

    @Test
    void theDefaultPasswordIsRefusedWhateverTheUser() {
        for (String user : List.of("admin", "root", "")) {
            Optional<String> r = loopback("127.0.0.1:8080", basic(user, "admin"));
            assertTrue(r.isPresent() && r.get().startsWith("the default password is refused"), user + ": " + r);
        }
        assertEquals(Optional.empty(), loopback("127.0.0.1:8080", basic("admin", "admin2")));
        assertEquals(Optional.empty(), loopback("127.0.0.1:8080", "Basic !!!not-base64"), "the console's login answers that");
    }

    @Test
    void plainHttpOnANonLoopbackAddressIsRefusedButTlsIsNot() {
        Optional<String> plain = rules.refusal("198.51.100.2:8080", "198.51.100.2", 8080, false, basic("a", "Vq3sT9xw"));
        assertTrue(plain.isPresent() && plain.get().startsWith("plain HTTP on 198.51.100.2"), plain.toString());
        assertEquals(Optional.empty(), rules.refusal("198.51.100.2:8443", "198.51.100.2", 8443, true, basic("a", "Vq3sT9xw")));
        assertTrue(rules.refusal("198.51.100.2:8443", "198.51.100.2", 8443, true, basic("a", "admin")).isPresent(),
                "over TLS the default password is still refused");
    }
}
