package org.mobilevpn.csp;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mobilevpn.api.profile.ProfileProblem;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Applies a {@link PolicyDocument} to ConfigAdmin all or nothing: every profile is validated first
 * (same parser, credentials and proposal validator as any configuration), and only if all are valid
 * are the factory configurations created, updated and deleted. Should ConfigAdmin fail half way, the
 * changes already made are undone. Configurations a document created carry {@value #SOURCE} so that
 * a profile dropped from the document (or the whole document removed) deletes them again.
 */
final class PolicyDocumentApplier {
    /** Marks a configuration as owned by a document: the document's path. A '.' key, so the parser ignores it. */
    static final String SOURCE = "mobilevpn.policy.document";
    private static final String FILTER = "(service.factoryPid=" + ProfileKeys.FACTORY_PID + ")";

    /**
     * What an application did.
     *
     * @param applied  true when the document's changes are in ConfigAdmin (also when nothing had to change)
     * @param problems why nothing was applied
     * @param changes  one line per configuration change, e.g. {@code created office}
     */
    record Outcome(boolean applied, List<ProfileProblem> problems, List<String> changes) {
    }

    private final ConfigurationAdmin configAdmin;
    private final ProfileStore store;

    PolicyDocumentApplier(ConfigurationAdmin configAdmin, ProfileStore store) {
        this.configAdmin = configAdmin;
        this.store = store;
    }

    /** Validates and applies the document at {@code source}. Never throws. */
    Outcome apply(String source, String json) {
        try {
            PolicyDocument.Parsed doc = PolicyDocument.parse(json);
            if (!doc.ok()) {
                return rejected(doc.problems());
            }
            List<ProfileProblem> problems = new ArrayList<>();
            for (PolicyDocument.Profile p : doc.profiles()) {
                problems.addAll(store.check(p.properties(), p.name(), p.path() + ".").problems());
            }
            if (!problems.isEmpty()) {
                return rejected(problems);
            }
            Map<String, Configuration> existing = existingByName();
            Transaction tx = new Transaction();
            List<String> named = new ArrayList<>();
            for (PolicyDocument.Profile p : doc.profiles()) {
                named.add(p.name());
                Configuration c = existing.get(p.name());
                Map<String, Object> wanted = new LinkedHashMap<>(p.properties());
                wanted.put(SOURCE, source);
                if (c == null) {
                    tx.create(p.name(), wanted);
                } else if (!sameProfile(c.getProperties(), wanted)) {
                    tx.update(p.name(), c, wanted);
                }
            }
            for (String name : doc.deletes()) {
                if (existing.containsKey(name)) {
                    tx.delete(name, existing.get(name));
                }
            }
            for (Map.Entry<String, Configuration> e : existing.entrySet()) {
                if (source.equals(property(e.getValue(), SOURCE)) && !named.contains(e.getKey()) && !doc.deletes().contains(e.getKey())) {
                    tx.delete(e.getKey(), e.getValue()); // dropped from the document it came from
                }
            }
            return tx.commit();
        } catch (RuntimeException | IOException | InvalidSyntaxException e) {
            return rejected(List.of(new ProfileProblem("", "(document)", "cannot be applied: " + e.getClass().getSimpleName())));
        }
    }

    /** The document is gone: deletes the configurations it created. Never throws. */
    Outcome withdraw(String source) {
        try {
            Transaction tx = new Transaction();
            for (Map.Entry<String, Configuration> e : existingByName().entrySet()) {
                if (source.equals(property(e.getValue(), SOURCE))) {
                    tx.delete(e.getKey(), e.getValue());
                }
            }
            return tx.commit();
        } catch (RuntimeException | IOException | InvalidSyntaxException e) {
            return rejected(List.of(new ProfileProblem("", "(document)", "cannot be withdrawn: " + e.getClass().getSimpleName())));
        }
    }

    private static Outcome rejected(List<ProfileProblem> problems) {
        return new Outcome(false, problems, List.of());
    }

    /** The profile configurations by connection name (the name key, else the factory alias). */
    private Map<String, Configuration> existingByName() throws IOException, InvalidSyntaxException {
        Configuration[] all = configAdmin.listConfigurations(FILTER);
        Map<String, Configuration> out = new LinkedHashMap<>();
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Object name = property(c, ProfileKeys.NAME);
            String n = name instanceof String s && !s.isBlank() ? s.strip() : ProfileRegistryComponent.alias(c.getPid());
            if (n != null) {
                out.putIfAbsent(n, c);
            }
        }
        return out;
    }

    private static Object property(Configuration c, String key) {
        Dictionary<String, Object> d = c.getProperties();
        return d == null ? null : d.get(key);
    }

    /** Equal profile keys and source; framework keys (service.pid, felix.fileinstall.*) do not count. */
    private static boolean sameProfile(Dictionary<String, Object> current, Map<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        Map<String, Object> a = new HashMap<>();
        for (String k : Collections.list(current.keys())) {
            if (k.indexOf('.') < 0 || k.equals(SOURCE)) {
                a.put(k, comparable(current.get(k)));
            }
        }
        Map<String, Object> b = new HashMap<>();
        wanted.forEach((k, v) -> b.put(k, comparable(v)));
        return a.equals(b);
    }

    private static Object comparable(Object v) {
        if (v != null && v.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                l.add(Array.get(v, i));
            }
            return l;
        }
        return v;
    }

    /** Changes recorded as they are made, each with its undo, so a failure can restore the previous state. */
    private final class Transaction {
        private final List<Step> steps = new ArrayList<>();

        private interface Action {
            void run() throws IOException;
        }

        private record Step(String description, Action change, Action undo) {
        }

        void create(String name, Map<String, Object> props) {
            Configuration[] made = new Configuration[1];
            steps.add(new Step("created " + name, () -> {
                made[0] = configAdmin.getFactoryConfiguration(ProfileKeys.FACTORY_PID, name, "?");
                made[0].update(new Hashtable<>(props));
            }, () -> {
                if (made[0] != null) {
                    made[0].delete();
                }
            }));
        }

        void update(String name, Configuration c, Map<String, Object> props) {
            Dictionary<String, Object> before = copy(c.getProperties());
            Hashtable<String, Object> after = new Hashtable<>(props);
            for (String k : Collections.list(before.keys())) {
                if (k.indexOf('.') >= 0 && !k.equals(SOURCE) && !k.startsWith("service.")) {
                    after.put(k, before.get(k)); // keep e.g. felix.fileinstall.filename, so FileInstall keeps its file
                }
            }
            steps.add(new Step("updated " + name, () -> c.update(after), () -> c.update(before)));
        }

        void delete(String name, Configuration c) {
            Dictionary<String, Object> before = copy(c.getProperties());
            Hashtable<String, Object> recreate = new Hashtable<>();
            for (String k : Collections.list(before.keys())) {
                if (!k.startsWith("service.")) {
                    recreate.put(k, before.get(k)); // ConfigAdmin assigns the new PID itself
                }
            }
            steps.add(new Step("deleted " + name, c::delete, () ->
                    configAdmin.getFactoryConfiguration(ProfileKeys.FACTORY_PID, name, "?").update(recreate)));
        }

        Outcome commit() {
            Deque<Step> done = new ArrayDeque<>();
            for (Step s : steps) {
                try {
                    s.change().run();
                    done.push(s);
                } catch (IOException | RuntimeException e) {
                    List<String> undone = new ArrayList<>();
                    while (!done.isEmpty()) {
                        Step d = done.pop();
                        try {
                            d.undo().run();
                            undone.add("undid " + d.description());
                        } catch (IOException | RuntimeException u) {
                            undone.add("could not undo " + d.description());
                        }
                    }
                    return new Outcome(false, List.of(new ProfileProblem("", "(document)", "ConfigurationAdmin failed at '"
                            + s.description() + "' (" + e.getClass().getSimpleName() + "); nothing applied"
                            + (undone.isEmpty() ? "" : ": " + String.join(", ", undone)))), List.of());
                }
            }
            return new Outcome(true, List.of(), steps.stream().map(Step::description).toList());
        }

        private Dictionary<String, Object> copy(Dictionary<String, Object> d) {
            Hashtable<String, Object> out = new Hashtable<>();
            if (d != null) {
                for (String k : Collections.list(d.keys())) {
                    out.put(k, Objects.requireNonNull(d.get(k)));
                }
            }
            return out;
        }
    }
}
