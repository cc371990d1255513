package org.mobilevpn.csp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * The registry's state, without any OSGi: per configuration PID the latest parse and the last valid
 * (published) profile. Applies the CSP rules and returns the resulting events in order:
 * <ul>
 * <li>an invalid update keeps the previous valid version published and only reports problems;</li>
 * <li>a name already published by another configuration is a problem of the newcomer; when the
 *     holder goes away, the waiting configuration takes the name over;</li>
 * <li>an update that changes nothing produces no event (FileInstall re-delivers on touch).</li>
 * </ul>
 * Not thread safe: the registry component serialises calls.
 */
final class ProfileTable {

    private static final class Entry {
        final String pid;
        ParseResult latest;
        /** The latest valid parse, kept while it waits for its name to become free. */
        ParseResult waiting;
        VpnProfile published;

        Entry(String pid) {
            this.pid = pid;
        }
    }

    private final Map<String, Entry> byPid = new LinkedHashMap<>();

    /** Applies the latest parse of one configuration. */
    List<ProfileEvent> update(String pid, ParseResult result) {
        List<ProfileEvent> events = new ArrayList<>();
        apply(byPid.computeIfAbsent(pid, Entry::new), labelled(pid, result), events);
        return events;
    }

    /** The configuration was deleted (or its component went away). */
    List<ProfileEvent> remove(String pid) {
        List<ProfileEvent> events = new ArrayList<>();
        Entry e = byPid.remove(pid);
        if (e != null && e.published != null) {
            events.add(new ProfileEvent(ProfileEvent.Kind.REMOVED, e.published.name(), null, List.of()));
            promoteWaiting(e.published.name(), events);
        }
        return events;
    }

    List<VpnProfile> profiles() {
        return byPid.values().stream().map(e -> e.published).filter(p -> p != null)
                .sorted(Comparator.comparing(VpnProfile::name)).toList();
    }

    Optional<VpnProfile> profile(String name) {
        return byPid.values().stream().map(e -> e.published).filter(p -> p != null && p.name().equals(name)).findFirst();
    }

    List<ProfileProblem> problems() {
        List<ProfileProblem> out = new ArrayList<>();
        for (Entry e : byPid.values()) {
            out.addAll(e.latest.problems());
        }
        return out;
    }

    /** Problems of the configurations that ask for this name or publish it. */
    List<ProfileProblem> problems(String name) {
        List<ProfileProblem> out = new ArrayList<>();
        for (Entry e : byPid.values()) {
            if (e.latest.name().equals(name) || e.published != null && e.published.name().equals(name)) {
                out.addAll(e.latest.problems());
            }
        }
        return out;
    }

    private void apply(Entry e, ParseResult r, List<ProfileEvent> events) {
        e.latest = r;
        e.waiting = null;
        if (!r.valid()) {
            events.add(invalid(e, r));
            return;
        }
        Entry holder = holderOf(r.name(), e);
        if (holder != null) {
            e.latest = r.rejected(new ProfileProblem(r.name(), ProfileKeys.NAME,
                    "'" + r.name() + "' is already used by configuration " + holder.pid + "; rename or delete " + e.pid));
            e.waiting = r;
            events.add(invalid(e, e.latest));
            return;
        }
        VpnProfile old = e.published;
        e.published = r.profile();
        if (old == null) {
            events.add(new ProfileEvent(ProfileEvent.Kind.ADDED, r.name(), r.profile(), List.of()));
        } else if (!old.name().equals(r.name())) {
            events.add(new ProfileEvent(ProfileEvent.Kind.REMOVED, old.name(), null, List.of()));
            events.add(new ProfileEvent(ProfileEvent.Kind.ADDED, r.name(), r.profile(), List.of()));
            promoteWaiting(old.name(), events);
        } else if (!old.equals(r.profile())) {
            events.add(new ProfileEvent(ProfileEvent.Kind.UPDATED, r.name(), r.profile(), List.of()));
        }
    }

    /** INVALID under the name that is affected, with the profile still registered under it (if any). */
    private ProfileEvent invalid(Entry e, ParseResult r) {
        String name = e.published != null ? e.published.name() : r.name().isEmpty() ? e.pid : r.name();
        return new ProfileEvent(ProfileEvent.Kind.INVALID, name, profile(name).orElse(null), r.problems());
    }

    private Entry holderOf(String name, Entry except) {
        for (Entry e : byPid.values()) {
            if (e != except && e.published != null && e.published.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private void promoteWaiting(String name, List<ProfileEvent> events) {
        for (Entry e : byPid.values()) {
            if (e.waiting != null && e.waiting.name().equals(name)) {
                apply(e, e.waiting, events);
                return;
            }
        }
    }

    /** A configuration without a readable name is labelled by its PID, so the operator finds it. */
    private static ParseResult labelled(String pid, ParseResult r) {
        if (!r.name().isEmpty() || r.problems().isEmpty()) {
            return r;
        }
        List<ProfileProblem> problems = r.problems().stream()
                .map(p -> new ProfileProblem(pid, p.key(), p.message())).toList();
        return new ParseResult("", null, problems, r.warnings());
    }
}
