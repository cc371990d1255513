package org.mobilevpn.api.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.vnic.DnsStrategy;

/**
 * One connection as the operator configured it, validated and typed: the keys of the CSP contract
 * (DESIGN.md, named after strongSwan's swanctl.conf) with every string already parsed.
 *
 * <p>The profile maps one to one onto the engine's configuration, so it does not repeat it: its IKE keys
 * ({@code local_id}, {@code auth}, {@code psk}, proposals, selectors, {@code vips}, {@code encap},
 * {@code dpd_delay}, the rekey times) are its {@link #ike()} value, whose class holds their defaults and
 * checks. The profile adds what only the client around the engine uses: the gateways to try, the NAT
 * keepalive, autostart, split tunnelling and DNS, with their defaults here ({@code DEFAULT_*}).
 *
 * <p>Immutable. The pre-shared key lives in {@link #ike()} and is only handed out as a copy the caller
 * closes; {@link #toString()} never shows it. The profile itself is not wiped when it is replaced,
 * because a connection still running on a previous version needs its key to reconnect.
 */
public final class VpnProfile {
    /** Connection names: used in shell commands, event properties and file names, so kept plain. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** {@code remote_port} when absent: the IKE port of RFC 7296 §2. */
    public static final int DEFAULT_REMOTE_PORT = GatewayAddress.IKE_PORT;
    /** {@code local_ts} when absent: our virtual IP, or without one our own address, as the gateway narrows it. */
    public static final String DEFAULT_LOCAL_TS = "dynamic";
    /** {@code keepalive} when absent, in seconds (strongSwan's charon.keep_alive). */
    public static final int DEFAULT_KEEPALIVE_SECONDS = 20;
    /** {@code dns} when absent: leave name resolution alone. */
    public static final String DEFAULT_DNS = "none";
    /**
     * What an {@code uplinks} entry must be: a Linux interface name (net/core/dev.c's dev_valid_name): at most 15
     * bytes (IFNAMSIZ less its NUL), no '/', ':' or whitespace, not {@code .} or {@code ..}.
     *
     * @since 2.2
     */
    public static final Pattern INTERFACE_NAME = Pattern.compile("(?!\\.{1,2}$)[^/:\\s]{1,15}");

    private final IkeSessionConfig ike;
    private final List<GatewayAddress> remoteAddrs;
    private final boolean localTsDynamic;
    private final Duration keepalive;
    private final boolean autostart;
    private final List<TrafficSelector> splitInclude;
    private final List<TrafficSelector> splitExclude;
    private final boolean killSwitch;
    private final DnsStrategy dns;
    private final Duration reauthTime;
    private final List<String> uplinks;

    private VpnProfile(Builder b, IkeSessionConfig ike) {
        this.ike = ike;
        remoteAddrs = List.copyOf(b.remoteAddrs);
        localTsDynamic = b.localTsDynamic;
        keepalive = b.keepalive;
        autostart = b.autostart;
        splitInclude = List.copyOf(b.splitInclude);
        splitExclude = List.copyOf(b.splitExclude);
        killSwitch = b.killSwitch;
        dns = b.dns;
        reauthTime = b.reauthTime;
        uplinks = List.copyOf(b.uplinks);
    }

    /** A builder around the connection's IKE keys (whose name is the connection name). */
    public static Builder builder(IkeSessionConfig.Builder ike) {
        return new Builder(ike);
    }

    /** {@code name}: the connection name, unique among the registry's profiles. */
    public String name() { return ike.name(); }
    /** The IKE keys: the engine's session configuration, as the engine takes it. */
    public IkeSessionConfig ike() { return ike; }
    /**
     * The IKE keys for an attempt to {@code gateway} (one of {@link #remoteAddrs()}): {@link #ike()} with the gateway's
     * host as {@link IkeSessionConfig#remoteHostId()}, the identity a certificate-authenticated gateway must prove
     * when {@code remote_id} is absent.
     */
    public IkeSessionConfig ikeFor(GatewayAddress gateway) {
        return ike.withRemoteHostId(gateway.identity());
    }

    /** {@code remote_addrs}: the gateways to try, in order. */
    public List<GatewayAddress> remoteAddrs() { return remoteAddrs; }
    /**
     * True when {@code local_ts} said {@code dynamic}: {@link IkeSessionConfig#localTs()} then holds any address
     * of each virtual-IP family asked for (without {@code vips}, of the gateway's family) and the gateway is
     * expected to narrow it.
     */
    public boolean localTsDynamic() { return localTsDynamic; }
    /** {@code keepalive}: NAT keepalive interval behind a NAT; zero disables it. */
    public Duration keepalive() { return keepalive; }
    /** {@code autostart}: keep this connection up from the start, and after failures. */
    public boolean autostart() { return autostart; }
    /** {@code split_include}: destinations tunnelled; empty means all that remote_ts covers. */
    public List<TrafficSelector> splitInclude() { return splitInclude; }
    /** {@code split_exclude}: destinations never tunnelled. */
    public List<TrafficSelector> splitExclude() { return splitExclude; }
    /** {@code kill_switch}: drop what is neither tunnelled nor excluded. */
    public boolean killSwitch() { return killSwitch; }
    /** {@code dns}: whether the gateway's DNS servers are applied. */
    public DnsStrategy dns() { return dns; }
    /**
     * {@code reauth_time}: how long an IKE SA lives before a new one, authenticated again, replaces it
     * (RFC 7296 §2.8.3, made before the old one is deleted); zero (the default, as in swanctl) never.
     *
     * @since 2.2
     */
    public Duration reauthTime() { return reauthTime; }
    /**
     * {@code uplinks}: the interfaces to reach the gateway through, most preferred first; the first that is up with
     * an address and a route to the gateway carries IKE and ESP, even against the kernel's own choice. Empty (the
     * default): the route the kernel would use.
     *
     * @since 2.2
     */
    public List<String> uplinks() { return uplinks; }

    /** The filter's split-tunnel policy of this profile. */
    public SplitTunnelPolicy splitTunnelPolicy() {
        return new SplitTunnelPolicy(splitInclude, splitExclude, killSwitch);
    }

    /** Equal when every value is equal, the PSK compared in constant time. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof VpnProfile)) {
            return false;
        }
        VpnProfile p = (VpnProfile) o;
        return ike.equals(p.ike) && remoteAddrs.equals(p.remoteAddrs) && localTsDynamic == p.localTsDynamic
                && keepalive.equals(p.keepalive) && autostart == p.autostart && splitInclude.equals(p.splitInclude)
                && splitExclude.equals(p.splitExclude) && killSwitch == p.killSwitch && dns == p.dns
                && reauthTime.equals(p.reauthTime) && uplinks.equals(p.uplinks);
    }

    /** From the non-secret values only. */
    @Override
    public int hashCode() {
        return Objects.hash(ike, remoteAddrs);
    }

    /** swanctl-style summary; the PSK shows as {@code (secret)}, the private key not at all. */
    @Override
    public String toString() {
        return "VpnProfile[" + name() + ", remote_addrs=" + remoteAddrs + ", " + ike
                + (localTsDynamic ? ", local_ts=dynamic" : "") + ", keepalive=" + keepalive.toSeconds() + "s"
                + ", autostart=" + autostart + ", split_include=" + splitInclude + ", split_exclude=" + splitExclude
                + ", kill_switch=" + killSwitch + ", dns=" + dns.name().toLowerCase(Locale.ROOT)
                + (reauthTime.isZero() ? "" : ", reauth_time=" + reauthTime.toSeconds() + "s")
                + (uplinks.isEmpty() ? "" : ", uplinks=" + String.join(", ", uplinks)) + "]";
    }

    /** Collects values; every key starts at its default. */
    public static final class Builder {
        private final IkeSessionConfig.Builder ike;
        private List<GatewayAddress> remoteAddrs = List.of();
        private boolean localTsDynamic = true; // DEFAULT_LOCAL_TS; the IKE keys start at its expansion without vips
        private Duration keepalive = Duration.ofSeconds(DEFAULT_KEEPALIVE_SECONDS);
        private boolean autostart;
        private List<TrafficSelector> splitInclude = List.of();
        private List<TrafficSelector> splitExclude = List.of();
        private boolean killSwitch;
        private DnsStrategy dns = DnsStrategy.valueOf(DEFAULT_DNS.toUpperCase(Locale.ROOT));
        private Duration reauthTime = Duration.ZERO;
        private List<String> uplinks = List.of();

        private Builder(IkeSessionConfig.Builder ike) {
            this.ike = Objects.requireNonNull(ike, "ike");
        }

        /** The IKE keys, to set them. */
        public IkeSessionConfig.Builder ike() { return ike; }

        public Builder remoteAddrs(List<GatewayAddress> a) { remoteAddrs = List.copyOf(a); return this; }
        /** Whether {@code local_ts} said {@code dynamic} (the IKE keys hold its expansion). */
        public Builder localTsDynamic(boolean dynamic) { localTsDynamic = dynamic; return this; }
        public Builder keepalive(Duration d) { keepalive = d; return this; }
        public Builder autostart(boolean a) { autostart = a; return this; }
        public Builder splitInclude(List<TrafficSelector> s) { splitInclude = List.copyOf(s); return this; }
        public Builder splitExclude(List<TrafficSelector> s) { splitExclude = List.copyOf(s); return this; }
        public Builder killSwitch(boolean k) { killSwitch = k; return this; }
        public Builder dns(DnsStrategy d) { dns = d; return this; }
        /** @since 2.2 */
        public Builder reauthTime(Duration d) { reauthTime = d; return this; }
        /** @since 2.2 */
        public Builder uplinks(List<String> names) { uplinks = List.copyOf(names); return this; }

        /**
         * Checks the profile's own keys and, through {@link IkeSessionConfig.Builder#problems()}, the IKE keys.
         *
         * @throws ProfileValidationException listing every violated rule by its key
         */
        public VpnProfile build() {
            String name = ike.name();
            String n = name == null ? "" : name;
            List<ProfileProblem> problems = new ArrayList<>();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(new ProfileProblem(n, "name", name == null || name.isEmpty() ? "missing"
                        : "'" + name + "' must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter or digit"));
            }
            if (remoteAddrs.isEmpty()) {
                problems.add(new ProfileProblem(n, "remote_addrs", "missing: the gateway's host name or address"));
            }
            for (IkeSessionConfig.KeyProblem p : ike.problems()) {
                problems.add(new ProfileProblem(n, p.key(), p.message()));
            }
            if (keepalive == null || keepalive.isNegative()) {
                problems.add(new ProfileProblem(n, "keepalive", keepalive == null ? "missing" : "negative"));
            }
            if (reauthTime == null || reauthTime.isNegative()) {
                problems.add(new ProfileProblem(n, "reauth_time", reauthTime == null ? "missing" : "negative"));
            }
            if (dns == null) {
                problems.add(new ProfileProblem(n, "dns", "missing"));
            }
            uplinkProblems(n, problems);
            if (!problems.isEmpty()) {
                throw new ProfileValidationException(problems);
            }
            return new VpnProfile(this, ike.build());
        }

        private void uplinkProblems(String profile, List<ProfileProblem> problems) {
            for (int i = 0; i < uplinks.size(); i++) {
                String u = uplinks.get(i);
                if (!INTERFACE_NAME.matcher(u).matches()
                        || u.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
                    problems.add(new ProfileProblem(profile, "uplinks", "'" + u + "' is not an interface name: 1-15"
                            + " bytes without '/', ':' or whitespace, not '.' or '..'"));
                } else if (uplinks.indexOf(u) < i) {
                    problems.add(new ProfileProblem(profile, "uplinks", "'" + u + "' is listed twice"));
                }
            }
        }
    }
}
