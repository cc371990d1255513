package org.mobilevpn.testsupport;

import java.util.List;
import java.util.Map;

/**
 * One Child SA as {@code swanctl --list-sas --raw} reports it, from the reporting charon's view:
 * {@code spiIn} is the SPI it receives with (our client sends with it), {@code spiOut} the one it sends
 * with.
 *
 * @param name Child SA config name
 * @param uniqueId charon's unique id ({@code CHILD_SA name{id}} in its log)
 * @param reqid reqid
 * @param state e.g. {@code INSTALLED}
 * @param mode e.g. {@code TUNNEL}
 * @param protocol e.g. {@code ESP}
 * @param encap whether ESP is UDP-encapsulated
 * @param spiIn inbound SPI, 8 hex digits
 * @param spiOut outbound SPI, 8 hex digits
 * @param encrAlg e.g. {@code AES_GCM_16}
 * @param encrKeysize bits
 * @param integAlg e.g. {@code HMAC_SHA2_256_128}, empty for AEAD
 * @param bytesIn bytes received
 * @param packetsIn packets received
 * @param bytesOut bytes sent
 * @param packetsOut packets sent
 * @param localTs local traffic selectors
 * @param remoteTs remote traffic selectors
 * @param raw every key-value as parsed
 */
public record ChildSa(String name, int uniqueId, int reqid, String state, String mode, String protocol, boolean encap,
        String spiIn, String spiOut, String encrAlg, int encrKeysize, String integAlg, long bytesIn, long packetsIn,
        long bytesOut, long packetsOut, List<String> localTs, List<String> remoteTs, Map<String, Object> raw) {

    static ChildSa of(Map<String, Object> m) {
        return new ChildSa(IkeSa.str(m, "name"), IkeSa.num(m, "uniqueid"), IkeSa.num(m, "reqid"),
                IkeSa.str(m, "state"), IkeSa.str(m, "mode"), IkeSa.str(m, "protocol"), "yes".equals(m.get("encap")),
                IkeSa.str(m, "spi-in"), IkeSa.str(m, "spi-out"), IkeSa.str(m, "encr-alg"),
                IkeSa.num(m, "encr-keysize"), IkeSa.str(m, "integ-alg"), IkeSa.lng(m, "bytes-in"),
                IkeSa.lng(m, "packets-in"), IkeSa.lng(m, "bytes-out"), IkeSa.lng(m, "packets-out"),
                IkeSa.list(m, "local-ts"), IkeSa.list(m, "remote-ts"), m);
    }
}
