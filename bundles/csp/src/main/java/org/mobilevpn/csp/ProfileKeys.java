package org.mobilevpn.csp;

import java.util.Set;

/**
 * The configuration keys of factory PID {@value #FACTORY_PID} (DESIGN.md, "The profile"). Their defaults
 * live with the values they describe: {@link org.mobilevpn.api.ike.IkeSessionConfig} for the IKE keys,
 * {@link org.mobilevpn.api.profile.VpnProfile} for the others; the metatype form ({@link ProfileConfig})
 * shows those, and the parser leaves an absent key to them.
 */
final class ProfileKeys {
    static final String FACTORY_PID = "org.mobilevpn.profile";

    static final String NAME = "name";
    static final String REMOTE_ADDRS = "remote_addrs";
    static final String REMOTE_PORT = "remote_port";
    static final String LOCAL_ID = "local_id";
    static final String REMOTE_ID = "remote_id";
    static final String AUTH = "auth";
    static final String PSK = "psk";
    static final String CERT = "cert";
    static final String KEY = "key";
    static final String KEY_PASSWORD = "key_password";
    static final String CA = "ca";
    static final String IKE_PROPOSALS = "ike_proposals";
    /** swanctl.conf's own word for {@link #IKE_PROPOSALS}, accepted as an alias. */
    static final String PROPOSALS = "proposals";
    static final String ESP_PROPOSALS = "esp_proposals";
    static final String LOCAL_TS = "local_ts";
    static final String REMOTE_TS = "remote_ts";
    static final String VIPS = "vips";
    static final String ENCAP = "encap";
    static final String MOBIKE = "mobike";
    static final String UPLINKS = "uplinks";
    static final String DPD_DELAY = "dpd_delay";
    static final String KEEPALIVE = "keepalive";
    static final String REKEY_TIME = "rekey_time";
    static final String CHILD_REKEY_TIME = "child_rekey_time";
    static final String REAUTH_TIME = "reauth_time";
    static final String AUTOSTART = "autostart";
    static final String SPLIT_INCLUDE = "split_include";
    static final String SPLIT_EXCLUDE = "split_exclude";
    static final String KILL_SWITCH = "kill_switch";
    static final String DNS = "dns";
    static final String ALLOW_SHA1_SIGNATURES = "allow_sha1_signatures";

    static final Set<String> ALL = Set.of(NAME, REMOTE_ADDRS, REMOTE_PORT, LOCAL_ID, REMOTE_ID, AUTH, PSK, CERT, KEY,
            KEY_PASSWORD, CA, IKE_PROPOSALS, PROPOSALS, ESP_PROPOSALS, LOCAL_TS, REMOTE_TS, VIPS, ENCAP, MOBIKE, UPLINKS,
            DPD_DELAY, KEEPALIVE, REKEY_TIME, CHILD_REKEY_TIME, REAUTH_TIME, AUTOSTART, SPLIT_INCLUDE, SPLIT_EXCLUDE, KILL_SWITCH, DNS,
            ALLOW_SHA1_SIGNATURES);
    /** Keys whose values never appear in a message, log line, event or status. */
    static final Set<String> SECRET = Set.of(PSK, KEY_PASSWORD);

    private ProfileKeys() {
    }
}
