package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strongSwan charon running in a {@link Netns}, the real peer of system tests (recipe and reasons:
 * /work/shared/notes/strongswan-peer.md).
 *
 * <p>Each instance has its own directory {@code <ns output>/charon/}: {@code strongswan.conf}, the
 * swanctl dir with {@code swanctl.conf} and credentials, a private {@code run/} bind-mounted over
 * {@code /run} in charon's own mount namespace (5.9 hard-codes its pid file there), the vici socket
 * {@code charon.vici}, {@code resolv.conf} for the resolve plugin (never the machine's real one) and
 * {@code charon.log} with {@code ike}/{@code chd} at level 4, so derived keys are logged
 * ({@link #keyLog()}). The ESP data path is {@code kernel-libipsec} (userspace ESP on TUN ipsec0; this
 * kernel has no ESP), which always uses UDP encapsulation on port 4500.
 *
 * <pre>{@code
 * StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
 *         SwanctlConf.gatewayPsk("s3cret").build()));
 * ... run our client in net.client() ...
 * IkeSa sa = gw.listSas().get(0);
 * CharonKeyLog keys = gw.keyLog();
 * }</pre>
 */
public final class StrongSwanGateway implements AutoCloseable {

    /** The gateway's IKE identity in the harness defaults. */
    public static final String GATEWAY_ID = "gw.vpn.test";
    /** The client's IKE identity in the harness defaults. */
    public static final String CLIENT_ID = "client@vpn.test";
    /** How long {@link #start} waits for the vici socket to answer. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    /** Plugins in load order: kernel-libipsec must come before kernel-netlink. */
    static final String PLUGINS = "random nonce aesni aes sha1 sha2 md5 mgf1 hmac gcm chapoly curve25519 x509"
            + " revocation constraints pubkey pkcs1 pkcs7 pkcs8 pkcs12 pem openssl gmp xcbc cmac kdf ctr ccm drbg"
            + " attr kernel-libipsec kernel-netlink resolve socket-default vici updown counters";

    /** Longest unix socket path (sun_path is 108 bytes including the terminating NUL). */
    private static final int MAX_SOCKET_PATH = 107;

    private final Netns ns;
    private final Path dir;
    private final Path socket;
    private final NsProcess charon;

    private StrongSwanGateway(Netns ns, Path dir, Path socket, NsProcess charon) {
        this.ns = ns;
        this.dir = dir;
        this.socket = socket;
        this.charon = charon;
    }

    /**
     * Starts charon in {@code ns}, waits until its vici socket answers and loads {@code conf}.
     *
     * @param ns the namespace (one charon per namespace)
     * @param conf the swanctl configuration
     * @return the running gateway; close it (or register it) to stop charon
     */
    public static StrongSwanGateway start(Netns ns, SwanctlConf conf) {
        return start(ns, conf, "");
    }

    /**
     * As {@link #start(Netns, SwanctlConf)}, with more settings in the {@code charon} section of
     * strongswan.conf, read once at start: e.g. {@code "port = 0\nport_nat_t = 0"} (random local IKE ports) for
     * an initiator in a namespace where another IKE implementation holds 500 and 4500.
     *
     * @param charonSettings lines of {@code key = value}, or empty
     */
    public static StrongSwanGateway start(Netns ns, SwanctlConf conf, String charonSettings) {
        Path dir = ns.outputDir().resolve("charon");
        TestOutput.deleteTree(dir);
        Path socket = dir.resolve("charon.vici");
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            try {
                socket = Files.createTempDirectory("mvpn-vici").resolve("charon.vici");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TestOutput.mkdirs(dir.resolve("run"));
        for (String sub : List.of("x509", "x509ca", "x509aa", "x509ocsp", "x509crl", "x509ac", "pubkey",
                "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12")) {
            TestOutput.mkdirs(dir.resolve("swanctl").resolve(sub));
        }
        TestOutput.write(dir.resolve("strongswan.conf"), strongswanConf(dir, socket, charonSettings));
        TestOutput.write(dir.resolve("resolv.conf"), "");
        holdIke(ns, true);
        NsProcess charon = NsProcess.start(ns, "charon", Map.of(), List.of("unshare", "-m", "sh", "-c",
                "mount --bind \"$1\" /run && exec env STRONGSWAN_CONF=\"$2\" \"$3\"", "sh",
                dir.resolve("run").toString(), dir.resolve("strongswan.conf").toString(),
                Environment.CHARON.toString()));
        StrongSwanGateway gw = new StrongSwanGateway(ns, dir, socket, charon);
        try {
            gw.awaitReady();
            gw.configure(conf);
            return gw;
        } catch (RuntimeException e) {
            gw.close();
            throw e;
        } finally {
            holdIke(ns, false);
        }
    }

    /**
     * A gateway answers IKE only once its configuration is loaded, as one started by its init system does. charon
     * opens its sockets before {@code swanctl --load-all} runs, and a client retrying in between would be told
     * NO_PROPOSAL_CHOSEN (a race of this harness, not of a real gateway), so IKE to this namespace is dropped
     * until then by a table of the harness's own; other nftables rules of the namespace are not touched.
     */
    private static void holdIke(Netns ns, boolean hold) {
        if (Environment.find("nft").isEmpty()) {
            return;
        }
        String rules = hold
                ? "table inet mvpn_harness_boot {\n chain input {\n  type filter hook input priority -10;\n"
                        + "  udp dport { 500, 4500 } drop\n }\n}\n"
                : "delete table inet mvpn_harness_boot\n";
        ns.exec("sh", "-c", "printf '" + rules + "' | nft -f -");
    }

    /** @return the namespace charon runs in */
    public Netns netns() {
        return ns;
    }

    /** @return this instance's directory */
    public Path dir() {
        return dir;
    }

    /** @return charon's log file */
    public Path logFile() {
        return dir.resolve("charon.log");
    }

    /** @return the resolv.conf the resolve plugin writes (client role) */
    public Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    /** @return charon's PID */
    public long pid() {
        return charon.pid();
    }

    /** SIGKILLs charon, as a gateway that dies: no DELETE, no answer any more. Waits for the exit. */
    public void kill() {
        charon.stop("KILL", Duration.ofSeconds(10));
    }

    /** @return whether charon still runs */
    public boolean isAlive() {
        return charon.isAlive();
    }

    /**
     * Writes a new swanctl.conf plus credentials and loads everything ({@link #loadAll()}).
     *
     * @param conf the configuration
     */
    public void configure(SwanctlConf conf) {
        Path swanctl = dir.resolve("swanctl");
        TestOutput.write(swanctl.resolve("swanctl.conf"), conf.text());
        conf.files().forEach((sub, paths) -> paths.forEach(p -> copy(p, swanctl.resolve(sub).resolve(p.getFileName()))));
        loadAll();
    }

    /** Runs {@code swanctl --load-all} (connections, pools, secrets, credentials). */
    public void loadAll() {
        swanctl("--load-all");
    }

    /**
     * Runs swanctl against this charon and fails on a non-zero exit.
     *
     * @param args arguments, e.g. {@code "--initiate", "--child", "home"}
     * @return the output
     */
    public CommandResult swanctl(String... args) {
        return swanctlUnchecked(args).check();
    }

    /** @return the current IKE SAs with their Child SAs ({@code swanctl --list-sas --raw}) */
    public List<IkeSa> listSas() {
        return IkeSa.parseListSas(swanctl("--list-sas", "--raw").stdout());
    }

    /**
     * Waits until the gateway holds exactly one ESTABLISHED IKE SA with exactly one INSTALLED Child SA: what is
     * left after a rekey, a collision or a repair has settled (strongSwan lists a rekeyed Child SA as DELETED for a
     * few seconds, delete_rekeyed_delay, which does not count).
     *
     * @param timeout bound
     * @return that IKE SA
     * @throws AssertionError with what the gateway holds, if it does not come to that within {@code timeout}
     */
    public IkeSa awaitOneIkeSaWithOneChild(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<IkeSa> sas = listSas();
        while (System.nanoTime() < deadline) {
            if (sas.size() == 1 && sas.get(0).state().equals("ESTABLISHED")
                    && sas.get(0).childSas().stream().filter(c -> c.state().equals("INSTALLED")).count() == 1) {
                return sas.get(0);
            }
            Netns.sleep(200);
            sas = listSas();
        }
        throw new AssertionError("the gateway does not hold exactly one IKE SA with one Child SA: " + sas);
    }

    /**
     * Terminates every IKE SA of a connection: sends DELETE and does not wait for the answer.
     *
     * @param connection connection name, e.g. {@code rw}
     */
    public void terminateIke(String connection) {
        swanctl("--terminate", "--ike", connection, "--force");
    }

    /**
     * Terminates one IKE SA by unique id, sending DELETE without waiting for the answer.
     *
     * @param uniqueId {@link IkeSa#uniqueId()}
     */
    public void terminateIke(int uniqueId) {
        swanctl("--terminate", "--ike-id", Integer.toString(uniqueId), "--force");
    }

    /** @return the key material logged so far ({@link CharonKeyLog}) */
    public CharonKeyLog keyLog() {
        return CharonKeyLog.parse(log());
    }

    /** @return charon's log so far */
    public String log() {
        return NsProcess.read(logFile());
    }

    /**
     * IKE fragmentation (RFC 7383) as charon's log shows it.
     *
     * @param reassembledFrom how many fragments the first message charon reassembled had (0: none)
     * @param splitInto how many fragments charon split the first message it fragmented into (0: none)
     */
    public record Fragmentation(int reassembledFrom, int splitInto) {
        private static final Pattern REASSEMBLED =
                Pattern.compile("received fragment #\\d+ of (\\d+), reassembled fragmented IKE message");
        private static final Pattern SPLIT = Pattern.compile("splitting IKE message \\(\\d+ bytes\\) into (\\d+) fragments");

        static Fragmentation of(String log) {
            return new Fragmentation(first(REASSEMBLED, log), first(SPLIT, log));
        }

        private static int first(Pattern p, String log) {
            Matcher m = p.matcher(log);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    /** @return the IKE fragmentation charon logged so far */
    public Fragmentation fragmentation() {
        return Fragmentation.of(log());
    }

    /**
     * Waits until charon logs a line matching {@code regex}, e.g. {@code "IKE_SA rw\\[\\d+\\] established"}.
     *
     * @param regex pattern (a find)
     * @param timeout bound
     * @return the line
     */
    public String awaitLog(String regex, Duration timeout) {
        return charon.awaitLine(logFile(), regex, timeout);
    }

    /** Stops charon (SIGTERM by its PID, SIGKILL after a grace period). */
    @Override
    public void close() {
        charon.close();
        if (!socket.startsWith(dir)) {
            TestOutput.deleteTree(socket.getParent());
        }
    }

    @Override
    public String toString() {
        return "charon in " + ns.name() + " (pid " + charon.pid() + ")";
    }

    private CommandResult swanctlUnchecked(String... args) {
        List<String> argv = new ArrayList<>(List.of("swanctl"));
        argv.addAll(List.of(args));
        return Commands.run(Commands.DEFAULT_TIMEOUT, Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString(),
                "SWANCTL_DIR", dir.resolve("swanctl").toString()), null, argv);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadline) {
            if (!charon.isAlive()) {
                throw new IllegalStateException("charon in " + ns.name() + " exited: " + charon.stderr() + "\n"
                        + tail(log()));
            }
            if (Files.exists(socket)) {
                last = swanctlUnchecked("--stats");
                if (last.ok()) {
                    return;
                }
            }
            Netns.sleep(100);
        }
        throw new IllegalStateException("charon in " + ns.name() + " not ready within " + READY_TIMEOUT
                + (last == null ? ", no socket " + socket : ": " + last.stderr()) + "\n" + tail(log()));
    }

    static String strongswanConf(Path dir, Path socket, String charonSettings) {
        return """
                # written by the mobilevpn test harness
                charon {
                  load = %s
                %s
                  plugins {
                    vici {
                      socket = unix://%s
                    }
                    resolve {
                      file = %s
                    }
                  }
                  filelog {
                    harness {
                      path = %s
                      default = 1
                      ike = 4
                      chd = 4
                      flush_line = yes
                      ike_name = yes
                    }
                  }
                }
                swanctl {
                  socket = unix://%s
                }
                """.formatted(PLUGINS, charonSettings.indent(2).stripTrailing(), socket, dir.resolve("resolv.conf"),
                dir.resolve("charon.log"), socket);
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 3000));
    }


    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
