package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One IKE SA as {@code swanctl --list-sas --raw} reports it, from the point of view of the charon
 * that was asked (for a gateway: local = gateway, remote = our client).
 *
 * @param name connection name
 * @param uniqueId charon's unique id (matches {@code IKE_SA name[id]} in its log)
 * @param state e.g. {@code ESTABLISHED}, {@code CONNECTING}
 * @param localHost local address
 * @param localPort local port (4500 after NAT-T/libipsec's forced encapsulation)
 * @param remoteHost remote address
 * @param remotePort remote port
 * @param localId local identity
 * @param remoteId remote identity
 * @param initiatorSpi IKE SPIi, 16 hex digits
 * @param responderSpi IKE SPIr, 16 hex digits
 * @param encrAlg e.g. {@code AES_GCM_16}
 * @param encrKeysize key size in bits (0 when not reported)
 * @param integAlg e.g. {@code HMAC_SHA2_256_128}, empty for AEAD
 * @param prfAlg e.g. {@code PRF_HMAC_SHA2_384}
 * @param dhGroup e.g. {@code CURVE_25519}
 * @param natLocal whether this charon sees itself behind NAT ({@code nat-local=yes})
 * @param natRemote whether the peer is seen behind NAT (libipsec fakes this, see strongswan-peer.md)
 * @param remoteVips virtual IPs assigned to the peer (gateway view)
 * @param localVips virtual IPs this charon received (client view)
 * @param childSas the Child SAs below this IKE SA
 * @param raw every key-value of the IKE SA as parsed, for anything not covered above
 */
public record IkeSa(String name, int uniqueId, String state, String localHost, int localPort, String remoteHost,
        int remotePort, String localId, String remoteId, String initiatorSpi, String responderSpi, String encrAlg,
        int encrKeysize, String integAlg, String prfAlg, String dhGroup, boolean natLocal, boolean natRemote,
        List<String> remoteVips, List<String> localVips, List<ChildSa> childSas, Map<String, Object> raw) {

    /**
     * Parses the output of {@code swanctl --list-sas --raw}.
     *
     * @param output the command's standard output
     * @return the IKE SAs in output order (empty when there are none)
     */
    public static List<IkeSa> parseListSas(String output) {
        List<IkeSa> sas = new ArrayList<>();
        for (Map<String, Object> event : ViciRaw.messages(output, "list-sa event")) {
            for (Map.Entry<String, Object> e : event.entrySet()) {
                sas.add(of(e.getKey(), asMap(e.getValue())));
            }
        }
        return sas;
    }

    /** @return the only Child SA, failing when there is not exactly one */
    public ChildSa child() {
        if (childSas.size() != 1) {
            throw new IllegalStateException("expected exactly one CHILD_SA, found " + childSas.size() + " in " + this);
        }
        return childSas.get(0);
    }

    /**
     * @param childName Child SA config name
     * @return the first Child SA with that name
     */
    public Optional<ChildSa> child(String childName) {
        return childSas.stream().filter(c -> c.name().equals(childName)).findFirst();
    }

    static IkeSa of(String name, Map<String, Object> m) {
        List<ChildSa> children = new ArrayList<>();
        Object cs = m.get("child-sas");
        if (cs instanceof Map<?, ?> childMap) {
            for (Map.Entry<?, ?> c : childMap.entrySet()) {
                children.add(ChildSa.of(asMap(c.getValue())));
            }
        }
        return new IkeSa(name, num(m, "uniqueid"), str(m, "state"), str(m, "local-host"), num(m, "local-port"),
                str(m, "remote-host"), num(m, "remote-port"), str(m, "local-id"), str(m, "remote-id"),
                str(m, "initiator-spi"), str(m, "responder-spi"), str(m, "encr-alg"), num(m, "encr-keysize"),
                str(m, "integ-alg"), str(m, "prf-alg"), str(m, "dh-group"), "yes".equals(m.get("nat-local")),
                "yes".equals(m.get("nat-remote")), list(m, "remote-vips"), list(m, "local-vips"),
                List.copyOf(children), m);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : "";
    }

    static int num(Map<String, Object> m, String key) {
        String s = str(m, key);
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    static long lng(Map<String, Object> m, String key) {
        String s = str(m, key);
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }
}
