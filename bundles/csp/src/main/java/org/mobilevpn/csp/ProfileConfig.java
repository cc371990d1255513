package org.mobilevpn.csp;

import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype description of a profile, so the Web Console renders a form with types, defaults and
 * help in strongSwan's words. Only the form uses it: the component reads the raw properties itself,
 * because a file in etc/ or a policy document may write lists as one comma-separated string and
 * times as {@code 30s}, and a bad value must become a named problem, not a conversion exception.
 * (A double underscore in a method name stands for one underscore in the key.)
 */
@ObjectClassDefinition(name = "mobilevpn VPN profile",
        description = "One IPsec/IKEv2 connection to a gateway. Keys follow strongSwan's swanctl.conf.")
@interface ProfileConfig {

    @AttributeDefinition(name = "name", required = false,
            description = "Connection name, unique among profiles (letters, digits, _ . -). Default: the "
                    + "configuration's alias, e.g. 'office' for etc/org.mobilevpn.profile-office.cfg.")
    String name();

    @AttributeDefinition(name = "remote_addrs",
            description = "Gateway host name or IP address, optionally with port: host:port or [ipv6]:port. "
                    + "Several are tried in order.")
    String[] remote__addrs();

    @AttributeDefinition(name = "remote_port", min = "1", max = "65535",
            description = "IKE port of the gateway for remote_addrs entries without a port.")
    int remote__port() default VpnProfile.DEFAULT_REMOTE_PORT;

    @AttributeDefinition(name = "local_id", required = false,
            description = "Our IKE identity: an IP address, user@domain, a host name (or @name), a "
                    + "distinguished name 'C=.., O=.., CN=..', or @#hex key id. Required with auth=psk; "
                    + "with pubkey the certificate's subject by default, and it must be in the certificate.")
    String local__id();

    @AttributeDefinition(name = "remote_id", required = false,
            description = "Identity the gateway must authenticate with, sent as IDr. Absent or %any: the gateway "
                    + "answers with an identity of its choice, and with auth=pubkey its certificate must also name the "
                    + "host of remote_addrs (a DNS or IP subjectAltName), so another client's certificate of the CA "
                    + "cannot pass as the gateway's.")
    String remote__id();

    @AttributeDefinition(name = "auth", description = "How we authenticate: psk (pre-shared key) or pubkey (certificate).",
            options = {@Option(label = "psk", value = "psk"), @Option(label = "pubkey", value = "pubkey")})
    String auth() default IkeSessionConfig.DEFAULT_AUTH;

    @AttributeDefinition(name = "psk", type = AttributeType.PASSWORD, required = false,
            description = "Pre-shared key for auth=psk: text, 0x<hex> or 0s<base64>. Never logged or shown.")
    String psk();

    @AttributeDefinition(name = "cert", required = false,
            description = "Our certificate for auth=pubkey: PEM file (certificate first, then intermediates) or "
                    + "PKCS#12 (.p12) with key and chain. Relative paths are inside the runtime directory.")
    String cert();

    @AttributeDefinition(name = "key", required = false,
            description = "Private key of the certificate: PEM (PKCS#1, SEC1 or PKCS#8, may be encrypted). "
                    + "Not needed when cert is a PKCS#12 file holding the key. Should be mode 600.")
    String key();

    @AttributeDefinition(name = "key_password", type = AttributeType.PASSWORD, required = false,
            description = "Password of an encrypted key or PKCS#12 file. Never logged or shown.")
    String key__password();

    @AttributeDefinition(name = "ca", required = false,
            description = "CA certificate file(s) (PEM, DER or PKCS#12) the gateway's certificate must chain to.")
    String[] ca();

    @AttributeDefinition(name = "ike_proposals",
            description = "IKE proposals in strongSwan syntax (swanctl: proposals), most preferred first, "
                    + "e.g. aes256gcm16-prfsha384-x25519.")
    String[] ike__proposals() default {IkeSessionConfig.DEFAULT_IKE_PROPOSAL, IkeSessionConfig.DEFAULT_IKE_PROPOSAL_CLASSIC};

    @AttributeDefinition(name = "esp_proposals",
            description = "ESP proposals in strongSwan syntax, most preferred first, e.g. aes256gcm16, chacha20poly1305. "
                    + "A key exchange keyword (e.g. -x25519) asks for PFS on rekeying.")
    String[] esp__proposals() default {IkeSessionConfig.DEFAULT_ESP_PROPOSAL, IkeSessionConfig.DEFAULT_ESP_PROPOSAL_CLASSIC};

    @AttributeDefinition(name = "local_ts",
            description = "Local traffic selectors: subnets, addresses, ranges a-b, %any, or dynamic (our virtual "
                    + "IP, else our address); optional [protocol/port], e.g. 10.1.0.0/16[tcp/443].")
    String[] local__ts() default VpnProfile.DEFAULT_LOCAL_TS;

    @AttributeDefinition(name = "remote_ts",
            description = "Remote traffic selectors: what lies behind the gateway, e.g. 203.0.113.0/24; "
                    + "0.0.0.0/0 for everything.")
    String[] remote__ts() default IkeSessionConfig.DEFAULT_REMOTE_TS;

    @AttributeDefinition(name = "vips", required = false,
            description = "Virtual IPs to request from the gateway: 0.0.0.0 (any IPv4), :: (any IPv6) or a specific address.")
    String[] vips();

    @AttributeDefinition(name = "encap", description = "Force UDP encapsulation of ESP even when no NAT is detected.")
    boolean encap() default false;

    @AttributeDefinition(name = "mobike", description = "Offer MOBIKE (RFC 4555): the IKE SA follows this device to"
            + " another uplink or address without a new handshake; without it (or a gateway that does not agree) a"
            + " change of uplink makes a new IKE SA.")
    boolean mobike() default IkeSessionConfig.DEFAULT_MOBIKE;

    @AttributeDefinition(name = "uplinks", required = false,
            description = "Interfaces to reach the gateway through, most preferred first (e.g. eth0, wwan0): the first"
                    + " that is up with an address and a route to the gateway is used, even where the kernel's"
                    + " routing would pick another; the tunnel moves back when a more preferred one returns."
                    + " Empty: the route the kernel would use.")
    String[] uplinks();

    @AttributeDefinition(name = "dpd_delay",
            description = "Check the gateway's liveness after this long without traffic (30s, 5m, 4h, 1d); 0 disables.")
    String dpd__delay() default IkeSessionConfig.DEFAULT_DPD_DELAY_SECONDS + "s";

    @AttributeDefinition(name = "keepalive", description = "NAT keepalive interval when behind a NAT; 0 disables.")
    String keepalive() default VpnProfile.DEFAULT_KEEPALIVE_SECONDS + "s";

    @AttributeDefinition(name = "rekey_time", description = "Rekey the IKE SA after this time; 0 disables.")
    String rekey__time() default IkeSessionConfig.DEFAULT_REKEY_TIME_HOURS + "h";

    @AttributeDefinition(name = "reauth_time", description = "Authenticate again with a new IKE SA after this time,"
            + " made before the old one is deleted (RFC 7296 2.8.3); 0 (the default, as in swanctl) never.")
    String reauth__time() default "0s";

    @AttributeDefinition(name = "child_rekey_time",
            description = "Rekey the Child (ESP) SA after this time (swanctl: children.<child>.rekey_time); 0 disables.")
    String child__rekey__time() default IkeSessionConfig.DEFAULT_CHILD_REKEY_TIME_HOURS + "h";

    @AttributeDefinition(name = "autostart",
            description = "Bring this connection up when the runtime starts and back up after failures.")
    boolean autostart() default false;

    @AttributeDefinition(name = "split_include", required = false,
            description = "Only these destinations (subnets/addresses) go through the tunnel; empty: all of remote_ts.")
    String[] split__include();

    @AttributeDefinition(name = "split_exclude", required = false,
            description = "These destinations never go through the tunnel.")
    String[] split__exclude();

    @AttributeDefinition(name = "kill_switch",
            description = "Drop traffic that is neither tunnelled nor excluded instead of sending it in the clear.")
    boolean kill__switch() default false;

    @AttributeDefinition(name = "allow_sha1_signatures",
            description = "Allow SHA-1 in AUTH signatures (ours and the gateway's): needed only for an RSA gateway "
                    + "without RFC 7427 signature authentication. Off: such a gateway fails naming this key.")
    boolean allow__sha1__signatures() default IkeSessionConfig.DEFAULT_ALLOW_SHA1_SIGNATURES;

    @AttributeDefinition(name = "dns", description = "Apply the DNS servers the gateway assigns: none, or resolv_conf.",
            options = {@Option(label = "none", value = "none"), @Option(label = "resolv_conf", value = "resolv_conf")})
    String dns() default VpnProfile.DEFAULT_DNS;
}
