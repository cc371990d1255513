package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the policy documents' JSON reader: any text is either a value within the
 * reader's limits (nesting, string, key and number lengths) or a {@link JsonSyntaxException}; nothing else
 * escapes, and an error message never quotes the document's strings (they hold PSKs). Run by
 * {@link CspFuzzTargets} (target 1), whose inputs hold this target's seeds and findings.
 */
class BoundedJsonReaderFuzzTest {

    void document(String text) {
        if (text == null) { // Jazzer also offers null; documents are read from files and messages, never null
            return;
        }
        Object value;
        try {
            value = BoundedJsonReader.parse(text);
        } catch (JsonSyntaxException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            return;
        }
        assertTrue(depth(value) <= BoundedJsonReader.MAX_DEPTH, "deeper than the limit");
    }

    private static int depth(Object value) {
        if (value instanceof Map<?, ?> m) {
            int d = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertTrue(((String) e.getKey()).length() <= BoundedJsonReader.MAX_NAME, "a key over the limit");
                d = Math.max(d, depth(e.getValue()));
            }
            return d + 1;
        }
        if (value instanceof List<?> l) {
            int d = 0;
            for (Object o : l) {
                d = Math.max(d, depth(o));
            }
            return d + 1;
        }
        if (value instanceof String s) {
            assertTrue(s.length() <= BoundedJsonReader.MAX_STRING, "a string over the limit");
        }
        return 0;
    }
}
