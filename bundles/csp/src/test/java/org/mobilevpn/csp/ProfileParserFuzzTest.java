package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.profile.ProfileProblem;

/**
 * Coverage-guided fuzzing of the profile parser: the office profile of {@link ProfileParserTest} with up to
 * eight keys (known ones but the credential file paths, or anything) set to text the fuzzer writes. A profile is either valid with
 * no problem, or invalid with problems; the parser's last-resort "(profile) cannot be
 * read" (an exception it caught) is a bug, and no problem text carries the PSK. Run by {@link CspFuzzTargets}
 * (target 0), whose inputs hold this target's seeds and findings.
 */
class ProfileParserFuzzTest {
    private static final List<String> KEYS = List.of("name", "remote_addrs", "local_id", "remote_id", "auth", "psk",
            "ike_proposals", "esp_proposals", "remote_ts", "local_ts", "vips", "encap",
            "dpd_delay", "keepalive", "rekey_time", "child_rekey_time", "autostart", "split_include",
            "split_exclude", "kill_switch", "dns", "mtu", "remote_port", "fragmentation");
    private static final ProfileParser PARSER = new ProfileParser(Path.of("/nonexistent/mobilevpn"),
            ProfileParserTest.CREDENTIALS);

    void profile(FuzzedDataProvider in) {
        Map<String, Object> raw = ProfileParserTest.office();
        for (int i = in.consumeInt(0, 8); i > 0; i--) {
            String key = in.consumeBoolean() ? KEYS.get(in.consumeInt(0, KEYS.size() - 1)) : in.consumeString(24);
            raw.put(key, in.consumeString(200));
        }
        ParseResult r = PARSER.parse(raw, in.consumeBoolean() ? "alias" : null, ProfileParserTest.VALIDATOR, "");

        assertEquals(r.valid(), r.problems().isEmpty(), r.problems().toString());
        String psk = String.valueOf(raw.get("psk"));
        boolean pskElsewhere = raw.entrySet().stream().anyMatch(e -> !e.getKey().equals("psk")
                && (e.getKey().contains(psk) || String.valueOf(e.getValue()).contains(psk)));
        for (ProfileProblem p : r.problems()) {
            assertFalse(p.key().equals("(profile)") && p.message().startsWith("cannot be read"),
                    "the parser caught an exception: " + p);
            if (psk.length() >= 8 && !pskElsewhere) {
                assertFalse(p.toString().contains(psk), "a problem shows the PSK: " + p);
            }
        }
    }
}
