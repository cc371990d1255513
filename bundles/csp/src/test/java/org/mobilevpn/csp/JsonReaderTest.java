package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsEveryJsonValue() throws Exception {
        Object v = JsonReader.parse("\uFEFF { \"s\": \"a\\\"b\\\\c\\/d\\n\\u00e4\\u20AC\", \"i\": -42, \"big\": 12345678901234567890,"
                + " \"d\": 1.5e2, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, \"x\", [], {}], \"o\": {\"k\": \"v\"} } ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"b\\c/d\n\u00e4\u20ac", m.get("s"));
        assertEquals(-42L, m.get("i"));
        assertEquals(1.2345678901234567E19, m.get("big"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, "x", List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(List.of("s", "i", "big", "d", "t", "f", "n", "a", "o"), List.copyOf(m.keySet()), "document order kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "{'a':1}", "\"unterminated", "01", "1.",
            "-", "1e", "tru", "nul", "{\"a\":1}{}", "[\"\t\"]", "\"\\x\"", "\"\\u12G4\"", "\"\\u12\"", "{\"a\":1,\"a\":2}",
            "// comment\n{}", "{\"a\":NaN}", "[1 2]"})
    void rejectsWhatIsNotStrictJsonWithAPosition(String text) {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(text));
        assertTrue(e.getMessage().matches("line \\d+, column \\d+: .+"), e.getMessage());
    }

    @Test
    void positionsCountLines() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonReader.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"));
        assertEquals("line 3, column 3: duplicate key \"a\"", e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than"));
        int max = JsonReader.MAX_DEPTH;
        assertDoesNotThrow(() -> JsonReader.parse("[".repeat(max) + "]".repeat(max)));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse("[".repeat(max + 1) + "]".repeat(max + 1)));
    }

    @Test
    void randomGarbageYieldsOnlySyntaxErrors() {
        Random random = new Random(99);
        String alphabet = "{}[]\":,\\ u0123456789.-+eEtrufalsn\n\tx\u00e4";
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(24); j > 0; j--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                JsonReader.parse(text.toString()); // anything but a JsonSyntaxException fails the test
                outcomes.merge("parsed", 1, Integer::sum);
            } catch (JsonSyntaxException e) {
                outcomes.merge("syntax", 1, Integer::sum);
            }
        }
        assertTrue(outcomes.get("syntax") > 0);
    }
}
