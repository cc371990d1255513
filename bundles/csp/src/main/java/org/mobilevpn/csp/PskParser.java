package org.mobilevpn.csp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.mobilevpn.api.ipsec.SecretBytes;

/**
 * A pre-shared key as strongSwan writes secrets: {@code 0x...} is hex, {@code 0s...} is base64,
 * anything else is the UTF-8 octets of the text (RFC 7296 §2.15 uses the key octets as given).
 * Error messages never contain the key; intermediate arrays are wiped.
 */
final class PskParser {

    private PskParser() {
    }

    /** @throws IllegalArgumentException saying what is wrong, without the value */
    static SecretBytes parse(String text) {
        byte[] octets;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            try {
                octets = HexFormat.of().parseHex(text, 2, text.length());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("starts with 0x but is not an even number of hex digits");
            }
        } else if (text.startsWith("0s") || text.startsWith("0S")) {
            try {
                octets = Base64.getDecoder().decode(text.substring(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("starts with 0s but is not base64");
            }
        } else {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
            octets = new byte[encoded.remaining()];
            encoded.get(octets);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
        try {
            if (octets.length == 0) {
                throw new IllegalArgumentException("is empty");
            }
            return SecretBytes.copyOf(octets);
        } finally {
            Arrays.fill(octets, (byte) 0);
        }
    }
}
