package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.api.vnic.VnicException;
import org.osgi.service.log.Logger;

/**
 * The {@link KillSwitch} on nftables: keeps every connection's policy, writes it down
 * ({@link KillSwitchStore}) before the kernel gets it, and hands the whole table to {@code nft -f} as one
 * script ({@link KillSwitchRules}) at each change, the way {@link LinuxVirtualNic} runs {@code ip}.
 *
 * <p>{@link #reconcile()} runs at activation: the policies an earlier run left on disk go back into the
 * kernel (they are there already after a crash; the step makes sure they match), without the tunnels'
 * destinations, since no tunnel outlives its runtime; a table with no policy on disk is ours and removed.
 * An activation in the runtime that wrote them (an update of the vnic bundle: the tunnels go on, issue 11)
 * keeps them whole instead, so the tunnels' destinations stay pinned to the tunnel device throughout.
 * Deactivation leaves the kernel as it is: the rules hold while no runtime runs.
 */
final class NftKillSwitch implements KillSwitch {
    /** How long a read of the drop counters serves status requests (each read runs nft). */
    static final long COUNTER_CACHE_NANOS = 1_000_000_000L;

    private final String nft;
    private final String devicePrefix;
    private final KillSwitchStore store;
    private final CommandRunner runner;
    private final Logger log;
    private final LongSupplier nanoTime;
    /** This runtime process ({@link KillSwitchStore#owner}): tells a bundle update from a start. */
    private final String runtime;
    private final SortedMap<String, KillSwitchPolicy> policies = new TreeMap<>();
    private Map<String, KillSwitchRules.Count> counters = Map.of();
    private long countersRead;
    private boolean countersValid;

    NftKillSwitch(String nftExecutable, String devicePrefix, KillSwitchStore store, CommandRunner runner, Logger log,
            LongSupplier nanoTime, String runtime) {
        this.nft = nftExecutable;
        this.devicePrefix = devicePrefix;
        this.store = store;
        this.runner = runner;
        this.log = log;
        this.nanoTime = nanoTime;
        this.runtime = runtime;
    }

    /**
     * Puts the kernel in line with the policies on disk: as they stand without any tunnel after a start, as
     * they are when the runtime that wrote them still runs (a bundle update).
     *
     * @return one line per connection whose kill switch stays engaged, for the log
     */
    synchronized List<String> reconcile() throws IOException {
        List<String> problems = new ArrayList<>();
        SortedMap<String, KillSwitchPolicy> stored = store.readAll(problems);
        problems.forEach(p -> log.warn("kill switch: ignoring " + p));
        boolean sameRuntime = runtime.equals(store.owner());
        policies.clear();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, KillSwitchPolicy> e : stored.entrySet()) {
            KillSwitchPolicy p = e.getValue();
            KillSwitchPolicy now = sameRuntime ? p
                    : new KillSwitchPolicy(p.killSwitch(), p.gateways(), p.ikePorts(), p.exceptions(), List.of());
            if (now.restricts()) {
                policies.put(e.getKey(), now);
                store.write(e.getKey(), now);
                kept.add(e.getKey());
            } else {
                store.delete(e.getKey());
            }
        }
        store.owner(runtime);
        boolean tableThere = runQuietly(List.of(nft, "list", "table", KillSwitchRules.FAMILY, KillSwitchRules.TABLE)).ok();
        if (!policies.isEmpty() || tableThere) {
            install();
        }
        for (String name : kept) {
            log.info("kill switch of " + name + (sameRuntime ? " taken over from the previous vnic bundle: "
                    : " engaged since an earlier run: ") + describe(policies.get(name)) + " (vpn:down " + name
                    + " releases it)");
        }
        if (tableThere && policies.isEmpty()) {
            log.warn("kill switch: removed nftables table " + KillSwitchRules.FAMILY + " " + KillSwitchRules.TABLE
                    + " that no stored policy explains (" + store.dir() + " was emptied?)");
        }
        return kept;
    }

    @Override
    public synchronized void apply(String connection, KillSwitchPolicy policy) throws VnicException {
        checkName(connection);
        if (!policy.restricts()) {
            remove(connection, "its policy holds nothing back");
            return;
        }
        KillSwitchPolicy previous = policies.get(connection);
        if (policy.equals(previous)) {
            return;
        }
        try {
            store.write(connection, policy);
        } catch (IOException e) {
            throw new VnicException("cannot record the kill switch of " + connection + " in " + store.dir() + ": "
                    + e.getMessage(), e);
        }
        policies.put(connection, policy);
        try {
            install();
        } catch (VnicException e) {
            restore(connection, previous);
            throw e;
        }
        if (previous == null || previous.killSwitch() != policy.killSwitch()) {
            log.info(policy.killSwitch() ? "kill switch of " + connection + " engaged: " + describe(policy)
                    : "tunnel destinations of " + connection + " held to the tunnel: " + policy.tunnelled());
        }
    }

    @Override
    public synchronized void remove(String connection, String reason) throws VnicException {
        KillSwitchPolicy previous = policies.remove(connection);
        if (previous == null) {
            return;
        }
        try {
            install();
        } catch (VnicException e) {
            policies.put(connection, previous);
            throw e;
        }
        try {
            store.delete(connection);
        } catch (IOException e) {
            log.warn("kill switch: cannot delete the record of " + connection + " (a start puts its rules back): " + e);
        }
        log.info((previous.killSwitch() ? "kill switch of " : "tunnel pinning of ") + connection + " released: " + reason);
    }

    @Override
    public synchronized Set<String> installed() {
        return new TreeSet<>(policies.keySet());
    }

    @Override
    public synchronized Optional<KillSwitchPolicy> policy(String connection) {
        return Optional.ofNullable(policies.get(connection));
    }

    @Override
    public synchronized long droppedPackets(String connection) {
        KillSwitchPolicy p = policies.get(connection);
        if (p == null) {
            return -1;
        }
        long now = nanoTime.getAsLong();
        if (!countersValid || now - countersRead > COUNTER_CACHE_NANOS) {
            CommandRunner.Result r = runQuietly(listCounters());
            countersValid = r.ok();
            counters = r.ok() ? KillSwitchRules.parseCounters(r.output()) : Map.of();
            countersRead = now;
        }
        if (!countersValid) {
            return -1;
        }
        KillSwitchRules.Count own = counters.get(KillSwitchRules.counterOf(connection));
        KillSwitchRules.Count shared = counters.get(KillSwitchRules.SHARED_COUNTER);
        return (own == null ? 0 : own.packets()) + (p.killSwitch() && shared != null ? shared.packets() : 0);
    }

    /** Writes the table for the current policies, counters carried over, in one nft transaction. */
    private void install() throws VnicException {
        CommandRunner.Result current = runQuietly(listCounters());
        Map<String, KillSwitchRules.Count> values = current.ok() ? KillSwitchRules.parseCounters(current.output()) : Map.of();
        String script = KillSwitchRules.script(policies, devicePrefix, values);
        try {
            java.nio.file.Path file = store.scriptFile();
            Files.createDirectories(file.getParent());
            Files.writeString(file, script, StandardCharsets.UTF_8);
            CommandRunner.Result r = runner.run(List.of(nft, "-f", file.toString()));
            if (!r.ok()) {
                String hint = r.output().contains("Operation not permitted") ? " (the process lacks CAP_NET_ADMIN)" : "";
                throw new VnicException("nft -f " + file + " failed" + hint + ": " + r.output());
            }
        } catch (IOException e) {
            throw new VnicException("cannot run " + nft + " (is nftables installed?): " + e.getMessage(), e);
        }
        countersValid = false;
    }

    private static String describe(KillSwitchPolicy p) {
        return "outside the tunnel only loopback, DHCP/ND of the uplink, IKE/ESP to "
                + p.gateways().stream().map(java.net.InetAddress::getHostAddress).toList()
                + (p.exceptions().isEmpty() ? "" : " and " + p.exceptions()) + " pass";
    }

    private void restore(String connection, KillSwitchPolicy previous) {
        try {
            if (previous == null) {
                policies.remove(connection);
                store.delete(connection);
            } else {
                policies.put(connection, previous);
                store.write(connection, previous);
            }
        } catch (IOException e) {
            log.warn("kill switch: cannot restore the record of " + connection + ": " + e);
        }
    }

    private List<String> listCounters() {
        return List.of(nft, "list", "counters", "table", KillSwitchRules.FAMILY, KillSwitchRules.TABLE);
    }

    private CommandRunner.Result runQuietly(List<String> command) {
        try {
            return runner.run(command);
        } catch (IOException e) {
            return new CommandRunner.Result(-1, e.getMessage());
        }
    }

    private static void checkName(String connection) {
        if (connection == null || !VpnProfile.NAME.matcher(connection).matches()) {
            throw new IllegalArgumentException("not a connection name: " + connection);
        }
    }
}
