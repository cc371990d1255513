package org.mobilevpn.fleet;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.profile.ProfileProblem;

/**
 * The reported state, {@code mobilevpn/v1/device/<id>/state} (retained), as JSON values: {@code online},
 * {@code revision} (the highest applied), {@code documents} (revision per policy topic), {@code rejected}
 * (the last rejected document and its errors, or null) and {@code connections}, each with {@code state}
 * as {@code vpn:list} prints it. Built from the Policy Manager's snapshots, which never carry a key or PSK.
 */
public final class StateDocument {

    /** A document that was not applied: where it came from, its revision (-1 when unreadable) and why. */
    public record Rejection(String topic, long revision, List<ProfileProblem> errors, Instant time) {
        public Rejection {
            errors = List.copyOf(errors);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", topic);
            m.put("revision", revision < 0 ? null : revision);
            List<Object> list = new ArrayList<>();
            for (ProfileProblem p : errors) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("profile", p.profile().isEmpty() ? null : p.profile());
                e.put("key", p.key());
                e.put("message", p.message());
                list.add(e);
            }
            m.put("errors", list);
            m.put("time", time.toString());
            return m;
        }
    }

    private StateDocument() {
    }

    /** The whole state. */
    public static Map<String, Object> build(String deviceId, List<String> groups, boolean online, Long revision,
            Map<String, Long> documents, Rejection rejected, List<ConnectionStatus> connections, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_id", deviceId);
        m.put("online", online);
        m.put("revision", revision);
        m.put("documents", new LinkedHashMap<>(documents));
        m.put("rejected", rejected == null ? null : rejected.toJson());
        List<Object> list = new ArrayList<>();
        for (ConnectionStatus c : connections) {
            list.add(connection(c));
        }
        m.put("connections", list);
        m.put("groups", List.copyOf(groups));
        m.put("time", now.toString());
        return m;
    }

    /** One connection: name, state, virtual_ip, last_error and what an operator looks at next. */
    public static Map<String, Object> connection(ConnectionStatus c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("state", c.state().name());
        m.put("virtual_ip", c.virtualIps().stream().findFirst().map(InetAddress::getHostAddress).orElse(null));
        m.put("last_error", c.lastError().map(ConnectionError::toString).orElse(null));
        m.put("wanted", c.wanted());
        m.put("gateway", c.gateway().map(g -> g.getHostString() + ":" + g.getPort()).orElse(null));
        m.put("uptime_seconds", c.uptime().toSeconds());
        m.put("bytes_in", c.bytesIn());
        m.put("bytes_out", c.bytesOut());
        m.put("packets_in", c.packetsIn());
        m.put("packets_out", c.packetsOut());
        m.put("profile_problem", c.profileProblem().orElse(null));
        return m;
    }
}
