package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * Everything the engine needs to bring up one IKE SA with its first Child SA, as an immutable value.
 * Names follow strongSwan's swanctl.conf ({@code local_id}, {@code proposals}, {@code esp_proposals},
 * {@code local_ts}, {@code vips}, {@code encap}, {@code dpd_delay}, {@code rekey_time}) so a profile
 * maps onto it one to one. Proposal strings are validated when the engine starts the session.
 *
 * <p>Secrets: the pre-shared key is held as {@link SecretBytes} and {@link #psk()} hands out a copy; the
 * private key object is shared, not copied.
 */
public final class IkeSessionConfig {
    private final String name;
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
    private final List<TrafficSelector> remoteTs;
    private final List<InetAddress> vips;
    private final boolean encap;
    private final Duration dpdDelay;
    private final Duration ikeRekeyTime;
    private final Duration childRekeyTime;
    private final Duration childLifetime;
    private final double rekeyJitter;
    private final boolean fragmentation;
    private final int fragmentSize;
    private final Duration retransmitTimeout;
    private final double retransmitBase;
    private final int retransmitTries;

    private IkeSessionConfig(Builder b) {
        name = Objects.requireNonNull(b.name, "name");
        localId = Objects.requireNonNull(b.localId, "local_id");
        remoteId = b.remoteId;
        auth = Objects.requireNonNull(b.auth, "auth");
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
        childLifetime = b.childLifetime;
        rekeyJitter = b.rekeyJitter;
        fragmentation = b.fragmentation;
        fragmentSize = b.fragmentSize;
        retransmitTimeout = b.retransmitTimeout;
        retransmitBase = b.retransmitBase;
        retransmitTries = b.retransmitTries;
        if (auth == AuthMethod.PSK && (psk == null || psk.isEmpty())) {
            throw new IllegalArgumentException("psk: auth = psk needs a pre-shared key");
        }
        if (auth == AuthMethod.PUBKEY && (certificateChain.isEmpty() || privateKey == null)) {
            throw new IllegalArgumentException("cert: auth = pubkey needs a certificate and its private key");
        }
        if (ikeProposals.isEmpty() || espProposals.isEmpty()) {
            throw new IllegalArgumentException(ikeProposals.isEmpty() ? "proposals: empty" : "esp_proposals: empty");
        }
        if (localTs.isEmpty() || remoteTs.isEmpty()) {
            throw new IllegalArgumentException(localTs.isEmpty() ? "local_ts: empty" : "remote_ts: empty");
        }
        if (fragmentSize < 576 || fragmentSize > 65535) {
            throw new IllegalArgumentException("fragment_size: " + fragmentSize + " is outside 576..65535");
        }
        if (retransmitTries < 1 || retransmitBase < 1.0 || retransmitTimeout.isNegative() || retransmitTimeout.isZero()) {
            throw new IllegalArgumentException("retransmit_*: tries >= 1, base >= 1, positive timeout");
        }
        if (rekeyJitter < 0 || rekeyJitter >= 1) {
            throw new IllegalArgumentException("rand_time: jitter must be a fraction in [0, 1)");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name).localId(localId).remoteId(remoteId).ikeProposals(ikeProposals)
                .espProposals(espProposals).localTs(localTs).remoteTs(remoteTs).vips(vips).encap(encap)
                .dpdDelay(dpdDelay).ikeRekeyTime(ikeRekeyTime).childRekeyTime(childRekeyTime)
                .childLifetime(childLifetime).rekeyJitter(rekeyJitter).fragmentation(fragmentation)
                .fragmentSize(fragmentSize).retransmission(retransmitTimeout, retransmitBase, retransmitTries)
                .caCertificates(caCertificates);
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
    /** {@code remote_id}: the identity the gateway must prove, or {@code null} to accept the one it sends. */
    public IkeIdentity remoteId() { return remoteId; }
    public AuthMethod auth() { return auth; }
    /** A copy of the pre-shared key ({@code null} without PSK) that the caller owns and closes. */
    public SecretBytes psk() { return psk == null ? null : psk.copy(); }
    /** Our certificate first, then intermediates to send along. */
    public List<X509Certificate> certificateChain() { return certificateChain; }
    public PrivateKey privateKey() { return privateKey; }
    /**
     * Trust anchors for the gateway's certificate. When set, the gateway must authenticate with a certificate
     * that chains to one of them and names its identity; when empty, it must authenticate with the PSK.
     */
    public List<X509Certificate> caCertificates() { return caCertificates; }
    /** {@code proposals}: IKE proposals in strongSwan syntax, most preferred first. */
    public List<String> ikeProposals() { return ikeProposals; }
    /** {@code esp_proposals}: ESP proposals in strongSwan syntax, most preferred first. */
    public List<String> espProposals() { return espProposals; }
    public List<TrafficSelector> localTs() { return localTs; }
    public List<TrafficSelector> remoteTs() { return remoteTs; }
    /** {@code vips}: virtual addresses to request (0.0.0.0 / :: for any); empty for none. */
    public List<InetAddress> vips() { return vips; }
    /** {@code encap}: force UDP encapsulation by faking NAT detection (RFC 7296 §2.23). */
    public boolean encap() { return encap; }
    /** {@code dpd_delay}: liveness check after this much silence; zero disables it. */
    public Duration dpdDelay() { return dpdDelay; }
    /** {@code rekey_time} of the IKE SA; zero disables rekeying. */
    public Duration ikeRekeyTime() { return ikeRekeyTime; }
    /** {@code rekey_time} of the Child SA; zero disables rekeying. */
    public Duration childRekeyTime() { return childRekeyTime; }
    /** {@code life_time} of the Child SA: the hard limit reported to the data path. */
    public Duration childLifetime() { return childLifetime; }
    /** Fraction of a rekey time subtracted at random so peers do not rekey in lockstep. */
    public double rekeyJitter() { return rekeyJitter; }
    /** {@code fragmentation}: offer RFC 7383 IKE fragmentation. */
    public boolean fragmentation() { return fragmentation; }
    /** Largest IP datagram an IKE message may be sent in before it is fragmented. */
    public int fragmentSize() { return fragmentSize; }
    public Duration retransmitTimeout() { return retransmitTimeout; }
    public double retransmitBase() { return retransmitBase; }
    public int retransmitTries() { return retransmitTries; }

    @Override
    public String toString() {
        return "IkeSessionConfig[" + name + ", local_id=" + localId + ", remote_id=" + remoteId + ", auth=" + auth
                + ", proposals=" + ikeProposals + ", esp_proposals=" + espProposals + ", local_ts=" + localTs
                + ", remote_ts=" + remoteTs + ", vips=" + vips + ", encap=" + encap + "]";
    }

    /** Collects values; defaults follow strongSwan's. */
    public static final class Builder {
        private final String name;
        private IkeIdentity localId;
        private IkeIdentity remoteId;
        private AuthMethod auth = AuthMethod.PSK;
        private SecretBytes psk;
        private List<X509Certificate> certificateChain = new ArrayList<>();
        private PrivateKey privateKey;
        private List<X509Certificate> caCertificates = new ArrayList<>();
        private List<String> ikeProposals = List.of("aes256gcm16-prfsha384-x25519", "aes256-sha256-modp2048");
        private List<String> espProposals = List.of("aes256gcm16", "aes256-sha256");
        private List<TrafficSelector> localTs = List.of(TrafficSelector.ANY_IPV4);
        private List<TrafficSelector> remoteTs = List.of(TrafficSelector.ANY_IPV4);
        private List<InetAddress> vips = List.of();
        private boolean encap;
        private Duration dpdDelay = Duration.ZERO;
        private Duration ikeRekeyTime = Duration.ofHours(4);
        private Duration childRekeyTime = Duration.ofHours(1);
        private Duration childLifetime = Duration.ofMinutes(66);
        private double rekeyJitter = 0.1;
        private boolean fragmentation = true;
        private int fragmentSize = 1280;
        private Duration retransmitTimeout = Duration.ofSeconds(4);
        private double retransmitBase = 1.8;
        private int retransmitTries = 5;

        private Builder(String name) {
            this.name = name;
        }

        public Builder localId(IkeIdentity id) { this.localId = id; return this; }
        public Builder remoteId(IkeIdentity id) { this.remoteId = id; return this; }

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
        public Builder dpdDelay(Duration d) { this.dpdDelay = Objects.requireNonNull(d); return this; }
        public Builder ikeRekeyTime(Duration d) { this.ikeRekeyTime = Objects.requireNonNull(d); return this; }
        public Builder childRekeyTime(Duration d) { this.childRekeyTime = Objects.requireNonNull(d); return this; }
        public Builder childLifetime(Duration d) { this.childLifetime = Objects.requireNonNull(d); return this; }
        public Builder rekeyJitter(double fraction) { this.rekeyJitter = fraction; return this; }
        public Builder fragmentation(boolean f) { this.fragmentation = f; return this; }
        public Builder fragmentSize(int size) { this.fragmentSize = size; return this; }

        /** Retransmission: first timeout, backoff base and number of retransmissions (strongSwan: 4 s, 1.8, 5). */
        public Builder retransmission(Duration timeout, double base, int tries) {
            this.retransmitTimeout = Objects.requireNonNull(timeout);
            this.retransmitBase = base;
            this.retransmitTries = tries;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the swanctl key of an invalid or missing value
         * @throws NullPointerException naming a missing mandatory value
         */
        public IkeSessionConfig build() {
            return new IkeSessionConfig(this);
        }
    }
}
