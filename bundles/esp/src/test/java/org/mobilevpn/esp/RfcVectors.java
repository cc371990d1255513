package org.mobilevpn.esp;

/** Published ESP test data shared by several tests. */
public final class RfcVectors {

    /** RFC 7634 Appendix A: the inner IPv4 ICMP packet (84 bytes). */
    public static final String RFC7634_INNER = "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
            + "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
            + "2425262728292a2b2c2d2e2f3031323334353637";

    /** RFC 7634 Appendix A: IV, ciphertext and ICV after SPI 01020304 and sequence number 5. */
    public static final String RFC7634_ESP_PAYLOAD = "1011121314151617"
            + "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
            + "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
            + "cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7"
            + "b11b369907e1ad43";

    private RfcVectors() {
    }
}
