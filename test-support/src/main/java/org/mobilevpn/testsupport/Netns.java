package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Linux network namespace created for a test ({@code ip netns add}), named {@code mvpn-<tag>-<role>}.
 *
 * <p>The tag says which test class owns it (e.g. {@code ike}, {@code esp}); see {@link NamespaceLock} for
 * how leftovers of a killed run are removed at the next start without touching other people's
 * namespaces. Every method works inside this namespace only, never in the root namespace.
 * {@link #close()} kills every process still in the namespace ({@code ip netns pids}), then deletes it
 * together with its veth ends and {@code /etc/netns/<name>}.
 *
 * <pre>{@code
 * try (Netns a = Netns.create("demo", "a"); Netns b = Netns.create("demo", "b")) {
 *     a.veth("eth0", b, "eth0");
 *     a.address("eth0", "198.51.100.2/24");
 *     b.address("eth0", "198.51.100.1/24");
 *     a.execChecked("ping", "-c1", "-W2", "198.51.100.1");
 * }
 * }</pre>
 */
public final class Netns implements AutoCloseable {

    /** Prefix of every namespace the harness creates. */
    public static final String PREFIX = "mvpn-";

    private static final Pattern WORD = Pattern.compile("[a-z0-9]{1,12}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.]{1,15}");

    private final String name;
    private final String tag;
    private final String role;
    private boolean closed;

    private Netns(String tag, String role) {
        this.tag = tag;
        this.role = role;
        this.name = PREFIX + tag + "-" + role;
    }

    /**
     * Creates namespace {@code mvpn-<tag>-<role>} with its loopback up. The first namespace of a tag in
     * this JVM takes the tag's lock and removes stale {@code mvpn-<tag>-*} namespaces of dead runs.
     *
     * @param tag short owner tag, [a-z0-9]{1,12}, one per test class (e.g. "ike")
     * @param role short role, [a-z0-9]{1,12} (e.g. "gw", "cli", "lan")
     * @return the new namespace; close it (or register it with a {@link SystemTestContext})
     */
    public static Netns create(String tag, String role) {
        if (!WORD.matcher(tag).matches() || !WORD.matcher(role).matches()) {
            throw new IllegalArgumentException("tag and role must match [a-z0-9]{1,12}: " + tag + ", " + role);
        }
        NamespaceLock.acquire(tag);
        Netns ns = new Netns(tag, role);
        try {
            Commands.check("ip", "netns", "add", ns.name);
            Janitor.track(ns);
            ns.ip("link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            destroy(ns.name);
            NamespaceLock.release(tag);
            throw e;
        }
    }

    /** @return the names of all namespaces on the machine ({@code ip netns list}) */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        for (String line : Commands.check("ip", "netns", "list").lines()) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** @return the namespace name, e.g. {@code mvpn-ike-gw} */
    public String name() {
        return name;
    }

    /** @return the owner tag */
    public String tag() {
        return tag;
    }

    /** @return the role part of the name */
    public String role() {
        return role;
    }

    /**
     * Output directory for files about this namespace, taken at the time of the call: under the
     * running test's directory ({@link TestOutput#current()}), so a namespace shared by a whole class
     * still gets each test's process logs and captures separately.
     *
     * @return {@code TestOutput.current()/<name>}, created
     */
    public Path outputDir() {
        return TestOutput.mkdirs(TestOutput.current().resolve(name));
    }

    /**
     * Runs {@code ip -n <name> args...} and fails on a non-zero exit; the escape hatch for anything the
     * convenience methods do not cover (e.g. {@code ip("route", "add", "table", "10", ...)}).
     *
     * @param args arguments after {@code ip -n <name>}
     * @return the command's output
     */
    public CommandResult ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return Commands.run(Commands.DEFAULT_TIMEOUT, Map.of(), null, argv).check();
    }

    /**
     * Creates a veth pair with one end in this namespace and the other in {@code peer}, both up.
     *
     * @param ifname interface name here (at most 15 characters)
     * @param peer the other namespace
     * @param peerIfname interface name there (at most 15 characters)
     * @return this
     */
    public Netns veth(String ifname, Netns peer, String peerIfname) {
        requireIfname(ifname);
        requireIfname(peerIfname);
        Commands.check("ip", "link", "add", ifname, "netns", name, "type", "veth", "peer", "name", peerIfname,
                "netns", peer.name);
        up(ifname);
        peer.up(peerIfname);
        return this;
    }

    /**
     * Adds an IPv4 or IPv6 address (IPv6 with {@code nodad}, so it is usable at once).
     *
     * @param ifname interface in this namespace
     * @param cidr e.g. {@code 198.51.100.2/24} or {@code 2001:db8:100::2/64}
     * @return this
     */
    public Netns address(String ifname, String cidr) {
        if (cidr.contains(":")) {
            ip("-6", "address", "add", cidr, "dev", ifname, "nodad");
        } else {
            ip("address", "add", cidr, "dev", ifname);
        }
        return this;
    }

    /**
     * Sets a link up.
     *
     * @param ifname interface in this namespace
     * @return this
     */
    public Netns up(String ifname) {
        ip("link", "set", ifname, "up");
        return this;
    }

    /**
     * Adds a route via a gateway address ({@code ip route add <destination> via <via>}).
     *
     * @param destination prefix or {@code default}; IPv6 when {@code via} is IPv6
     * @param via next-hop address
     * @return this
     */
    public Netns route(String destination, String via) {
        if (via.contains(":")) {
            ip("-6", "route", "add", destination, "via", via);
        } else {
            ip("route", "add", destination, "via", via);
        }
        return this;
    }

    /**
     * Sets a sysctl inside this namespace (per-namespace keys such as {@code net.ipv4.ip_forward}).
     *
     * @param key e.g. {@code net.ipv4.ip_forward}
     * @param value e.g. {@code 1}
     * @return this
     */
    public Netns sysctl(String key, String value) {
        // written through /proc/sys by a shell inside the namespace: no dependency on procps' sysctl
        execChecked("sh", "-c", "echo \"$2\" > \"/proc/sys/$1\"", "sh", key.replace('.', '/'), value);
        return this;
    }

    /**
     * Turns IPv4 and IPv6 forwarding on or off in this namespace.
     *
     * @param on whether to forward
     * @return this
     */
    public Netns forwarding(boolean on) {
        sysctl("net.ipv4.ip_forward", on ? "1" : "0");
        return sysctl("net.ipv6.conf.all.forwarding", on ? "1" : "0");
    }

    /**
     * Runs a command inside this namespace to completion ({@link Commands#DEFAULT_TIMEOUT}); the exit
     * code is not checked.
     *
     * @param argv program and arguments
     * @return exit code and output
     */
    public CommandResult exec(String... argv) {
        return exec(Commands.DEFAULT_TIMEOUT, argv);
    }

    /**
     * Runs a command inside this namespace with a timeout; the exit code is not checked.
     *
     * @param timeout after this the command is killed and {@link CommandFailedException} thrown
     * @param argv program and arguments
     * @return exit code and output
     */
    public CommandResult exec(Duration timeout, String... argv) {
        return Commands.run(timeout, Map.of(), null, inside(List.of(argv)));
    }

    /**
     * Runs a command inside this namespace and fails unless it exits with 0.
     *
     * @param argv program and arguments
     * @return exit code and output
     */
    public CommandResult execChecked(String... argv) {
        return exec(argv).check();
    }

    /**
     * Starts a long-running process inside this namespace, output to
     * {@code outputDir()/<logName>.out|.err}.
     *
     * @param logName base name of the output files
     * @param argv program and arguments
     * @return the running process; stop or close it (closing the namespace kills it too)
     */
    public NsProcess start(String logName, String... argv) {
        return NsProcess.start(this, logName, Map.of(), List.of(argv));
    }

    /**
     * Makes {@code /etc/netns/<name>/resolv.conf} (empty), which {@code ip netns exec} bind-mounts over
     * {@code /etc/resolv.conf} for processes started afterwards, so DNS changes made by software under
     * test land there and never in the machine's real file. Removed on {@link #close()}.
     *
     * @return the file
     */
    public Path resolvConf() {
        Path file = Path.of("/etc/netns", name, "resolv.conf");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return PIDs of all processes in this namespace ({@code ip netns pids}) */
    public List<Long> pids() {
        return pids(name);
    }

    /** Kills every process still in the namespace, deletes it and its {@code /etc/netns} directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            destroy(name);
        } finally {
            Janitor.untrack(this);
            NamespaceLock.release(tag);
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    List<String> inside(List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        return full;
    }

    /** Removes a namespace by name: SIGKILL to its processes, ip netns del, /etc/netns/name. */
    static void destroy(String name) {
        for (int round = 0; round < 50; round++) {
            List<Long> pids = pids(name);
            if (pids.isEmpty()) {
                break;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep(100);
        }
        if (list().contains(name)) {
            Commands.run("ip", "netns", "del", name).check();
        }
        TestOutput.deleteTree(Path.of("/etc/netns", name));
    }

    private static List<Long> pids(String name) {
        CommandResult r = Commands.run("ip", "netns", "pids", name);
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.lines()) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    private static void requireIfname(String ifname) {
        if (!IFNAME.matcher(ifname).matches()) {
            throw new IllegalArgumentException("interface name must be 1..15 of [A-Za-z0-9_.]: " + ifname);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
