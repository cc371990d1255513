package org.mobilevpn.ike.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The value of an INTERNAL_DNS_DOMAIN configuration attribute (RFC 8598 §4.1): one domain the gateway
 * resolves for us (split DNS), in DNS presentation format with IDNA A-labels and no NUL terminator.
 *
 * <p>The name ends up in the resolv.conf the virtual NIC writes, so it is checked strictly rather than
 * repaired: letters, digits and hyphens in labels of 1 to 63 octets (RFC 1035 §2.3.1, RFC 5890 A-labels),
 * at most 253 octets, one trailing dot allowed. Anything else (spaces, newlines, the root domain, a
 * U-label) is refused, so a hostile gateway cannot add lines or options to the file.
 */
final class InternalDnsDomain {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private InternalDnsDomain() {
    }

    /**
     * @param value the attribute's value octets
     * @return the name, lower case and without a trailing dot
     * @throws IllegalArgumentException naming why the value is no usable domain
     */
    static String parse(byte[] value) {
        String name = new String(value, StandardCharsets.ISO_8859_1);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("it is empty or the root domain");
        }
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("it is longer than " + MAX_NAME + " octets");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("it has a label of " + label.length() + " octets");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("a label starts or ends with a hyphen");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
                if (!ok) {
                    throw new IllegalArgumentException(String.format("it contains the octet 0x%02x", (int) c));
                }
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
