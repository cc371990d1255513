package org.mobilevpn.vnic;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.KillSwitchPolicy;

/**
 * The installed kill switch policies on disk, one file {@code NAME.policy} per connection, written before
 * the rules go into the kernel and deleted after they left it. So a start after a crash knows what the
 * kernel holds and why, and can put the same rules back or take them away. Lines {@code key = value}:
 * {@code kill_switch}, and {@code gateway}, {@code ike_port}, {@code exception}, {@code tunnelled} once per
 * element.
 */
final class KillSwitchStore {
    private static final String SUFFIX = ".policy";

    private final Path dir;

    KillSwitchStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * The runtime process that last reconciled the rules ({@link RuntimeProcessId}), or "" when none did.
     */
    String owner() throws IOException {
        Path f = dir.resolve("owner");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.US_ASCII).strip() : "";
    }

    void owner(String runtime) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("owner"), runtime + "\n", StandardCharsets.US_ASCII);
    }

    /** The script file last given to nft, kept for the operator to read. */
    Path scriptFile() {
        return dir.resolve("mobilevpn.nft");
    }

    void write(String connection, KillSwitchPolicy p) throws IOException {
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder("# kill switch of connection ").append(connection)
                .append(" (written by mobilevpn's vnic bundle; its rules are in nftables table inet mobilevpn)\n");
        s.append("kill_switch = ").append(p.killSwitch()).append('\n');
        p.gateways().forEach(g -> s.append("gateway = ").append(g.getHostAddress()).append('\n'));
        p.ikePorts().forEach(port -> s.append("ike_port = ").append(port).append('\n'));
        p.exceptions().forEach(e -> s.append("exception = ").append(e).append('\n'));
        p.tunnelled().forEach(t -> s.append("tunnelled = ").append(t).append('\n'));
        Path file = dir.resolve(connection + SUFFIX);
        Path tmp = dir.resolve("." + connection + SUFFIX + ".tmp");
        Files.writeString(tmp, s, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void delete(String connection) throws IOException {
        Files.deleteIfExists(dir.resolve(connection + SUFFIX));
    }

    /**
     * Every stored policy by connection; a file that cannot be read as one is reported through
     * {@code problems} and left out.
     */
    SortedMap<String, KillSwitchPolicy> readAll(List<String> problems) throws IOException {
        SortedMap<String, KillSwitchPolicy> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                if (!VpnProfile.NAME.matcher(name).matches()) {
                    problems.add(f + ": not a connection name");
                    continue;
                }
                try {
                    out.put(name, parse(Files.readAllLines(f, StandardCharsets.UTF_8)));
                } catch (IllegalArgumentException e) {
                    problems.add(f + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    static KillSwitchPolicy parse(List<String> lines) {
        boolean killSwitch = false;
        List<InetAddress> gateways = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<IpPrefix> exceptions = new ArrayList<>();
        List<IpPrefix> tunnelled = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] kv = l.split("\\s*=\\s*", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("not 'key = value': " + l);
            }
            switch (kv[0]) {
                case "kill_switch" -> killSwitch = Boolean.parseBoolean(kv[1]);
                case "gateway" -> gateways.add(numeric(kv[1]));
                case "ike_port" -> ports.add(Integer.parseInt(kv[1]));
                case "exception" -> exceptions.add(IpPrefix.parse(kv[1]));
                case "tunnelled" -> tunnelled.add(IpPrefix.parse(kv[1]));
                default -> throw new IllegalArgumentException("unknown key " + kv[0]);
            }
        }
        return new KillSwitchPolicy(killSwitch, gateways, ports, exceptions, tunnelled);
    }

    private static InetAddress numeric(String text) {
        IpPrefix p = IpPrefix.parse(text); // numeric only: never a name lookup
        if (p.prefixLength() != (p.isIpv6() ? 128 : 32)) {
            throw new IllegalArgumentException("a gateway is one address: " + text);
        }
        return p.address();
    }
}
