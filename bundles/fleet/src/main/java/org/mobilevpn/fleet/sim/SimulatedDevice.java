package org.mobilevpn.fleet.sim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.PolicyDocumentOutcome;
import org.mobilevpn.api.profile.PolicyDocuments;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.fleet.Json;

/**
 * A fake VPN manager for the fleet simulator (and the agent's unit tests): a policy document's profiles
 * become connections that are CONNECTED at once, with no IKE and no TUN. It keeps the CSP's contract
 * where the agent can see it: all or nothing, profiles owned by their document's source, a problem naming
 * the key ({@code profiles.<name>.remote_addrs} for an address that is not one).
 */
public final class SimulatedDevice implements PolicyDocuments, VpnManager {
    private final Map<String, String> sourceByProfile = new TreeMap<>();
    private final Map<String, ConnectionStatus> connections = new TreeMap<>();
    private final InetAddress virtualIp;
    private int applied;

    /** @param index gives each simulated device its own virtual IP in 198.18.0.0/16 (documentation only) */
    public SimulatedDevice(int index) {
        try {
            virtualIp = InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (index >> 8), (byte) index});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many documents were applied (not rejected). */
    public synchronized int appliedDocuments() {
        return applied;
    }

    @Override
    public synchronized PolicyDocumentOutcome apply(String source, String json) {
        Map<String, Object> doc;
        try {
            doc = Json.object(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            return new PolicyDocumentOutcome(false, List.of(new ProfileProblem("", "(document)", e.getMessage())), List.of());
        }
        List<ProfileProblem> problems = new ArrayList<>();
        Map<String, Object> profiles = doc.get("profiles") instanceof Map<?, ?> m ? cast(m) : Map.of();
        for (Map.Entry<String, Object> p : profiles.entrySet()) {
            Object addr = p.getValue() instanceof Map<?, ?> keys ? keys.get("remote_addrs") : null;
            if (!(addr instanceof String a) || !plausibleAddress(a)) {
                problems.add(new ProfileProblem(p.getKey(), "profiles." + p.getKey() + ".remote_addrs",
                        "'" + addr + "' is not a host name or IPv4 address"));
            }
        }
        if (!problems.isEmpty()) {
            return new PolicyDocumentOutcome(false, problems, List.of());
        }
        List<String> changes = new ArrayList<>();
        for (String name : new ArrayList<>(sourceByProfile.keySet())) {
            if (source.equals(sourceByProfile.get(name)) && !profiles.containsKey(name)) {
                sourceByProfile.remove(name);
                connections.remove(name);
                changes.add("deleted " + name);
            }
        }
        if (doc.get("delete") instanceof List<?> deletes) {
            for (Object d : deletes) {
                if (connections.remove(String.valueOf(d)) != null) {
                    sourceByProfile.remove(String.valueOf(d));
                    changes.add("deleted " + d);
                }
            }
        }
        for (String name : profiles.keySet()) {
            changes.add((sourceByProfile.put(name, source) == null ? "created " : "updated ") + name);
            connections.put(name, ConnectionStatus.builder(name).state(ConnectionState.CONNECTED).wanted(true)
                    .virtualIps(List.of(virtualIp)).build());
        }
        applied++;
        return new PolicyDocumentOutcome(true, List.of(), changes);
    }

    @Override
    public synchronized PolicyDocumentOutcome withdraw(String source) {
        List<String> changes = new ArrayList<>();
        for (String name : new ArrayList<>(sourceByProfile.keySet())) {
            if (source.equals(sourceByProfile.get(name))) {
                sourceByProfile.remove(name);
                connections.remove(name);
                changes.add("deleted " + name);
            }
        }
        return new PolicyDocumentOutcome(true, List.of(), changes);
    }

    @Override
    public synchronized List<String> list() {
        return List.copyOf(connections.keySet());
    }

    @Override
    public synchronized ConnectionStatus connect(String name) {
        ConnectionStatus s = existing(name);
        connections.put(name, s.toBuilder().state(ConnectionState.CONNECTED).wanted(true).virtualIps(List.of(virtualIp)).build());
        return connections.get(name);
    }

    @Override
    public synchronized ConnectionStatus disconnect(String name) {
        ConnectionStatus s = existing(name);
        connections.put(name, s.toBuilder().state(ConnectionState.DISABLED).wanted(false).virtualIps(List.of()).build());
        return connections.get(name);
    }

    @Override
    public synchronized Optional<ConnectionStatus> status(String name) {
        return Optional.ofNullable(connections.get(name));
    }

    @Override
    public synchronized List<ConnectionStatus> statusAll() {
        return List.copyOf(connections.values());
    }

    private ConnectionStatus existing(String name) {
        ConnectionStatus s = connections.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no connection named '" + name + "'");
        }
        return s;
    }

    private static boolean plausibleAddress(String a) {
        String host = a.contains(":") ? a.substring(0, a.lastIndexOf(':')) : a;
        if (host.matches("[0-9.]+")) {
            String[] parts = host.split("\\.");
            if (parts.length != 4) {
                return false;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return false;
                }
            }
            return true;
        }
        return host.matches("[A-Za-z0-9.-]+");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
