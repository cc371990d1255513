package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * One connection's IKE keys as an immutable value: everything the engine needs to bring up one IKE SA
 * with its first Child SA. This is the home of these keys: their defaults ({@code DEFAULT_*}, which the
 * profile form shows) and their validation ({@link Builder#build()}) live here and nowhere else; a
 * {@link org.mobilevpn.api.profile.VpnProfile} holds one and adds what only the client around the engine
 * needs. Names follow strongSwan's swanctl.conf ({@code local_id}, {@code esp_proposals},
 * {@code local_ts}, {@code vips}, {@code encap}, {@code dpd_delay}, {@code rekey_time}). What applies to
 * every connection (retransmission, fragment size, rekey jitter) is the engine's own configuration, as
 * strongswan.conf is to swanctl.conf. Proposal keywords are checked by the engine's
 * {@link org.mobilevpn.api.profile.ProposalValidator}.
 *
 * <p>Secrets: the pre-shared key is held as {@link SecretBytes} and {@link #psk()} hands out a copy; the
 * private key object is shared, not copied.
 */
public final class IkeSessionConfig {
    /** {@code auth} when absent. */
    public static final String DEFAULT_AUTH = "psk";
    /** The first of the default {@code ike_proposals}: AEAD with curve25519. */
    public static final String DEFAULT_IKE_PROPOSAL = "aes256gcm16-prfsha384-x25519";
    /** The second of the default {@code ike_proposals}, for gateways without AEAD or curve25519. */
    public static final String DEFAULT_IKE_PROPOSAL_CLASSIC = "aes256-sha256-modp2048";
    /** The first of the default {@code esp_proposals}. */
    public static final String DEFAULT_ESP_PROPOSAL = "aes256gcm16";
    /** The second of the default {@code esp_proposals}. */
    public static final String DEFAULT_ESP_PROPOSAL_CLASSIC = "aes256-sha256";
    /** {@code remote_ts} when absent: everything behind the gateway (IPv4). */
    public static final String DEFAULT_REMOTE_TS = "0.0.0.0/0";
    /** {@code dpd_delay} when absent, in seconds. */
    public static final int DEFAULT_DPD_DELAY_SECONDS = 30;
    /** {@code rekey_time} of the IKE SA when absent, in hours (strongSwan's). */
    public static final int DEFAULT_REKEY_TIME_HOURS = 4;
    /** {@code child_rekey_time} when absent, in hours (strongSwan's children.rekey_time). */
    public static final int DEFAULT_CHILD_REKEY_TIME_HOURS = 1;
    /** {@code mobike} when absent: offered, as in swanctl. @since 2.1 */
    public static final boolean DEFAULT_MOBIKE = true;
    /** {@code allow_sha1_signatures} when absent: no SHA-1 in AUTH signatures, neither ours nor the gateway's. */
    public static final boolean DEFAULT_ALLOW_SHA1_SIGNATURES = false;

    private final String name;
    private final IkeIdentity localId;
    private final IkeIdentity remoteId;
    private final IkeIdentity remoteHostId;
    private final AuthMethod auth;
    private final SecretBytes psk;
    private final List<X509Certificate> certificateChain;
    private final PrivateKey privateKey;
    private final List<X509Certificate> caCertificates;
    private final List<String> ikeProposals;
    private final List<String> espProposals;
    private final List<TrafficSelector> localTs;
    private final List<TrafficSelector> remoteTs;
    private final List<InetAddress> vips;
    private final boolean encap;
    private final Duration dpdDelay;
    private final Duration ikeRekeyTime;
    private final Duration childRekeyTime;
    private final Duration childLifetime;
    private final boolean mobike;
    private final boolean initialContact;
    private final boolean allowSha1Signatures;

    private IkeSessionConfig(Builder b) {
        name = b.name;
        localId = b.localId;
        remoteId = b.remoteId;
        remoteHostId = b.remoteHostId;
        auth = b.auth;
        psk = b.psk == null ? null : b.psk.copy();
        certificateChain = List.copyOf(b.certificateChain);
        privateKey = b.privateKey;
        caCertificates = List.copyOf(b.caCertificates);
        ikeProposals = List.copyOf(b.ikeProposals);
        espProposals = List.copyOf(b.espProposals);
        localTs = List.copyOf(b.localTs);
        remoteTs = List.copyOf(b.remoteTs);
        vips = List.copyOf(b.vips);
        encap = b.encap;
        dpdDelay = b.dpdDelay;
        ikeRekeyTime = b.ikeRekeyTime;
        childRekeyTime = b.childRekeyTime;
        childLifetime = b.childLifetime != null ? b.childLifetime : childRekeyTime.plus(childRekeyTime.dividedBy(10));
        mobike = b.mobike;
        initialContact = b.initialContact;
        allowSha1Signatures = b.allowSha1Signatures;
    }

    /** A copy of {@code c} for an attempt to the gateway host {@code remoteHostId}; the PSK object is shared, not copied. */
    private IkeSessionConfig(IkeSessionConfig c, IkeIdentity remoteHostId) {
        name = c.name;
        localId = c.localId;
        remoteId = c.remoteId;
        this.remoteHostId = remoteHostId;
        auth = c.auth;
        psk = c.psk;
        certificateChain = c.certificateChain;
        privateKey = c.privateKey;
        caCertificates = c.caCertificates;
        ikeProposals = c.ikeProposals;
        espProposals = c.espProposals;
        localTs = c.localTs;
        remoteTs = c.remoteTs;
        vips = c.vips;
        encap = c.encap;
        dpdDelay = c.dpdDelay;
        ikeRekeyTime = c.ikeRekeyTime;
        childRekeyTime = c.childRekeyTime;
        childLifetime = c.childLifetime;
        allowSha1Signatures = c.allowSha1Signatures;
        mobike = c.mobike;
        initialContact = c.initialContact;
    }

    /** This configuration for an attempt to the gateway host {@code id} ({@link #remoteHostId()}). */
    public IkeSessionConfig withRemoteHostId(IkeIdentity id) {
        return new IkeSessionConfig(this, id);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name).localId(localId).remoteId(remoteId).ikeProposals(ikeProposals)
                .espProposals(espProposals).localTs(localTs).remoteTs(remoteTs).vips(vips).encap(encap)
                .dpdDelay(dpdDelay).ikeRekeyTime(ikeRekeyTime).childRekeyTime(childRekeyTime)
                .caCertificates(caCertificates).remoteHostId(remoteHostId).allowSha1Signatures(allowSha1Signatures)
                .mobike(mobike).initialContact(initialContact);
        b.childLifetime = childLifetime;
        b.auth = auth;
        b.psk = psk == null ? null : psk.copy();
        b.certificateChain = new ArrayList<>(certificateChain);
        b.privateKey = privateKey;
        return b;
    }

    /** Connection name, for logs and events. */
    public String name() { return name; }
    /** {@code local_id}: the identity we send in IDi. */
    public IkeIdentity localId() { return localId; }
    /**
     * {@code remote_id}: the identity the gateway must prove, sent as IDr; or {@code null} (absent or {@code %any}):
     * then the gateway answers with an identity of its choice, and one that authenticates with a certificate must
     * have {@link #remoteHostId()} in it.
     */
    public IkeIdentity remoteId() { return remoteId; }
    /**
     * The gateway's host as {@code remote_addrs} names it for this attempt (an FQDN for a host name, an address
     * identity for an IP literal), or {@code null} where nobody set it. Without {@link #remoteId()} it is the
     * identity the gateway's certificate must carry among its subjectAltNames, as strongSwan's Android client checks
     * its server's name: the certificate of another client of the same CA does not, so it cannot stand in for the
     * gateway. It is never sent as IDr (strongSwan gateways pick their configuration by IDr, and their own identity
     * is usually a name rather than the address the client dials). Set per attempt by
     * {@link org.mobilevpn.api.profile.VpnProfile#ikeFor}.
     */
    public IkeIdentity remoteHostId() { return remoteHostId; }
    /** {@code auth}: how we authenticate. */
    public AuthMethod auth() { return auth; }
    /** {@code psk}: a copy of the pre-shared key ({@code null} without PSK) that the caller owns and closes. */
    public SecretBytes psk() { return psk == null ? null : psk.copy(); }
    /** {@code cert}: our certificate first, then intermediates to send along; empty without {@code pubkey}. */
    public List<X509Certificate> certificateChain() { return certificateChain; }
    /** {@code key}: the private key of our certificate, or {@code null} without {@code pubkey}. */
    public PrivateKey privateKey() { return privateKey; }
    /**
     * {@code ca}: trust anchors for the gateway's certificate. When set, the gateway must authenticate with a
     * certificate that chains to one of them and names its identity; when empty, it must authenticate with the PSK.
     */
    public List<X509Certificate> caCertificates() { return caCertificates; }
    /** {@code ike_proposals} (swanctl {@code proposals}): IKE proposals in strongSwan syntax, most preferred first. */
    public List<String> ikeProposals() { return ikeProposals; }
    /** {@code esp_proposals}: ESP proposals in strongSwan syntax, most preferred first. */
    public List<String> espProposals() { return espProposals; }
    /** {@code local_ts}: our traffic selectors as offered (a profile's {@code dynamic} already expanded). */
    public List<TrafficSelector> localTs() { return localTs; }
    /** {@code remote_ts}: what lies behind the gateway. */
    public List<TrafficSelector> remoteTs() { return remoteTs; }
    /** {@code vips}: virtual addresses to request (0.0.0.0 / :: for any); empty for none. */
    public List<InetAddress> vips() { return vips; }
    /** {@code encap}: force UDP encapsulation by faking NAT detection (RFC 7296 §2.23). */
    public boolean encap() { return encap; }
    /** {@code dpd_delay}: liveness check after this much silence; zero disables it. */
    public Duration dpdDelay() { return dpdDelay; }
    /** {@code rekey_time} of the IKE SA; zero disables rekeying. */
    public Duration ikeRekeyTime() { return ikeRekeyTime; }
    /** {@code child_rekey_time} (swanctl children.rekey_time); zero disables rekeying. */
    public Duration childRekeyTime() { return childRekeyTime; }
    /**
     * The Child SA's hard lifetime reported to the data path: {@code child_rekey_time} plus 10%, as strongSwan
     * derives children.life_time, unless set explicitly.
     */
    public Duration childLifetime() { return childLifetime; }
    /**
     * {@code mobike}: offer MOBIKE (RFC 4555) in IKE_AUTH, so the IKE SA can follow us to another address; as in
     * swanctl, on by default.
     *
     * @since 2.1
     */
    public boolean mobike() { return mobike; }
    /**
     * Whether IKE_AUTH says INITIAL_CONTACT (RFC 7296 §2.4: the gateway may delete every other IKE SA of ours). A
     * session made to replace a running one (make-before-break) leaves it out, so the running one stays until the new
     * one is up. Not a profile key.
     *
     * @since 2.1
     */
    public boolean initialContact() { return initialContact; }
    /**
     * {@code allow_sha1_signatures}: whether AUTH signatures may use SHA-1 (RFC 7296 §3.8 method 1, RSA PKCS#1
     * v1.5 with SHA-1, the only RSA method of a gateway without RFC 7427; and RFC 7427 signatures with SHA-1).
     * Off by default, as SHA-1 collisions are practical: such a gateway fails with a message naming this key.
     */
    public boolean allowSha1Signatures() { return allowSha1Signatures; }

    /** Equal when every value is equal, the PSK compared in constant time. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IkeSessionConfig)) {
            return false;
        }
        IkeSessionConfig c = (IkeSessionConfig) o;
        return name.equals(c.name) && Objects.equals(localId, c.localId) && Objects.equals(remoteId, c.remoteId)
                && Objects.equals(remoteHostId, c.remoteHostId) && allowSha1Signatures == c.allowSha1Signatures
                && auth == c.auth && samePsk(c) && certificateChain.equals(c.certificateChain)
                && Objects.equals(privateKey, c.privateKey) && caCertificates.equals(c.caCertificates)
                && ikeProposals.equals(c.ikeProposals) && espProposals.equals(c.espProposals) && localTs.equals(c.localTs)
                && remoteTs.equals(c.remoteTs) && vips.equals(c.vips) && encap == c.encap && dpdDelay.equals(c.dpdDelay)
                && ikeRekeyTime.equals(c.ikeRekeyTime) && childRekeyTime.equals(c.childRekeyTime)
                && childLifetime.equals(c.childLifetime) && mobike == c.mobike && initialContact == c.initialContact;
    }

    private boolean samePsk(IkeSessionConfig c) {
        if (psk == null || c.psk == null) {
            return psk == c.psk;
        }
        byte[] other = c.psk.toByteArray();
        try {
            return psk.contentEquals(other);
        } finally {
            Arrays.fill(other, (byte) 0);
        }
    }

    /** From the non-secret values only. */
    @Override
    public int hashCode() {
        return Objects.hash(name, localId, remoteId, auth, ikeProposals, espProposals, localTs, remoteTs);
    }

    /** swanctl-style summary; the PSK shows as {@code (secret)}, the private key not at all. */
    @Override
    public String toString() {
        return "IkeSessionConfig[" + name + ", local_id=" + localId + ", remote_id=" + (remoteId == null ? "%any" : remoteId)
                + ", auth=" + auth.name().toLowerCase(Locale.ROOT) + (psk == null ? "" : ", psk=(secret)")
                + ", ike_proposals=" + ikeProposals + ", esp_proposals=" + espProposals + ", local_ts=" + localTs
                + ", remote_ts=" + remoteTs + ", vips=" + vips + ", encap=" + encap
                + (allowSha1Signatures ? ", allow_sha1_signatures=true" : "") + ", mobike=" + mobike + "]";
    }

    /**
     * One rule a key breaks.
     *
     * @param key     the profile key, e.g. {@code psk}
     * @param message what is wrong, never the value of a secret
     */
    public record KeyProblem(String key, String message) {
        /** {@code key: message}. */
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    /** Collects values; every key starts at its default. */
    public static final class Builder {
        private final String name;
        private IkeIdentity localId;
        private IkeIdentity remoteId;
        private IkeIdentity remoteHostId;
        private AuthMethod auth = AuthMethod.valueOf(DEFAULT_AUTH.toUpperCase(Locale.ROOT));
        private SecretBytes psk;
        private List<X509Certificate> certificateChain = new ArrayList<>();
        private PrivateKey privateKey;
        private List<X509Certificate> caCertificates = new ArrayList<>();
        private List<String> ikeProposals = List.of(DEFAULT_IKE_PROPOSAL, DEFAULT_IKE_PROPOSAL_CLASSIC);
        private List<String> espProposals = List.of(DEFAULT_ESP_PROPOSAL, DEFAULT_ESP_PROPOSAL_CLASSIC);
        private List<TrafficSelector> localTs = List.of(TrafficSelector.ANY_IPV4);
        private List<TrafficSelector> remoteTs = List.of(TrafficSelector.parse(DEFAULT_REMOTE_TS));
        private List<InetAddress> vips = List.of();
        private boolean encap;
        private Duration dpdDelay = Duration.ofSeconds(DEFAULT_DPD_DELAY_SECONDS);
        private Duration ikeRekeyTime = Duration.ofHours(DEFAULT_REKEY_TIME_HOURS);
        private Duration childRekeyTime = Duration.ofHours(DEFAULT_CHILD_REKEY_TIME_HOURS);
        private Duration childLifetime;
        private boolean mobike = DEFAULT_MOBIKE;
        private boolean initialContact = true;
        private boolean allowSha1Signatures = DEFAULT_ALLOW_SHA1_SIGNATURES;

        private Builder(String name) {
            this.name = name;
        }

        /** The connection name this builder was made for. */
        public String name() { return name; }

        public Builder localId(IkeIdentity id) { this.localId = id; return this; }
        /** {@code null} for {@code %any}. */
        public Builder remoteId(IkeIdentity id) { this.remoteId = id; return this; }
        /** The gateway's host for this attempt (see {@link IkeSessionConfig#remoteHostId()}); {@code null} for none. */
        public Builder remoteHostId(IkeIdentity id) { this.remoteHostId = id; return this; }
        public Builder allowSha1Signatures(boolean allow) { this.allowSha1Signatures = allow; return this; }

        /** PSK authentication with a copy of this key; the caller keeps (and closes) its own. */
        public Builder psk(SecretBytes key) {
            this.auth = AuthMethod.PSK;
            this.psk = key.copy();
            return this;
        }

        /** Certificate authentication: our certificate, then any intermediates, and our private key. */
        public Builder pubkey(List<X509Certificate> chain, PrivateKey key) {
            this.auth = AuthMethod.PUBKEY;
            this.certificateChain = new ArrayList<>(chain);
            this.privateKey = key;
            return this;
        }

        public Builder caCertificates(List<X509Certificate> cas) { this.caCertificates = new ArrayList<>(cas); return this; }
        public Builder ikeProposals(List<String> p) { this.ikeProposals = List.copyOf(p); return this; }
        public Builder espProposals(List<String> p) { this.espProposals = List.copyOf(p); return this; }
        public Builder localTs(List<TrafficSelector> ts) { this.localTs = List.copyOf(ts); return this; }
        public Builder remoteTs(List<TrafficSelector> ts) { this.remoteTs = List.copyOf(ts); return this; }
        public Builder vips(List<InetAddress> v) { this.vips = List.copyOf(v); return this; }
        public Builder encap(boolean e) { this.encap = e; return this; }
        public Builder dpdDelay(Duration d) { this.dpdDelay = d; return this; }
        public Builder ikeRekeyTime(Duration d) { this.ikeRekeyTime = d; return this; }
        public Builder childRekeyTime(Duration d) { this.childRekeyTime = d; return this; }
        /** The Child SA's hard lifetime instead of {@code child_rekey_time} plus 10%. */
        public Builder childLifetime(Duration d) { this.childLifetime = d; return this; }
        /** @since 2.1 */
        public Builder mobike(boolean m) { this.mobike = m; return this; }
        /** @since 2.1 */
        public Builder initialContact(boolean i) { this.initialContact = i; return this; }

        /**
         * Every rule these keys must satisfy, each naming its key.
         *
         * @return the problems, empty when {@link #build()} succeeds
         */
        public List<KeyProblem> problems() {
            List<KeyProblem> problems = new ArrayList<>();
            if (localId == null) {
                problems.add(new KeyProblem("local_id", "missing"));
            }
            if (auth == AuthMethod.PSK && (psk == null || psk.isEmpty())) {
                problems.add(new KeyProblem("psk", "missing: auth = psk needs a pre-shared key"));
            }
            if (auth == AuthMethod.PUBKEY && certificateChain.isEmpty()) {
                problems.add(new KeyProblem("cert", "missing: auth = pubkey needs our certificate"));
            }
            if (auth == AuthMethod.PUBKEY && privateKey == null) {
                problems.add(new KeyProblem("key", "missing: auth = pubkey needs the certificate's private key"));
            }
            if (ikeProposals.isEmpty()) {
                problems.add(new KeyProblem("ike_proposals", "empty"));
            }
            if (espProposals.isEmpty()) {
                problems.add(new KeyProblem("esp_proposals", "empty"));
            }
            if (localTs.isEmpty()) {
                problems.add(new KeyProblem("local_ts", "empty"));
            }
            if (remoteTs.isEmpty()) {
                problems.add(new KeyProblem("remote_ts", "empty"));
            }
            checkDuration(problems, "dpd_delay", dpdDelay);
            checkDuration(problems, "rekey_time", ikeRekeyTime);
            checkDuration(problems, "child_rekey_time", childRekeyTime);
            if (childLifetime != null && (childLifetime.isNegative() || childLifetime.isZero())) {
                problems.add(new KeyProblem("life_time", "must be positive"));
            }
            return problems;
        }

        private static void checkDuration(List<KeyProblem> problems, String key, Duration d) {
            if (d == null || d.isNegative()) {
                problems.add(new KeyProblem(key, d == null ? "missing" : "negative"));
            }
        }

        /**
         * @throws IllegalArgumentException naming every invalid or missing key ({@code key: problem; ...})
         * @throws NullPointerException without a name
         */
        public IkeSessionConfig build() {
            Objects.requireNonNull(name, "name");
            List<KeyProblem> problems = problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems.stream().map(KeyProblem::toString).toList()));
            }
            return new IkeSessionConfig(this);
        }
    }
}
