package org.mobilevpn.csp;

import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileValidationException;
import org.mobilevpn.api.profile.ProposalValidator;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.DnsStrategy;

/**
 * Turns one configuration's raw properties into a {@link VpnProfile}, checking every key and naming
 * the key in each problem, the way swanctl reports a bad swanctl.conf. Never throws: any input, however
 * broken, yields a {@link ParseResult} with problems. Keys with a '.' (service.pid, felix.fileinstall.*,
 * component.*) belong to the framework and are ignored; other unknown keys are problems, since a
 * misspelt key silently falling back to its default is the worst kind of configuration error.
 */
final class ProfileParser {
    private static final Pattern PROPOSAL = Pattern.compile("[a-z0-9_]+(-[a-z0-9_]+)*");

    private final Path home;
    private final CredentialResolver credentials;

    /** @param home the runtime directory, against which relative credential paths resolve */
    ProfileParser(Path home, CredentialResolver credentials) {
        this.home = home;
        this.credentials = credentials;
    }

    /**
     * @param raw       the configuration's properties
     * @param alias     the name to use when {@code name} is absent (the factory configuration's alias), or null
     * @param validator checks proposal keywords, or {@code null} to check only their syntax
     * @param keyPrefix prefix of every problem key (a policy document's path), usually ""
     */
    ParseResult parse(Map<String, ?> raw, String alias, ProposalValidator validator, String keyPrefix) {
        Problems problems = new Problems(keyPrefix);
        List<String> warnings = new ArrayList<>();
        String name = "";
        try {
            PropertyValues v = new PropertyValues(raw, problems);
            name = v.string(ProfileKeys.NAME).orElse(alias == null ? "" : alias);
            if (!VpnProfile.NAME.matcher(name).matches()) {
                problems.add(ProfileKeys.NAME, name.isEmpty() ? "missing: give the connection a name"
                        : Quote.of(name) + " must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            VpnProfile profile = read(v, name, validator, problems, warnings);
            unknownKeys(raw, problems);
            if (problems.isEmpty() && profile != null) {
                return new ParseResult(name, profile, List.of(), warnings);
            }
        } catch (RuntimeException e) {
            // a bug here must not take the component down: report it like any other problem
            problems.add("(profile)", "cannot be read: " + e.getClass().getSimpleName());
        }
        return new ParseResult(name, null, problems.toList(name), warnings);
    }

    private VpnProfile read(PropertyValues v, String name, ProposalValidator validator, Problems problems,
                            List<String> warnings) {
        IkeSessionConfig.Builder ike = IkeSessionConfig.builder(name);
        VpnProfile.Builder b = VpnProfile.builder(ike);
        int port = v.integer(ProfileKeys.REMOTE_PORT, 1, 65535).orElse(VpnProfile.DEFAULT_REMOTE_PORT);
        List<GatewayAddress> gateways = gateways(v, port, problems);
        b.remoteAddrs(gateways);

        AuthMethod auth = auth(v, problems);
        if (auth == null) {
            return null;
        }
        Optional<SecretBytes> psk = psk(v, auth, problems, warnings);
        IkeIdentity localId = identity(v, ProfileKeys.LOCAL_ID, problems);
        IkeIdentity remoteId = identity(v, ProfileKeys.REMOTE_ID, problems);
        if (v.string(ProfileKeys.LOCAL_ID).isEmpty() && auth == AuthMethod.PSK) {
            problems.add(ProfileKeys.LOCAL_ID, "missing: auth = psk needs our identity (the gateway looks up the key by it)");
        }
        CredentialResolver.Resolved creds = credentials.resolve(v, auth, this::path, problems, warnings);
        if (auth == AuthMethod.PUBKEY && !creds.chain().isEmpty()) {
            if (localId == null && v.string(ProfileKeys.LOCAL_ID).isEmpty()) {
                localId = IkeIdentity.distinguishedName(creds.chain().get(0).getSubjectX500Principal());
            } else if (localId != null && !CertificateIdentities.contains(creds.chain().get(0), localId)) {
                problems.add(ProfileKeys.LOCAL_ID, Quote.of(localId) + " is neither the subject nor a subjectAltName of "
                        + "the certificate " + creds.chain().get(0).getSubjectX500Principal().getName());
            }
        }
        ike.localId(localId).remoteId(remoteId).caCertificates(creds.cas());
        if (auth == AuthMethod.PSK) {
            psk.ifPresent(k -> {
                ike.psk(k);
                k.close();
            });
        } else {
            ike.pubkey(creds.chain(), creds.key());
        }

        proposals(v, ikeProposalKey(v, problems), IkeSessionConfig.DEFAULT_IKE_PROPOSAL, problems,
                validator == null ? null : validator::checkIkeProposal).ifPresent(ike::ikeProposals);
        proposals(v, ProfileKeys.ESP_PROPOSALS, IkeSessionConfig.DEFAULT_ESP_PROPOSAL, problems,
                validator == null ? null : validator::checkEspProposal).ifPresent(ike::espProposals);

        List<InetAddress> vips = vips(v, problems);
        ike.vips(vips);
        localTs(v, vips, gateways, b, problems);
        remoteTs(v, gateways, problems).ifPresent(ike::remoteTs);

        v.bool(ProfileKeys.ENCAP).ifPresent(ike::encap);
        v.bool(ProfileKeys.MOBIKE).ifPresent(ike::mobike);
        b.uplinks(v.list(ProfileKeys.UPLINKS));
        v.bool(ProfileKeys.ALLOW_SHA1_SIGNATURES).ifPresent(ike::allowSha1Signatures);
        v.bool(ProfileKeys.AUTOSTART).ifPresent(b::autostart);
        v.bool(ProfileKeys.KILL_SWITCH).ifPresent(b::killSwitch);
        v.duration(ProfileKeys.DPD_DELAY).ifPresent(ike::dpdDelay);
        v.duration(ProfileKeys.KEEPALIVE).ifPresent(b::keepalive);
        v.duration(ProfileKeys.REAUTH_TIME).ifPresent(b::reauthTime);
        v.duration(ProfileKeys.REKEY_TIME).ifPresent(ike::ikeRekeyTime);
        v.duration(ProfileKeys.CHILD_REKEY_TIME).ifPresent(ike::childRekeyTime);
        b.splitInclude(split(v, ProfileKeys.SPLIT_INCLUDE, problems));
        b.splitExclude(split(v, ProfileKeys.SPLIT_EXCLUDE, problems));
        dns(v, problems).ifPresent(b::dns);

        if (!problems.isEmpty()) {
            return null;
        }
        try {
            return b.build(); // the rules on the values themselves live with them (IkeSessionConfig, VpnProfile)
        } catch (ProfileValidationException e) {
            for (ProfileProblem p : e.problems()) {
                problems.add(p.key(), p.message());
            }
            return null;
        }
    }

    private static List<GatewayAddress> gateways(PropertyValues v, int port, Problems problems) {
        List<GatewayAddress> out = new ArrayList<>();
        List<String> entries = v.list(ProfileKeys.REMOTE_ADDRS);
        if (entries.isEmpty()) {
            problems.add(ProfileKeys.REMOTE_ADDRS, "missing: the gateway's host name or address");
        }
        for (String entry : entries) {
            try {
                out.add(GatewayAddressParser.parse(entry, port));
            } catch (IllegalArgumentException e) {
                problems.add(ProfileKeys.REMOTE_ADDRS, e.getMessage());
            }
        }
        return out;
    }

    private static AuthMethod auth(PropertyValues v, Problems problems) {
        String auth = v.string(ProfileKeys.AUTH).orElse(IkeSessionConfig.DEFAULT_AUTH).toLowerCase(Locale.ROOT);
        switch (auth) {
            case "psk" -> { return AuthMethod.PSK; }
            case "pubkey" -> { return AuthMethod.PUBKEY; }
            default -> {
                problems.add(ProfileKeys.AUTH, Quote.of(auth) + (auth.startsWith("eap") ? " is not supported" : " is unknown")
                        + ": use psk or pubkey");
                return null;
            }
        }
    }

    private static Optional<SecretBytes> psk(PropertyValues v, AuthMethod auth, Problems problems, List<String> warnings) {
        Optional<String> text = v.string(ProfileKeys.PSK);
        if (auth != AuthMethod.PSK) {
            text.ifPresent(t -> warnings.add(ProfileKeys.PSK + ": ignored with auth = pubkey"));
            return Optional.empty();
        }
        if (text.isEmpty()) {
            problems.add(ProfileKeys.PSK, "missing: auth = psk needs a pre-shared key");
            return Optional.empty();
        }
        try {
            return Optional.of(PskParser.parse(text.get()));
        } catch (IllegalArgumentException e) {
            problems.add(ProfileKeys.PSK, e.getMessage()); // the message never holds the value
            return Optional.empty();
        }
    }

    /** An identity, {@code null} for absent or (remote only) {@code %any}. */
    private static IkeIdentity identity(PropertyValues v, String key, Problems problems) {
        Optional<String> text = v.string(key);
        if (text.isEmpty()) {
            return null;
        }
        if (text.get().equals("%any")) {
            if (key.equals(ProfileKeys.LOCAL_ID)) {
                problems.add(key, "%any is not an identity we can send");
            }
            return null;
        }
        if (IpAddresses.looksLiteral(text.get())) {
            try {
                return IkeIdentity.address(IpAddresses.parse(text.get()));
            } catch (IllegalArgumentException e) {
                problems.add(key, e.getMessage());
                return null;
            }
        }
        try {
            return IkeIdentity.parse(text.get());
        } catch (IllegalArgumentException e) {
            problems.add(key, Quote.of(text.get()) + " is not an identity: " + e.getMessage());
            return null;
        }
    }

    private static String ikeProposalKey(PropertyValues v, Problems problems) {
        boolean ike = v.present(ProfileKeys.IKE_PROPOSALS);
        boolean alias = v.present(ProfileKeys.PROPOSALS);
        if (ike && alias) {
            problems.add(ProfileKeys.PROPOSALS, "give ike_proposals or its swanctl name proposals, not both");
        }
        return alias && !ike ? ProfileKeys.PROPOSALS : ProfileKeys.IKE_PROPOSALS;
    }

    /** The configured proposals, empty when the key is absent (the default applies). */
    private static Optional<List<String>> proposals(PropertyValues v, String key, String example, Problems problems,
                                                    Consumer<String> validator) {
        if (!v.present(key)) {
            return Optional.empty();
        }
        List<String> list = v.list(key);
        if (list.isEmpty()) {
            problems.add(key, "empty: give at least one proposal, e.g. " + example);
        }
        for (String p : list) {
            if (!PROPOSAL.matcher(p.toLowerCase(Locale.ROOT)).matches()) {
                problems.add(key, Quote.of(p) + " is not a proposal: algorithm keywords joined by '-', e.g. " + example);
            } else if (validator != null) {
                try {
                    validator.accept(p);
                } catch (IllegalArgumentException e) {
                    problems.add(key, validatorMessage(p, e.getMessage()));
                } catch (RuntimeException e) {
                    problems.add(key, Quote.of(p) + " cannot be checked: " + e.getClass().getSimpleName());
                }
            }
        }
        return Optional.of(list);
    }

    /**
     * The validator's reason without what the problem states already: the engine's parser words its
     * errors for its own callers as {@code esp_proposals: 'foo': unknown ...}, the problem names the key.
     */
    static String validatorMessage(String proposal, String message) {
        String m = message == null || message.isBlank() ? "rejected by the IKE engine" : message.strip();
        for (String prefix : List.of(ProfileKeys.IKE_PROPOSALS + ": ", ProfileKeys.PROPOSALS + ": ", ProfileKeys.ESP_PROPOSALS + ": ")) {
            if (m.startsWith(prefix)) {
                m = m.substring(prefix.length());
                break;
            }
        }
        String quoted = Quote.of(proposal);
        return m.startsWith(quoted) ? m : quoted + ": " + m;
    }

    private static List<InetAddress> vips(PropertyValues v, Problems problems) {
        List<InetAddress> out = new ArrayList<>();
        for (String entry : v.list(ProfileKeys.VIPS)) {
            try {
                out.add(IpAddresses.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add(ProfileKeys.VIPS, e.getMessage() + ": use 0.0.0.0, :: or an address");
            }
        }
        return out;
    }

    /**
     * {@code dynamic} becomes "any address" of each family we ask a virtual IP for, else of the first
     * gateway's family: strongSwan sends the same and the gateway narrows it (RFC 7296 §2.9).
     */
    private static void localTs(PropertyValues v, List<InetAddress> vips, List<GatewayAddress> gateways,
                                VpnProfile.Builder b, Problems problems) {
        IkeSessionConfig.Builder ike = b.ike();
        List<String> entries = v.present(ProfileKeys.LOCAL_TS) ? v.list(ProfileKeys.LOCAL_TS) : List.of(VpnProfile.DEFAULT_LOCAL_TS);
        boolean dynamic = false;
        List<TrafficSelector> out = new ArrayList<>();
        for (String entry : entries) {
            try {
                TrafficSelectorParser.Spec spec = TrafficSelectorParser.split(entry);
                if (spec.isDynamic()) {
                    dynamic = true;
                    boolean v4 = vips.isEmpty() ? gateways.isEmpty() || !gateways.get(0).host().contains(":")
                            : vips.stream().anyMatch(a -> !IpAddresses.isIpv6(a));
                    boolean v6 = vips.isEmpty() ? !v4 : vips.stream().anyMatch(IpAddresses::isIpv6);
                    if (v4) {
                        out.add(TrafficSelectorParser.any(spec, false));
                    }
                    if (v6) {
                        out.add(TrafficSelectorParser.any(spec, true));
                    }
                } else {
                    out.addAll(TrafficSelectorParser.selectors(spec, entry));
                }
            } catch (IllegalArgumentException e) {
                problems.add(ProfileKeys.LOCAL_TS, e.getMessage());
            }
        }
        if (entries.isEmpty()) {
            problems.add(ProfileKeys.LOCAL_TS, "empty: give dynamic or a subnet");
        }
        ike.localTs(out);
        b.localTsDynamic(dynamic);
    }

    /** The configured remote selectors, empty when the key is absent (the default applies). */
    private static Optional<List<TrafficSelector>> remoteTs(PropertyValues v, List<GatewayAddress> gateways, Problems problems) {
        if (!v.present(ProfileKeys.REMOTE_TS)) {
            return Optional.empty();
        }
        List<String> entries = v.list(ProfileKeys.REMOTE_TS);
        List<TrafficSelector> out = new ArrayList<>();
        for (String entry : entries) {
            try {
                TrafficSelectorParser.Spec spec = TrafficSelectorParser.split(entry);
                if (!spec.isDynamic()) {
                    out.addAll(TrafficSelectorParser.selectors(spec, entry));
                    continue;
                }
                if (gateways.isEmpty() || !gateways.get(0).isLiteral()) {
                    problems.add(ProfileKeys.REMOTE_TS, "dynamic needs the gateway's address literal in remote_addrs; give a subnet");
                    continue;
                }
                out.add(TrafficSelectorParser.host(spec, IpAddresses.parse(gateways.get(0).host())));
            } catch (IllegalArgumentException e) {
                problems.add(ProfileKeys.REMOTE_TS, e.getMessage());
            }
        }
        if (entries.isEmpty()) {
            problems.add(ProfileKeys.REMOTE_TS, "empty: give a subnet, e.g. 0.0.0.0/0");
        }
        return Optional.of(out);
    }

    private static List<TrafficSelector> split(PropertyValues v, String key, Problems problems) {
        List<TrafficSelector> out = new ArrayList<>();
        for (String entry : v.list(key)) {
            try {
                out.add(TrafficSelector.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add(key, Quote.of(entry) + " is not a subnet or address, e.g. 203.0.113.0/24");
            }
        }
        return out;
    }

    private static Optional<DnsStrategy> dns(PropertyValues v, Problems problems) {
        Optional<String> text = v.string(ProfileKeys.DNS);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (text.get().toLowerCase(Locale.ROOT)) {
            case "none" -> { return Optional.of(DnsStrategy.NONE); }
            case "resolv_conf" -> { return Optional.of(DnsStrategy.RESOLV_CONF); }
            default -> {
                problems.add(ProfileKeys.DNS, Quote.of(text.get()) + " is unknown: use none or resolv_conf");
                return Optional.empty();
            }
        }
    }

    private static void unknownKeys(Map<String, ?> raw, Problems problems) {
        for (String key : new TreeSet<>(raw.keySet())) {
            if (key.indexOf('.') < 0 && !ProfileKeys.ALL.contains(key)) {
                String near = nearest(key);
                problems.add(Quote.of(key).replace("'", ""), "unknown key" + (near == null ? "" : "; did you mean " + near + "?"));
            }
        }
    }

    /** The known key within two edits of a misspelt one, if any. */
    private static String nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : new TreeSet<>(ProfileKeys.ALL)) {
            int d = distance(key.toLowerCase(Locale.ROOT), known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64) {
            return 3;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A configured path, relative ones inside the runtime directory. */
    private Path path(String text) {
        try {
            Path p = Path.of(text);
            return p.isAbsolute() ? p : home.resolve(p).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
