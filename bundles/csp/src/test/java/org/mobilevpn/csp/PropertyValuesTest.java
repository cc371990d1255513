package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;
import org.junit.jupiter.api.Test;

class PropertyValuesTest {
    private final Problems problems = new Problems("");

    private PropertyValues values(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new PropertyValues(m, problems);
    }

    @Test
    void listsAreArraysCollectionsOrOneCommaSeparatedString() {
        PropertyValues v = values("a", "aes128gcm16, chacha20poly1305", "b", new String[] {"x", " y ", ""},
                "c", new Vector<>(List.of("p,q", "r")), "d", new int[] {1, 2}, "e", " , ");
        assertEquals(List.of("aes128gcm16", "chacha20poly1305"), v.list("a"));
        assertEquals(List.of("x", "y"), v.list("b"));
        assertEquals(List.of("p", "q", "r"), v.list("c"));
        assertEquals(List.of("1", "2"), v.list("d"));
        assertEquals(List.of(), v.list("e"));
        assertEquals(List.of(), v.list("missing"));
        assertTrue(problems.isEmpty());
    }

    @Test
    void booleansInSwanctlWords() {
        PropertyValues v = values("a", "yes", "b", "No", "c", Boolean.TRUE, "d", "false", "e", "maybe");
        assertEquals(Optional.of(true), v.bool("a"));
        assertEquals(Optional.of(false), v.bool("b"));
        assertEquals(Optional.of(true), v.bool("c"));
        assertEquals(Optional.of(false), v.bool("d"));
        assertEquals(Optional.empty(), v.bool("e"));
        assertEquals("[e: 'maybe' is not a boolean: use yes/no or true/false]", problems.toList("").toString());
    }

    @Test
    void durationsAsTextOrSeconds() {
        PropertyValues v = values("a", "5m", "b", 90L, "c", "soon");
        assertEquals(Optional.of(Duration.ofMinutes(5)), v.duration("a"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), v.duration("b"));
        assertEquals(Optional.empty(), v.duration("c"));
        assertTrue(problems.has("c"));
    }

    @Test
    void emptyTextIsAbsentAndOneElementArraysAreScalars() {
        PropertyValues v = values("a", "  ", "b", new String[] {"only"}, "c", new String[] {"one", "two"});
        assertEquals(Optional.empty(), v.string("a"));
        assertEquals(Optional.of("only"), v.string("b"));
        assertEquals(Optional.empty(), v.string("c"));
        assertTrue(problems.has("c"));
    }

    @Test
    void unusableShapesAreProblemsNotExceptions() {
        PropertyValues v = values("map", Map.of("k", "v"), "nested", new Object[] {new String[] {"x"}},
                "obj", new Object(), "port", "http");
        assertEquals(List.of(), v.list("map"));
        assertEquals(List.of(), v.list("nested"));
        assertEquals(Optional.empty(), v.string("obj"));
        assertEquals(Optional.empty(), v.integer("port", 1, 65535));
        assertTrue(problems.has("map") && problems.has("nested") && problems.has("obj") && problems.has("port"));
        assertFalse(problems.has("missing"));
    }
}
