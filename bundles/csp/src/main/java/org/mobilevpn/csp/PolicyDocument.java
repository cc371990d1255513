package org.mobilevpn.csp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * A "group policy" push: one JSON document holding several profiles, in the shape of swanctl.conf's
 * {@code connections} section. Profiles are an object keyed by connection name, or an array of objects
 * that each carry {@code name}; values are the profile keys with JSON strings, numbers, booleans or
 * arrays. {@code delete} lists profiles to remove.
 * <pre>
 * { "profiles": { "office": { "remote_addrs": "198.51.100.1", "auth": "psk", "psk": "...",
 *                             "local_id": "client@example.org", "esp_proposals": ["aes256gcm16"] } },
 *   "delete": ["old-lab"] }
 * </pre>
 * This class reads the structure only; the profile values are checked by the same parser as every
 * configuration. Messages never quote a value (a document holds PSKs).
 */
final class PolicyDocument {
    /**
     * One profile of the document.
     *
     * @param name       the connection name
     * @param path       where it is in the document, e.g. {@code profiles.office}, to prefix problem keys
     * @param properties its keys in ConfigAdmin's types (String, Long, Double, Boolean, String[])
     */
    record Profile(String name, String path, Map<String, Object> properties) {
    }

    /** The document's profiles and deletions, or the structural problems that make it unusable. */
    record Parsed(List<Profile> profiles, List<String> deletes, List<ProfileProblem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final Set<String> TOP_LEVEL = Set.of("profiles", "delete", "comment");

    private PolicyDocument() {
    }

    static Parsed parse(String json) {
        List<ProfileProblem> problems = new ArrayList<>();
        List<Profile> profiles = new ArrayList<>();
        Set<String> deletes = new LinkedHashSet<>();
        Object root;
        try {
            root = BoundedJsonReader.parse(json);
        } catch (JsonSyntaxException e) {
            problems.add(new ProfileProblem("", "(document)", (e.overLimit() ? "exceeds a limit: " : "is not valid JSON: ") + e.getMessage()));
            return new Parsed(List.of(), List.of(), problems);
        }
        if (!(root instanceof Map<?, ?> top)) {
            problems.add(new ProfileProblem("", "(document)", "must be a JSON object with \"profiles\" and/or \"delete\""));
            return new Parsed(List.of(), List.of(), problems);
        }
        for (Object key : top.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.add(new ProfileProblem("", String.valueOf(key), "unknown key: use profiles, delete or comment"));
            }
        }
        Object p = top.get("profiles");
        if (p instanceof Map<?, ?> byName) {
            for (Map.Entry<?, ?> e : byName.entrySet()) {
                profile(String.valueOf(e.getKey()), e.getValue(), "profiles." + e.getKey(), profiles, problems);
            }
        } else if (p instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object entry = list.get(i);
                Object name = entry instanceof Map<?, ?> m ? m.get("name") : null;
                if (!(name instanceof String s) || s.isBlank()) {
                    problems.add(new ProfileProblem("", "profiles[" + i + "].name", "missing: each profile needs a name"));
                    continue;
                }
                profile(s.strip(), entry, "profiles[" + i + "]", profiles, problems);
            }
        } else if (p != null) {
            problems.add(new ProfileProblem("", "profiles", "must be an object keyed by name or an array of profiles"));
        }
        Object d = top.get("delete");
        if (d instanceof List<?> list) {
            for (Object name : list) {
                if (name instanceof String s && VpnProfile.NAME.matcher(s.strip()).matches()) {
                    deletes.add(s.strip());
                } else {
                    problems.add(new ProfileProblem("", "delete", "entries must be profile names"));
                }
            }
        } else if (d != null) {
            problems.add(new ProfileProblem("", "delete", "must be an array of profile names"));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Profile profile : profiles) {
            if (!seen.add(profile.name())) {
                problems.add(new ProfileProblem(profile.name(), "profiles", "'" + profile.name() + "' appears twice"));
            }
            if (deletes.contains(profile.name())) {
                problems.add(new ProfileProblem(profile.name(), "delete", "'" + profile.name() + "' is both a profile and deleted"));
            }
        }
        return new Parsed(profiles, List.copyOf(deletes), problems);
    }

    private static void profile(String name, Object value, String path, List<Profile> out, List<ProfileProblem> problems) {
        if (!VpnProfile.NAME.matcher(name).matches()) {
            problems.add(new ProfileProblem("", path, "is not a valid profile name (letters, digits, _ . -)"));
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(new ProfileProblem(name, path, "must be an object of profile keys"));
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (key.indexOf('.') >= 0) {
                problems.add(new ProfileProblem(name, path + "." + key, "framework keys (with '.') cannot be set by a document"));
                ok = false;
            } else if (v instanceof List<?> list) {
                String[] array = new String[list.size()];
                for (int i = 0; i < array.length; i++) {
                    Object item = list.get(i);
                    if (item instanceof Map || item instanceof List || item == null) {
                        problems.add(new ProfileProblem(name, path + "." + key, "array elements must be strings, numbers or booleans"));
                        ok = false;
                        break;
                    }
                    array[i] = String.valueOf(item);
                }
                props.put(key, array);
            } else if (v instanceof Map) {
                problems.add(new ProfileProblem(name, path + "." + key, "must be a string, number, boolean or array"));
                ok = false;
            } else if (v != null) {
                props.put(key, configAdminValue(v));
            }
        }
        Object inner = props.get(ProfileKeys.NAME);
        if (inner != null && !name.equals(inner)) {
            problems.add(new ProfileProblem(name, path + ".name", "differs from the profile's key '" + name + "'"));
            ok = false;
        }
        if (ok) {
            props.put(ProfileKeys.NAME, name);
            out.add(new Profile(name, path, props));
        }
    }

    /** String, Boolean and Double stay; whole numbers become Long as from any other configuration source. */
    private static Object configAdminValue(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue(); // beyond a long: the parser names the key whose range it misses
        }
        return v;
    }
}
