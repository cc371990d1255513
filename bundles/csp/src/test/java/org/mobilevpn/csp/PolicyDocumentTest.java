package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.profile.ProfileProblem;

/** The structure of a policy document (the values are the profile parser's business). */
class PolicyDocumentTest {

    @Test
    void profilesByNameWithJsonTypesBecomeConfigAdminValues() {
        PolicyDocument.Parsed d = PolicyDocument.parse("""
                { "comment": "group policy 2026-11",
                  "profiles": { "office": { "remote_addrs": "198.51.100.1", "esp_proposals": ["aes256gcm16", "chacha20poly1305"],
                                            "remote_port": 4500, "encap": true, "vips": null } },
                  "delete": ["old-lab"] }""");
        assertTrue(d.ok(), d.problems().toString());
        PolicyDocument.Profile p = d.profiles().get(0);
        assertEquals("office", p.name());
        assertEquals("profiles.office", p.path());
        assertEquals("office", p.properties().get("name"));
        assertArrayEquals(new String[] {"aes256gcm16", "chacha20poly1305"}, (String[]) p.properties().get("esp_proposals"));
        assertEquals(4500L, p.properties().get("remote_port"));
        assertEquals(true, p.properties().get("encap"));
        assertFalse(p.properties().containsKey("vips"), "null means absent");
        assertEquals(List.of("old-lab"), d.deletes());
    }

    @Test
    void profilesAsAnArrayCarryTheirNames() {
        PolicyDocument.Parsed d = PolicyDocument.parse("{\"profiles\": [{\"name\": \"a\", \"psk\": \"x\"}, {\"name\": \"b\"}]}");
        assertTrue(d.ok());
        assertEquals(List.of("a", "b"), d.profiles().stream().map(PolicyDocument.Profile::name).toList());
        assertEquals("profiles[1]", d.profiles().get(1).path());
    }

    @Test
    void structuralProblemsNameTheirPlace() {
        assertProblem("not json", "(document)", "is not valid JSON: line 1, column 1");
        assertProblem("[1]", "(document)", "must be a JSON object");
        assertProblem("{\"profile\": {}}", "profile", "unknown key");
        assertProblem("{\"profiles\": \"office\"}", "profiles", "must be an object keyed by name");
        assertProblem("{\"profiles\": {\"office\": 7}}", "profiles.office", "must be an object of profile keys");
        assertProblem("{\"profiles\": {\"bad name\": {}}}", "profiles.bad name", "is not a valid profile name");
        assertProblem("{\"profiles\": [{\"psk\": \"x\"}]}", "profiles[0].name", "missing");
        assertProblem("{\"profiles\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", "profiles", "'a' appears twice");
        assertProblem("{\"profiles\": {\"a\": {\"name\": \"b\"}}}", "profiles.a.name", "differs");
        assertProblem("{\"profiles\": {\"a\": {\"ca\": [[\"x\"]]}}}", "profiles.a.ca", "array elements");
        assertProblem("{\"profiles\": {\"a\": {\"remote_addrs\": {\"host\": \"x\"}}}}", "profiles.a.remote_addrs", "must be a string");
        assertProblem("{\"profiles\": {\"a\": {\"service.pid\": \"x\"}}}", "profiles.a.service.pid", "framework keys");
        assertProblem("{\"profiles\": {\"a\": {}}, \"delete\": [\"a\"]}", "delete", "both a profile and deleted");
        assertProblem("{\"delete\": \"a\"}", "delete", "must be an array");
        assertProblem("{\"delete\": [3]}", "delete", "entries must be profile names");
    }

    @Test
    void aDocumentOverALimitSaysWhichLimit() {
        assertProblem("{\"profiles\": {\"a\": {\"ca\": " + "[".repeat(40) + "]".repeat(40) + "}}}", "(document)",
                "exceeds a limit: line 1, column 57, in profiles.a.ca[0][0]");
        assertProblem("{\"profiles\": {\"a\": {\"ca\": " + "[".repeat(40) + "]".repeat(40) + "}}}", "(document)",
                "nesting depth (33) exceeds the maximum allowed (32)");
        assertProblem("{\"comment\": \"" + "x".repeat(BoundedJsonReader.MAX_STRING + 1) + "\"}", "(document)",
                "exceeds a limit: line 1, column ");
        assertProblem("{\"profiles\": {\"a\": {\"remote_port\": 4500 4501}}}", "(document)",
                "is not valid JSON: line 1, column 41, in profiles.a.remote_port: Unexpected character");
    }

    @Test
    void wholeNumbersOfAnySizeBecomeConfigAdminNumbers() {
        PolicyDocument.Profile p = PolicyDocument.parse("{\"profiles\": {\"a\": {\"i\": 7, \"l\": 12345678901, "
                + "\"b\": 123456789012345678901, \"d\": 0.5}}}").profiles().get(0);
        assertEquals(7L, p.properties().get("i"));
        assertEquals(12345678901L, p.properties().get("l"));
        assertEquals(1.2345678901234568E20, p.properties().get("b"));
        assertEquals(0.5, p.properties().get("d"));
    }

    @Test
    void messagesNeverQuoteValues() {
        PolicyDocument.Parsed d = PolicyDocument.parse("{\"profiles\": {\"a\": {\"psk\": {\"secret\": \"hunter2-psk\"}}}}");
        assertFalse(d.problems().toString().contains("hunter2"));
        d = PolicyDocument.parse("{\"profiles\": {\"a\": {\"psk\": \"hunter2-psk\" \"x\": 1}}}");
        assertFalse(d.problems().toString().contains("hunter2"), d.problems().toString());
        d = PolicyDocument.parse("{\"profiles\": {\"a\": {\"psk\": hunter2-psk}}}");
        assertFalse(d.problems().toString().contains("hunter2"), d.problems().toString());
    }

    private static void assertProblem(String json, String key, String text) {
        List<ProfileProblem> problems = PolicyDocument.parse(json).problems();
        assertTrue(problems.stream().anyMatch(p -> p.key().equals(key) && p.message().contains(text)),
                "expected " + key + ": ..." + text + "... in " + problems);
    }
}
