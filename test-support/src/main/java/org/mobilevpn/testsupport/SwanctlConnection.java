package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code connections.<name>} block of a swanctl.conf, with a single child of the same name.
 * A fluent, mutable builder; {@link SwanctlConf} renders it. Unset (null) settings are left out, so
 * strongSwan's defaults apply. Setting names follow swanctl.conf(5).
 *
 * <pre>{@code
 * SwanctlConnection rw = SwanctlConnection.gateway("rw")
 *         .ikeProposals("aes128gcm16-prfsha256-ecp256")
 *         .espProposals("aes128gcm16")
 *         .dpdDelay("5s");
 * }</pre>
 */
public final class SwanctlConnection {

    /** Default IKE proposal of the harness gateway. */
    public static final String DEFAULT_IKE_PROPOSALS = "aes256gcm16-prfsha384-x25519";
    /** Default ESP proposal of the harness gateway. */
    public static final String DEFAULT_ESP_PROPOSALS = "aes256gcm16";
    /** DNS server the default pool hands out (in the LAN). */
    public static final String DEFAULT_DNS = "203.0.113.53";

    final String name;
    String localAddrs;
    String remoteAddrs;
    String ikeProposals = DEFAULT_IKE_PROPOSALS;
    String espProposals = DEFAULT_ESP_PROPOSALS;
    String vips;
    String poolAddrs;
    List<String> poolDns = List.of();
    String dpdDelay;
    String dpdTimeout;
    String rekeyTime;
    String reauthTime;
    String overTime;
    String encap;
    String mobike;
    String localAuth = "psk";
    String remoteAuth = "psk";
    String localId;
    String remoteId;
    String localCert;
    String localTs;
    String remoteTs;
    String childRekeyTime;
    String childLifeTime;
    String dpdAction;
    String startAction;
    String closeAction;
    final List<String> extra = new ArrayList<>();
    final List<String> childExtra = new ArrayList<>();

    private SwanctlConnection(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("connection name must match [A-Za-z0-9_-]+: " + name);
        }
        this.name = name;
    }

    /**
     * A road-warrior gateway connection in the standard topology: listens on 198.51.100.1, identity
     * {@link StrongSwanGateway#GATEWAY_ID}, peer {@link StrongSwanGateway#CLIENT_ID}, PSK on both sides,
     * local_ts 203.0.113.0/24, pool 198.18.0.0/24 with DNS 203.0.113.53, the default proposals.
     *
     * @param name connection (and child) name
     * @return the builder
     */
    public static SwanctlConnection gateway(String name) {
        SwanctlConnection c = new SwanctlConnection(name);
        c.localAddrs = TestNetwork.GATEWAY_IP;
        c.localId = StrongSwanGateway.GATEWAY_ID;
        c.remoteId = StrongSwanGateway.CLIENT_ID;
        c.localTs = TestNetwork.LAN_NET;
        c.poolAddrs = TestNetwork.VIP_POOL;
        c.poolDns = List.of(DEFAULT_DNS);
        return c;
    }

    /**
     * A strongSwan client (initiator) of the standard gateway: asks for a virtual IP, remote_ts
     * 203.0.113.0/24. Used where charon itself plays the client (reference runs, harness self-tests).
     *
     * @param name connection (and child) name
     * @return the builder
     */
    public static SwanctlConnection client(String name) {
        SwanctlConnection c = new SwanctlConnection(name);
        c.remoteAddrs = TestNetwork.GATEWAY_IP;
        c.vips = "0.0.0.0";
        c.localId = StrongSwanGateway.CLIENT_ID;
        c.remoteId = StrongSwanGateway.GATEWAY_ID;
        c.remoteTs = TestNetwork.LAN_NET;
        return c;
    }

    /** @return the connection (and child) name */
    public String name() {
        return name;
    }

    /**
     * Sets local_addrs.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection localAddrs(String v) {
        localAddrs = v;
        return this;
    }

    /**
     * Sets remote_addrs.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection remoteAddrs(String v) {
        remoteAddrs = v;
        return this;
    }

    /**
     * Sets IKE proposals, strongSwan syntax, comma separated.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection ikeProposals(String v) {
        ikeProposals = v;
        return this;
    }

    /**
     * Sets ESP proposals, strongSwan syntax, comma separated.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection espProposals(String v) {
        espProposals = v;
        return this;
    }

    /**
     * Sets vips (client side: {@code 0.0.0.0} asks for an IPv4 address).
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection vips(String v) {
        vips = v;
        return this;
    }

    /**
     * Sets the address pool handed to clients (rendered as {@code pools.<name>_pool}).
     *
     * @param addrs range or prefix within 198.18.0.0/24, or null for no pool
     * @param dns DNS servers sent as configuration attributes
     * @return this
     */
    public SwanctlConnection pool(String addrs, String... dns) {
        poolAddrs = addrs;
        poolDns = List.of(dns);
        return this;
    }

    /**
     * Sets dpd_delay, e.g. {@code 5s}.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection dpdDelay(String v) {
        dpdDelay = v;
        return this;
    }

    /**
     * Sets dpd_timeout (IKEv1 only in strongSwan; kept for completeness).
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection dpdTimeout(String v) {
        dpdTimeout = v;
        return this;
    }

    /**
     * Sets IKE SA rekey_time, e.g. {@code 30s}; {@code 0} disables.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection rekeyTime(String v) {
        rekeyTime = v;
        return this;
    }

    /**
     * Sets IKE SA reauth_time.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection reauthTime(String v) {
        reauthTime = v;
        return this;
    }

    /**
     * Sets over_time (hard IKE lifetime = rekey/reauth time + this).
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection overTime(String v) {
        overTime = v;
        return this;
    }

    /**
     * Sets encap: force UDP encapsulation.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection encap(boolean v) {
        encap = v ? "yes" : "no";
        return this;
    }

    /**
     * Sets mobike on or off.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection mobike(boolean v) {
        mobike = v ? "yes" : "no";
        return this;
    }

    /**
     * Pre-shared key on both sides (the secret goes into {@link SwanctlConf.Builder#psk}).
     *
     * @return this
     */
    public SwanctlConnection psk() {
        localAuth = "psk";
        remoteAuth = "psk";
        localCert = null;
        return this;
    }

    /**
     * Certificates on both sides: local auth pubkey with {@code certFile} (a file name inside
     * {@code swanctl/x509/}, see {@link SwanctlConf.Builder#credential}), remote auth pubkey.
     *
     * @param certFile own certificate's file name
     * @return this
     */
    public SwanctlConnection pubkey(String certFile) {
        localAuth = "pubkey";
        remoteAuth = "pubkey";
        localCert = certFile;
        return this;
    }

    /**
     * Sets remote auth, e.g. {@code eap-mschapv2}, {@code psk}, {@code pubkey}.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection remoteAuth(String v) {
        remoteAuth = v;
        return this;
    }

    /**
     * Sets local auth.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection localAuth(String v) {
        localAuth = v;
        return this;
    }

    /**
     * Sets local identity.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection localId(String v) {
        localId = v;
        return this;
    }

    /**
     * Sets remote identity ({@code %any} accepts any).
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection remoteId(String v) {
        remoteId = v;
        return this;
    }

    /**
     * Sets child local_ts, comma separated.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection localTs(String v) {
        localTs = v;
        return this;
    }

    /**
     * Sets child remote_ts, comma separated.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection remoteTs(String v) {
        remoteTs = v;
        return this;
    }

    /**
     * Sets child rekey_time.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection childRekeyTime(String v) {
        childRekeyTime = v;
        return this;
    }

    /**
     * Sets child life_time.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection childLifeTime(String v) {
        childLifeTime = v;
        return this;
    }

    /**
     * Sets child dpd_action ({@code clear}, {@code trap}, {@code restart}).
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection dpdAction(String v) {
        dpdAction = v;
        return this;
    }

    /**
     * Sets child start_action.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection startAction(String v) {
        startAction = v;
        return this;
    }

    /**
     * Sets child close_action.
     *
     * @param v the value
     * @return this
     */
    public SwanctlConnection closeAction(String v) {
        closeAction = v;
        return this;
    }

    /**
     * Adds a raw setting line to the connection block, for anything not covered here.
     *
     * @param line e.g. {@code fragmentation = yes}
     * @return this
     */
    public SwanctlConnection extra(String line) {
        extra.add(line);
        return this;
    }

    /**
     * Adds a raw setting line to the child block.
     *
     * @param line e.g. {@code mode = tunnel}
     * @return this
     */
    public SwanctlConnection childExtra(String line) {
        childExtra.add(line);
        return this;
    }

    String poolName() {
        return name + "_pool";
    }

    void render(StringBuilder sb) {
        sb.append("  ").append(name).append(" {\n");
        String in = "    ";
        SwanctlConf.put(sb, in, "version", "2");
        SwanctlConf.put(sb, in, "local_addrs", localAddrs);
        SwanctlConf.put(sb, in, "remote_addrs", remoteAddrs);
        SwanctlConf.put(sb, in, "proposals", ikeProposals);
        SwanctlConf.put(sb, in, "vips", vips);
        SwanctlConf.put(sb, in, "pools", poolAddrs == null ? null : poolName());
        SwanctlConf.put(sb, in, "dpd_delay", dpdDelay);
        SwanctlConf.put(sb, in, "dpd_timeout", dpdTimeout);
        SwanctlConf.put(sb, in, "rekey_time", rekeyTime);
        SwanctlConf.put(sb, in, "reauth_time", reauthTime);
        SwanctlConf.put(sb, in, "over_time", overTime);
        SwanctlConf.put(sb, in, "encap", encap);
        SwanctlConf.put(sb, in, "mobike", mobike);
        extra.forEach(l -> sb.append(in).append(l).append('\n'));
        sb.append(in).append("local {\n");
        SwanctlConf.put(sb, in + "  ", "auth", localAuth);
        SwanctlConf.put(sb, in + "  ", "id", localId);
        SwanctlConf.put(sb, in + "  ", "certs", localCert);
        sb.append(in).append("}\n");
        sb.append(in).append("remote {\n");
        SwanctlConf.put(sb, in + "  ", "auth", remoteAuth);
        SwanctlConf.put(sb, in + "  ", "id", remoteId);
        sb.append(in).append("}\n");
        sb.append(in).append("children {\n");
        String cin = in + "    ";
        sb.append(in).append("  ").append(name).append(" {\n");
        SwanctlConf.put(sb, cin, "local_ts", localTs);
        SwanctlConf.put(sb, cin, "remote_ts", remoteTs);
        SwanctlConf.put(sb, cin, "esp_proposals", espProposals);
        SwanctlConf.put(sb, cin, "rekey_time", childRekeyTime);
        SwanctlConf.put(sb, cin, "life_time", childLifeTime);
        SwanctlConf.put(sb, cin, "dpd_action", dpdAction);
        SwanctlConf.put(sb, cin, "start_action", startAction);
        SwanctlConf.put(sb, cin, "close_action", closeAction);
        childExtra.forEach(l -> sb.append(cin).append(l).append('\n'));
        sb.append(in).append("  }\n");
        sb.append(in).append("}\n");
        sb.append("  }\n");
    }
}
