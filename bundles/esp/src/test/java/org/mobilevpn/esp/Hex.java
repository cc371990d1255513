package org.mobilevpn.esp;

import java.util.HexFormat;

/** Test vectors are written in hex with optional spaces. */
public final class Hex {

    private Hex() {
    }

    public static byte[] decode(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
