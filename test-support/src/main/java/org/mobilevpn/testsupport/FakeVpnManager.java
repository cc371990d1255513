package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;

/** A VpnManager that reports the statuses a test sets and records the requests it gets. */
public final class FakeVpnManager implements VpnManager {
    /** What statusAll() answers. */
    public volatile List<ConnectionStatus> statuses = List.of();
    /** Every connect/disconnect asked, as "connect NAME". */
    public final List<String> requests = new ArrayList<>();
    /** When set, statusAll() throws it. */
    public RuntimeException failure;

    @Override
    public List<String> list() {
        return statuses.stream().map(ConnectionStatus::name).toList();
    }

    @Override
    public synchronized ConnectionStatus connect(String name) {
        requests.add("connect " + name);
        return find(name).toBuilder().state(ConnectionState.CONNECTING).wanted(true).build();
    }

    @Override
    public synchronized ConnectionStatus disconnect(String name) {
        requests.add("disconnect " + name);
        return find(name).toBuilder().state(ConnectionState.DISABLED).wanted(false).build();
    }

    @Override
    public Optional<ConnectionStatus> status(String name) {
        return statuses.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public List<ConnectionStatus> statusAll() {
        if (failure != null) {
            throw failure;
        }
        return statuses;
    }

    private ConnectionStatus find(String name) {
        return status(name).orElseThrow(() -> new IllegalArgumentException("no connection named '" + name + "'"));
    }
}
