package org.mobilevpn.webconsole;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mobilevpn.api.ike.AuthMethod;
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
        m.put("local_id", String.valueOf(p.localId()));
        m.put("remote_id", p.remoteId().map(Object::toString).orElse("%any"));
        m.put("auth", p.auth().name().toLowerCase());
        if (p.auth() == AuthMethod.PSK) {
            m.put("psk", REDACTED);
        }
        if (!p.certificateChain().isEmpty()) {
            m.put("cert", subjects(p.certificateChain()));
        }
        if (p.privateKey() != null) {
            m.put("key", REDACTED);
        }
        m.put("ca", p.caCertificates().isEmpty() ? "" : subjects(p.caCertificates()));
        m.put("ike_proposals", join(p.ikeProposals()));
        m.put("esp_proposals", join(p.espProposals()));
        m.put("local_ts", p.localTsDynamic() ? "dynamic (" + join(p.localTs()) + ")" : join(p.localTs()));
        m.put("remote_ts", join(p.remoteTs()));
        m.put("vips", p.vips().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        m.put("encap", Boolean.toString(p.encap()));
        m.put("dpd_delay", seconds(p.dpdDelay()));
        m.put("keepalive", seconds(p.keepalive()));
        m.put("rekey_time", seconds(p.rekeyTime()));
        m.put("child_rekey_time", seconds(p.childRekeyTime()));
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
