package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the JSON library reads for us, and that its limits and messages are the ones we set. */
class BoundedJsonReaderTest {

    @Test
    void readsEveryJsonValueInDocumentOrder() throws Exception {
        Object v = BoundedJsonReader.parse("\uFEFF { \"s\": \"a\\\"b\\\\c\\/d\\n\\u00e4\\u20AC\", \"i\": -42, \"big\": 12345678901234567890,"
                + " \"d\": 1.5e2, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, \"x\", [], {}], \"o\": {\"k\": \"v\"} } ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"b\\c/d\n\u00e4\u20ac", m.get("s"));
        assertEquals(-42, ((Number) m.get("i")).longValue());
        assertEquals(new BigInteger("12345678901234567890"), m.get("big"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1, "x", List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(List.of("s", "i", "big", "d", "t", "f", "n", "a", "o"), List.copyOf(m.keySet()), "document order kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "{'a':1}", "\"unterminated", "01", "1.",
            "-", "1e", "tru", "nul", "{\"a\":1}{}", "{\"a\":1} x", "[\"\t\"]", "\"\\x\"", "\"\\u12G4\"", "\"\\u12\"",
            "{\"a\":1,\"a\":2}", "// comment\n{}", "{\"a\":NaN}", "[1 2]", "{\"a\": [1, {\"b\": }]}"})
    void rejectsWhatIsNotStrictJsonWithAPositionInPlainWords(String text) {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse(text));
        assertTrue(e.getMessage().matches("(?s)line \\d+, column \\d+(, in [^:]+)?: .+"), e.getMessage());
        assertFalse(e.overLimit());
        for (String javaTalk : List.of("`", "[Source", "REDACTED", "Feature", "Exception")) {
            assertFalse(e.getMessage().contains(javaTalk), "an operator cannot act on " + javaTalk + ": " + e.getMessage());
        }
    }

    @Test
    void errorsNameLineColumnAndTheKeyPath() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse(
                "{\n  \"profiles\": {\n    \"office\": {\"psk\": \"x\",\n               \"psk\": \"y\"}}}"));
        assertEquals("line 4, column 21, in profiles.office.psk: Duplicate field 'psk'", e.getMessage(), "at the key itself");

        e = assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse("{\"profiles\": [{\"a\": 1}, {\"b\" 2}]}"));
        assertTrue(e.getMessage().startsWith("line 1, column 30, in profiles[1].b: "), e.getMessage());

        e = assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse("{\"a\": 1}\n{}"));
        assertEquals("line 2, column 1: unexpected text after the document", e.getMessage());
    }

    @Test
    void aKeyCannotForgeALogLine() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse("{\"a\\nERROR forged\": {\"x\": 1, \"x\": 2}}"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("in a?ERROR forged.x: "), e.getMessage());
    }

    @Test
    void anUnquotedValueIsNotRepeatedInTheMessage() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse("{\"psk\": hunter2secret}"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("in psk: Unrecognized token"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedNotAStackOverflow() {
        int max = BoundedJsonReader.MAX_DEPTH;
        assertDoesNotThrow(() -> BoundedJsonReader.parse("[".repeat(max) + "]".repeat(max)));
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse("[".repeat(max + 1) + "]".repeat(max + 1)));
        assertLimit(e, "nesting depth (" + (max + 1) + ") exceeds the maximum allowed (" + max + ")");
        assertTrue(e.getMessage().startsWith("line 1, column " + (max + 2)), e.getMessage());
        assertLimit(assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse("[".repeat(100_000) + "]".repeat(100_000))), "nesting depth");
    }

    @Test
    void aDocumentLongerThanTheLimitIsRefused() {
        assertDoesNotThrow(() -> BoundedJsonReader.parse(documentOf(BoundedJsonReader.MAX_CHARS)));
        assertLimit(assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse(documentOf(BoundedJsonReader.MAX_CHARS + 1))),
                "Document length (" + (BoundedJsonReader.MAX_CHARS + 1) + ") exceeds the maximum allowed (" + BoundedJsonReader.MAX_CHARS + ")");
    }

    @Test
    void stringsKeysAndNumbersLongerThanTheirLimitsAreRefused() {
        int string = BoundedJsonReader.MAX_STRING;
        assertDoesNotThrow(() -> BoundedJsonReader.parse("{\"comment\": \"" + "x".repeat(string) + "\"}"));
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class,
                () -> BoundedJsonReader.parse("{\"comment\": \"" + "x".repeat(string + 1) + "\"}"));
        assertLimit(e, "String value length (" + (string + 1) + ") exceeds the maximum allowed (" + string + ")");
        assertTrue(e.getMessage().contains(", in comment: "), e.getMessage());

        int name = BoundedJsonReader.MAX_NAME;
        assertDoesNotThrow(() -> BoundedJsonReader.parse("{\"" + "k".repeat(name) + "\": 1}"));
        assertLimit(assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse("{\"" + "k".repeat(name + 1) + "\": 1}")),
                "Name length (" + (name + 1) + ") exceeds the maximum allowed (" + name + ")");

        int number = BoundedJsonReader.MAX_NUMBER;
        assertDoesNotThrow(() -> BoundedJsonReader.parse("[" + "9".repeat(number) + "]"));
        assertLimit(assertThrows(JsonSyntaxException.class, () -> BoundedJsonReader.parse("[" + "9".repeat(number + 1) + "]")),
                "Number value length (" + (number + 1) + ") exceeds the maximum allowed (" + number + ")");
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
                BoundedJsonReader.parse(text.toString()); // anything but a JsonSyntaxException fails the test
                outcomes.merge("parsed", 1, Integer::sum);
            } catch (JsonSyntaxException e) {
                outcomes.merge("syntax", 1, Integer::sum);
            }
        }
        assertTrue(outcomes.get("syntax") > 0);
    }

    /** A valid document of exactly {@code length} characters: strings under the string limit in an array. */
    static String documentOf(int length) {
        StringBuilder b = new StringBuilder("{\"comment\": [");
        String end = "\"]}";
        int rest = length - b.length() - end.length() - 1; // characters left for the last string
        for (; rest > 60_003; rest -= 60_003) {
            b.append('"').append("x".repeat(60_000)).append("\",");
        }
        String text = b.append('"').append("x".repeat(rest)).append(end).toString();
        assertEquals(length, text.length());
        return text;
    }

    private static void assertLimit(JsonSyntaxException e, String text) {
        assertTrue(e.overLimit(), e.getMessage());
        assertTrue(e.getMessage().contains(text), "expected ..." + text + "... in " + e.getMessage());
        assertFalse(e.getMessage().contains("`"), e.getMessage());
    }
}
