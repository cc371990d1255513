package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Broker input is untrusted: the parser's limits hold. */
class JsonTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void limitsAndDuplicateKeys() {
        assertTrue(assertThrows(Json.JsonException.class, () -> Json.object(b("{\"a\":1,\"a\":2}"))).getMessage().contains("Duplicate"));
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertThrows(Json.JsonException.class, () -> Json.object(b(deep)));
        byte[] big = new byte[Json.MAX_DOCUMENT + 1];
        assertTrue(assertThrows(Json.JsonException.class, () -> Json.object(big)).getMessage().contains("larger than"));
        assertThrows(Json.JsonException.class, () -> Json.object(b("{\"n\": " + "9".repeat(50) + "}")));
        assertEquals("must be a JSON object", assertThrows(Json.JsonException.class, () -> Json.object(b("[1]"))).getMessage());
    }
}
