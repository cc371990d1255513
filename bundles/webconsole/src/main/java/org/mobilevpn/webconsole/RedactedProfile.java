package org.mobilevpn.webconsole;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * A profile as the support bundle shows it: every key of the CSP contract by its swanctl.conf name,
 * built from an explicit list of the non-secret values. The pre-shared key and the private key are
 * never read: they show as {@code (redacted)} when present, so a new secret field in the profile
 * cannot leak by being printed wholesale.
 */
final class RedactedProfile {
    static final String REDACTED = "(redacted)";

    private RedactedProfile() {
    }

    static Map<String, String> of(VpnProfile p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("remote_addrs", join(p.remoteAddrs()));
        IkeSessionConfig ike = p.ike();
        m.put("local_id", String.valueOf(ike.localId()));
        m.put("remote_id", ike.remoteId() == null ? "%any" : ike.remoteId().toString());
        m.put("auth", ike.auth().name().toLowerCase());
        if (ike.auth() == AuthMethod.PSK) {
            m.put("psk", REDACTED);
        }
        if (!ike.certificateChain().isEmpty()) {
            m.put("cert", subjects(ike.certificateChain()));
        }
        if (ike.privateKey() != null) {
            m.put("key", REDACTED);
        }
        m.put("ca", ike.caCertificates().isEmpty() ? "" : subjects(ike.caCertificates()));
        m.put("ike_proposals", join(ike.ikeProposals()));
        m.put("esp_proposals", join(ike.espProposals()));
        m.put("local_ts", p.localTsDynamic() ? "dynamic (" + join(ike.localTs()) + ")" : join(ike.localTs()));
        m.put("remote_ts", join(ike.remoteTs()));
        m.put("vips", ike.vips().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        m.put("encap", Boolean.toString(ike.encap()));
        m.put("dpd_delay", seconds(ike.dpdDelay()));
        m.put("keepalive", seconds(p.keepalive()));
        m.put("rekey_time", seconds(ike.ikeRekeyTime()));
        m.put("child_rekey_time", seconds(ike.childRekeyTime()));
        m.put("autostart", Boolean.toString(p.autostart()));
        m.put("split_include", join(p.splitInclude()));
        m.put("split_exclude", join(p.splitExclude()));
        m.put("kill_switch", Boolean.toString(p.killSwitch()));
        m.put("dns", p.dns().name().toLowerCase());
        return m;
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    private static String subjects(List<X509Certificate> certificates) {
        return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.joining("; "));
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
