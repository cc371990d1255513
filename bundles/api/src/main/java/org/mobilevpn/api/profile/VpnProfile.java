package org.mobilevpn.api.profile;

import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.vnic.DnsStrategy;

/**
 * One connection as the operator configured it, validated and typed: the keys of the CSP contract
 * (DESIGN.md, named after strongSwan's swanctl.conf) with every string already parsed, so the Policy
 * Manager turns it into an {@link IkeSessionConfig} ({@link #toIkeSessionConfig()}), a
 * {@link SplitTunnelPolicy} ({@link #splitTunnelPolicy()}) and vnic settings without parsing again.
 *
 * <p>Immutable. The pre-shared key is held as {@link SecretBytes} and only handed out as a copy the
 * caller wipes; {@link #toString()} never shows it. The profile itself is not wiped when it is
 * replaced, because a connection still running on a previous version needs its key to reconnect.
 */
public final class VpnProfile {
    /** Connection names: used in shell commands, event properties and file names, so kept plain. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String name;
    private final List<GatewayAddress> remoteAddrs;
    private final IkeIdentity localId;
    private final IkeIdentity remoteId;
    private final AuthMethod auth;
    private final SecretBytes psk;
    private final List<X509Certificate> certificateChain;
    private final PrivateKey privateKey;
    private final List<X509Certificate> caCertificates;
    private final List<String> ikeProposals;
    private final List<String> espProposals;
    private final List<TrafficSelector> localTs;
    private final boolean localTsDynamic;
    private final List<TrafficSelector> remoteTs;
    private final List<InetAddress> vips;
    private final boolean encap;
    private final Duration dpdDelay;
    private final Duration keepalive;
    private final Duration rekeyTime;
    private final Duration childRekeyTime;
    private final boolean autostart;
    private final List<TrafficSelector> splitInclude;
    private final List<TrafficSelector> splitExclude;
    private final boolean killSwitch;
    private final DnsStrategy dns;

    private VpnProfile(Builder b) {
        name = b.name;
        remoteAddrs = List.copyOf(b.remoteAddrs);
        localId = b.localId;
        remoteId = b.remoteId;
        auth = b.auth;
        psk = b.psk == null ? null : b.psk.copy();
        certificateChain = List.copyOf(b.certificateChain);
        privateKey = b.privateKey;
        caCertificates = List.copyOf(b.caCertificates);
        ikeProposals = List.copyOf(b.ikeProposals);
        espProposals = List.copyOf(b.espProposals);
        localTs = List.copyOf(b.localTs);
        localTsDynamic = b.localTsDynamic;
        remoteTs = List.copyOf(b.remoteTs);
        vips = List.copyOf(b.vips);
        encap = b.encap;
        dpdDelay = b.dpdDelay;
        keepalive = b.keepalive;
        rekeyTime = b.rekeyTime;
        childRekeyTime = b.childRekeyTime;
        autostart = b.autostart;
        splitInclude = List.copyOf(b.splitInclude);
        splitExclude = List.copyOf(b.splitExclude);
        killSwitch = b.killSwitch;
        dns = b.dns;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code name}: the connection name, unique among the registry's profiles. */
    public String name() { return name; }
    /** {@code remote_addrs}: the gateways to try, in order. */
    public List<GatewayAddress> remoteAddrs() { return remoteAddrs; }
    /** {@code local_id}: our IKE identity. */
    public IkeIdentity localId() { return localId; }
    /** {@code remote_id}: the identity the gateway must prove; empty for {@code %any}. */
    public Optional<IkeIdentity> remoteId() { return Optional.ofNullable(remoteId); }
    /** {@code auth}: how we authenticate. */
    public AuthMethod auth() { return auth; }

    /** {@code psk}: a copy of the pre-shared key that the caller owns and wipes; empty without PSK. */
    public Optional<SecretBytes> psk() {
        return psk == null ? Optional.empty() : Optional.of(psk.copy());
    }

    /** {@code cert}: our certificate first, then intermediates; empty without {@code pubkey}. */
    public List<X509Certificate> certificateChain() { return certificateChain; }
    /** {@code key}: the private key of our certificate, or {@code null} without {@code pubkey}. */
    public PrivateKey privateKey() { return privateKey; }
    /** {@code ca}: trust anchors for the gateway's certificate. */
    public List<X509Certificate> caCertificates() { return caCertificates; }
    /** {@code ike_proposals} (swanctl {@code proposals}), most preferred first. */
    public List<String> ikeProposals() { return ikeProposals; }
    /** {@code esp_proposals}, most preferred first. */
    public List<String> espProposals() { return espProposals; }

    /**
     * {@code local_ts}. {@code dynamic} is already expanded: to any address of each virtual-IP family
     * asked for (the gateway narrows it to the address it assigns), or without {@code vips} to any
     * address of the gateway's family (narrowed to our outer address); see {@link #localTsDynamic()}.
     */
    public List<TrafficSelector> localTs() { return localTs; }
    /** True when {@code local_ts} said {@code dynamic}: the gateway is expected to narrow it. */
    public boolean localTsDynamic() { return localTsDynamic; }
    /** {@code remote_ts}: what lies behind the gateway. */
    public List<TrafficSelector> remoteTs() { return remoteTs; }
    /** {@code vips}: virtual addresses to ask for (0.0.0.0 / :: for any); empty for none. */
    public List<InetAddress> vips() { return vips; }
    /** {@code encap}: force UDP encapsulation even without NAT. */
    public boolean encap() { return encap; }
    /** {@code dpd_delay}: liveness check after this much silence; zero disables it. */
    public Duration dpdDelay() { return dpdDelay; }
    /** {@code keepalive}: NAT keepalive interval behind a NAT; zero disables it. */
    public Duration keepalive() { return keepalive; }
    /** {@code rekey_time}: of the IKE SA; zero disables rekeying. */
    public Duration rekeyTime() { return rekeyTime; }
    /** {@code child_rekey_time}: of the Child SA (swanctl: children.rekey_time); zero disables it. */
    public Duration childRekeyTime() { return childRekeyTime; }
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

    /** The filter's split-tunnel policy of this profile. */
    public SplitTunnelPolicy splitTunnelPolicy() {
        return new SplitTunnelPolicy(splitInclude, splitExclude, killSwitch);
    }

    /**
     * The engine's session configuration. Cannot fail: the builder checked everything
     * {@link IkeSessionConfig} requires. The Child SA life time is the rekey time plus 10%, as
     * strongSwan derives it. The PSK is copied into the configuration.
     */
    public IkeSessionConfig toIkeSessionConfig() {
        IkeSessionConfig.Builder b = IkeSessionConfig.builder(name)
                .localId(localId).remoteId(remoteId)
                .ikeProposals(ikeProposals).espProposals(espProposals)
                .localTs(localTs).remoteTs(remoteTs).vips(vips).encap(encap)
                .dpdDelay(dpdDelay).ikeRekeyTime(rekeyTime)
                .childRekeyTime(childRekeyTime).childLifetime(childRekeyTime.plus(childRekeyTime.dividedBy(10)))
                .caCertificates(caCertificates);
        if (auth == AuthMethod.PSK) {
            b.psk(psk);
        } else {
            b.pubkey(certificateChain, privateKey);
        }
        return b.build();
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
        return name.equals(p.name) && remoteAddrs.equals(p.remoteAddrs) && localId.equals(p.localId)
                && Objects.equals(remoteId, p.remoteId) && auth == p.auth && samePsk(p)
                && certificateChain.equals(p.certificateChain) && Objects.equals(privateKey, p.privateKey)
                && caCertificates.equals(p.caCertificates) && ikeProposals.equals(p.ikeProposals)
                && espProposals.equals(p.espProposals) && localTs.equals(p.localTs)
                && localTsDynamic == p.localTsDynamic && remoteTs.equals(p.remoteTs) && vips.equals(p.vips)
                && encap == p.encap && dpdDelay.equals(p.dpdDelay) && keepalive.equals(p.keepalive)
                && rekeyTime.equals(p.rekeyTime) && childRekeyTime.equals(p.childRekeyTime)
                && autostart == p.autostart && splitInclude.equals(p.splitInclude)
                && splitExclude.equals(p.splitExclude) && killSwitch == p.killSwitch && dns == p.dns;
    }

    private boolean samePsk(VpnProfile p) {
        if (psk == null || p.psk == null) {
            return psk == p.psk;
        }
        byte[] other = p.psk.toByteArray();
        try {
            return psk.contentEquals(other);
        } finally {
            Arrays.fill(other, (byte) 0);
        }
    }

    /** From the non-secret values only. */
    @Override
    public int hashCode() {
        return Objects.hash(name, remoteAddrs, localId, remoteId, auth, ikeProposals, espProposals, localTs, remoteTs);
    }

    /** swanctl-style summary; the PSK shows as {@code (secret)}, the private key not at all. */
    @Override
    public String toString() {
        return "VpnProfile[" + name + ", remote_addrs=" + remoteAddrs + ", local_id=" + localId
                + ", remote_id=" + (remoteId == null ? "%any" : remoteId) + ", auth=" + auth.name().toLowerCase()
                + (psk == null ? "" : ", psk=(secret)")
                + (certificateChain.isEmpty() ? "" : ", cert=" + certificateChain.get(0).getSubjectX500Principal().getName())
                + ", ca=" + caCertificates.size() + " certificate(s)"
                + ", ike_proposals=" + ikeProposals + ", esp_proposals=" + espProposals
                + ", local_ts=" + (localTsDynamic ? "dynamic" + localTs : localTs.toString()) + ", remote_ts=" + remoteTs
                + ", vips=" + vips + ", encap=" + encap + ", dpd_delay=" + dpdDelay.toSeconds() + "s"
                + ", keepalive=" + keepalive.toSeconds() + "s, rekey_time=" + rekeyTime.toSeconds() + "s"
                + ", child_rekey_time=" + childRekeyTime.toSeconds() + "s, autostart=" + autostart
                + ", split_include=" + splitInclude + ", split_exclude=" + splitExclude
                + ", kill_switch=" + killSwitch + ", dns=" + dns.name().toLowerCase() + "]";
    }

    /** Collects values; the defaults are strongSwan's where it has one. */
    public static final class Builder {
        private final String name;
        private List<GatewayAddress> remoteAddrs = List.of();
        private IkeIdentity localId;
        private IkeIdentity remoteId;
        private AuthMethod auth = AuthMethod.PSK;
        private SecretBytes psk;
        private List<X509Certificate> certificateChain = List.of();
        private PrivateKey privateKey;
        private List<X509Certificate> caCertificates = List.of();
        private List<String> ikeProposals = List.of("aes256gcm16-prfsha384-x25519", "aes256-sha256-modp2048");
        private List<String> espProposals = List.of("aes256gcm16", "aes256-sha256");
        private List<TrafficSelector> localTs = List.of(TrafficSelector.ANY_IPV4);
        private boolean localTsDynamic = true;
        private List<TrafficSelector> remoteTs = List.of(TrafficSelector.ANY_IPV4);
        private List<InetAddress> vips = List.of();
        private boolean encap;
        private Duration dpdDelay = Duration.ofSeconds(30);
        private Duration keepalive = Duration.ofSeconds(20);
        private Duration rekeyTime = Duration.ofHours(4);
        private Duration childRekeyTime = Duration.ofHours(1);
        private boolean autostart;
        private List<TrafficSelector> splitInclude = List.of();
        private List<TrafficSelector> splitExclude = List.of();
        private boolean killSwitch;
        private DnsStrategy dns = DnsStrategy.NONE;

        private Builder(String name) {
            this.name = name;
        }

        public Builder remoteAddrs(List<GatewayAddress> a) { remoteAddrs = List.copyOf(a); return this; }
        public Builder localId(IkeIdentity id) { localId = id; return this; }
        /** {@code null} for {@code %any}. */
        public Builder remoteId(IkeIdentity id) { remoteId = id; return this; }

        /** PSK authentication with a copy of {@code key}; the caller keeps (and wipes) its own. */
        public Builder psk(SecretBytes key) {
            auth = AuthMethod.PSK;
            psk = key.copy();
            return this;
        }

        /** Certificate authentication: our certificate first, then intermediates, and its private key. */
        public Builder pubkey(List<X509Certificate> chain, PrivateKey key) {
            auth = AuthMethod.PUBKEY;
            certificateChain = List.copyOf(chain);
            privateKey = key;
            return this;
        }

        public Builder caCertificates(List<X509Certificate> c) { caCertificates = List.copyOf(c); return this; }
        public Builder ikeProposals(List<String> p) { ikeProposals = List.copyOf(p); return this; }
        public Builder espProposals(List<String> p) { espProposals = List.copyOf(p); return this; }

        /** @param dynamic whether these selectors came from {@code dynamic} */
        public Builder localTs(List<TrafficSelector> ts, boolean dynamic) {
            localTs = List.copyOf(ts);
            localTsDynamic = dynamic;
            return this;
        }

        public Builder remoteTs(List<TrafficSelector> ts) { remoteTs = List.copyOf(ts); return this; }
        public Builder vips(List<InetAddress> v) { vips = List.copyOf(v); return this; }
        public Builder encap(boolean e) { encap = e; return this; }
        public Builder dpdDelay(Duration d) { dpdDelay = d; return this; }
        public Builder keepalive(Duration d) { keepalive = d; return this; }
        public Builder rekeyTime(Duration d) { rekeyTime = d; return this; }
        public Builder childRekeyTime(Duration d) { childRekeyTime = d; return this; }
        public Builder autostart(boolean a) { autostart = a; return this; }
        public Builder splitInclude(List<TrafficSelector> s) { splitInclude = List.copyOf(s); return this; }
        public Builder splitExclude(List<TrafficSelector> s) { splitExclude = List.copyOf(s); return this; }
        public Builder killSwitch(boolean k) { killSwitch = k; return this; }
        public Builder dns(DnsStrategy d) { dns = d; return this; }

        /**
         * Checks what every consumer relies on, so {@link VpnProfile#toIkeSessionConfig()} cannot fail.
         *
         * @throws ProfileValidationException listing every violated rule by its key
         */
        public VpnProfile build() {
            String n = name == null ? "" : name;
            List<ProfileProblem> problems = new ArrayList<>();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(new ProfileProblem(n, "name", name == null || name.isEmpty() ? "missing"
                        : "'" + name + "' must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter or digit"));
            }
            if (remoteAddrs.isEmpty()) {
                problems.add(new ProfileProblem(n, "remote_addrs", "missing: the gateway's host name or address"));
            }
            if (localId == null) {
                problems.add(new ProfileProblem(n, "local_id", "missing"));
            }
            if (auth == AuthMethod.PSK && (psk == null || psk.isEmpty())) {
                problems.add(new ProfileProblem(n, "psk", "missing: auth = psk needs a pre-shared key"));
            }
            if (auth == AuthMethod.PUBKEY && certificateChain.isEmpty()) {
                problems.add(new ProfileProblem(n, "cert", "missing: auth = pubkey needs our certificate"));
            }
            if (auth == AuthMethod.PUBKEY && privateKey == null) {
                problems.add(new ProfileProblem(n, "key", "missing: auth = pubkey needs the certificate's private key"));
            }
            if (ikeProposals.isEmpty()) {
                problems.add(new ProfileProblem(n, "ike_proposals", "empty"));
            }
            if (espProposals.isEmpty()) {
                problems.add(new ProfileProblem(n, "esp_proposals", "empty"));
            }
            if (localTs.isEmpty()) {
                problems.add(new ProfileProblem(n, "local_ts", "empty"));
            }
            if (remoteTs.isEmpty()) {
                problems.add(new ProfileProblem(n, "remote_ts", "empty"));
            }
            checkDuration(problems, n, "dpd_delay", dpdDelay);
            checkDuration(problems, n, "keepalive", keepalive);
            checkDuration(problems, n, "rekey_time", rekeyTime);
            checkDuration(problems, n, "child_rekey_time", childRekeyTime);
            if (dns == null) {
                problems.add(new ProfileProblem(n, "dns", "missing"));
            }
            if (!problems.isEmpty()) {
                throw new ProfileValidationException(problems);
            }
            return new VpnProfile(this);
        }

        private static void checkDuration(List<ProfileProblem> problems, String n, String key, Duration d) {
            if (d == null || d.isNegative()) {
                problems.add(new ProfileProblem(n, key, d == null ? "missing" : "negative"));
            }
        }
    }
}
