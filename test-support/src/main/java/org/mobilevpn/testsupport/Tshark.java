package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Independent checks with tshark (independent-checks.md): decrypt ESP (RFC 4303, also in UDP per
 * RFC 3948) and IKEv2 (RFC 7296 section 3.14) from a capture, given the keys. With the right keys the
 * inner packets / payloads appear; with wrong ones they do not, so a test of our bytes can rely on it.
 * tshark 4.0 cannot decrypt ChaCha20-Poly1305; such SAs are rejected with a clear message.
 */
public final class Tshark {

    private static final HexFormat HEX = HexFormat.of();

    private Tshark() {
    }

    /**
     * One direction of an ESP SA for tshark's ESP SA table.
     *
     * @param src outer source address
     * @param dst outer destination address
     * @param spi SPI as 8 hex digits (no 0x)
     * @param encryption tshark's encryption name, e.g. {@code AES-GCM with 16 octet ICV [RFC4106]}
     * @param encryptionKey key (for AES-GCM: key || 4-byte salt)
     * @param authentication tshark's authentication name, e.g. {@code HMAC-SHA-256-128 [RFC4868]} or
     *        {@code NULL}
     * @param authenticationKey integrity key, empty for AEAD
     */
    public record EspSa(String src, String dst, String spi, String encryption, byte[] encryptionKey,
            String authentication, byte[] authenticationKey) {

        /**
         * Builds both directions from charon's logged Child SA keys.
         *
         * @param keys from {@link CharonKeyLog#child(String)}
         * @return inbound and outbound SA as seen by that charon
         */
        public static List<EspSa> fromCharon(CharonKeyLog.ChildKeys keys) {
            String enc = espEncryption(keys.encrAlg());
            String auth = espAuthentication(keys.integAlg());
            return List.of(
                    new EspSa(keys.inboundSrc(), keys.inboundDst(), keys.inboundSpi(), enc, keys.inboundEncryptionKey(),
                            auth, keys.inboundIntegrityKey()),
                    new EspSa(keys.inboundDst(), keys.inboundSrc(), keys.outboundSpi(), enc,
                            keys.outboundEncryptionKey(), auth, keys.outboundIntegrityKey()));
        }

        String uat() {
            String family = src.contains(":") ? "IPv6" : "IPv4";
            return "uat:esp_sa:\"" + family + "\",\"" + src + "\",\"" + dst + "\",\"0x" + spi + "\",\"" + encryption
                    + "\",\"0x" + HEX.formatHex(encryptionKey) + "\",\"" + authentication + "\",\""
                    + (authenticationKey.length == 0 ? "" : "0x" + HEX.formatHex(authenticationKey)) + "\"";
        }
    }

    /**
     * IKE SA keys for tshark's IKEv2 decryption table.
     *
     * @param initiatorSpi 16 hex digits
     * @param responderSpi 16 hex digits
     * @param skEi SK_ei (with salt for AEAD)
     * @param skEr SK_er
     * @param encryption tshark's name, e.g. {@code AES-GCM-256 with 16 octet ICV [RFC5282]}
     * @param skAi SK_ai, empty for AEAD
     * @param skAr SK_ar, empty for AEAD
     * @param integrity tshark's name, e.g. {@code HMAC_SHA2_256_128 [RFC4868]} or {@code NONE [RFC4306]}
     */
    public record IkeSaKeys(String initiatorSpi, String responderSpi, byte[] skEi, byte[] skEr, String encryption,
            byte[] skAi, byte[] skAr, String integrity) {

        /**
         * Combines what swanctl reports about an IKE SA with the keys charon logged for it.
         *
         * @param sa from {@link StrongSwanGateway#listSas()}
         * @param keys from {@link CharonKeyLog#ike(int)} with {@code sa.uniqueId()}
         * @return the table row
         */
        public static IkeSaKeys fromCharon(IkeSa sa, CharonKeyLog.IkeKeys keys) {
            return new IkeSaKeys(sa.initiatorSpi(), sa.responderSpi(), keys.skEi(), keys.skEr(),
                    ikeEncryption(sa.encrAlg(), sa.encrKeysize()), keys.skAi(), keys.skAr(),
                    ikeIntegrity(sa.integAlg()));
        }

        String row() {
            // hex fields unquoted, names quoted (independent-checks.md)
            return initiatorSpi + "," + responderSpi + "," + HEX.formatHex(skEi) + "," + HEX.formatHex(skEr) + ",\""
                    + encryption + "\"," + HEX.formatHex(skAi) + "," + HEX.formatHex(skAr) + ",\"" + integrity + "\"";
        }
    }

    /**
     * Decrypts ESP in a capture.
     *
     * @param pcap the capture
     * @param sas SA directions to try
     * @return one summary line per ESP packet; decrypted ones show the inner protocol, e.g.
     *         {@code 198.18.0.1 → 203.0.113.2 ICMP ... Echo (ping) request}
     */
    public static List<String> decryptEsp(Path pcap, List<EspSa> sas) {
        List<String> args = new ArrayList<>(List.of("-o", "esp.enable_encryption_decode:TRUE"));
        for (EspSa sa : sas) {
            args.add("-o");
            args.add(sa.uat());
        }
        args.addAll(List.of("-Y", "esp"));
        return run(pcap, emptyConfigDir(), args).lines();
    }

    /**
     * Decrypts IKEv2 in a capture and returns tshark's full packet details ({@code -V}) for ISAKMP
     * packets; decrypted SK payloads show their inner payloads (IDi, AUTH, CP, SA, TSi, TSr, ...).
     *
     * @param pcap the capture
     * @param sas IKE SAs with keys
     * @return the detail lines
     */
    public static List<String> decryptIke(Path pcap, List<IkeSaKeys> sas) {
        Path dir = emptyConfigDir();
        StringBuilder table = new StringBuilder();
        sas.forEach(sa -> table.append(sa.row()).append('\n'));
        TestOutput.write(dir.resolve("ikev2_decryption_table"), table.toString());
        return run(pcap, dir, List.of("-Y", "isakmp", "-V")).lines();
    }

    /**
     * IKE_AUTH datagrams of a capture by sender address, as tshark's own IKEv2 dissector reads them (no keys
     * needed): those that carried an Encrypted Fragment payload (SKF, RFC 7383 §2.5) and those that carried
     * the whole Encrypted payload (SK).
     *
     * @param fragmentIpLengths per sender, the IP total length of each SKF datagram
     * @param unfragmented per sender, how many datagrams carried an unfragmented IKE_AUTH
     */
    public record IkeAuthDatagrams(Map<String, List<Integer>> fragmentIpLengths, Map<String, Integer> unfragmented) {

        /** @return the IP lengths of the SKF datagrams {@code sender} sent (empty if none) */
        public List<Integer> fragmentsFrom(String sender) {
            return fragmentIpLengths.getOrDefault(sender, List.of());
        }
    }

    /**
     * Reads the IKE_AUTH exchange (type 35) of a capture; the first payload tells fragment (53) from whole (46).
     *
     * @param pcap the capture
     * @return the IKE_AUTH datagrams by sender
     */
    public static IkeAuthDatagrams ikeAuthDatagrams(Path pcap) {
        Map<String, List<Integer>> fragments = new java.util.TreeMap<>();
        for (String line : run(pcap, emptyConfigDir(), List.of("-Y", "isakmp.exchangetype == 35 && isakmp.nextpayload == 53",
                "-T", "fields", "-e", "ip.src", "-e", "ip.len")).lines()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2) {
                fragments.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[1]));
            }
        }
        Map<String, Integer> whole = new java.util.TreeMap<>();
        for (String line : run(pcap, emptyConfigDir(), List.of("-Y", "isakmp.exchangetype == 35 && isakmp.nextpayload == 46",
                "-T", "fields", "-e", "ip.src")).lines()) {
            if (!line.isBlank()) {
                whole.merge(line.strip(), 1, Integer::sum);
            }
        }
        return new IkeAuthDatagrams(fragments, whole);
    }

    /**
     * Runs {@code tshark -n -r pcap args...} with a private configuration directory.
     *
     * @param pcap the capture
     * @param configDir directory for WIRESHARK_CONFIG_DIR (tables, no user preferences)
     * @param args further arguments
     * @return the checked result
     */
    public static CommandResult run(Path pcap, Path configDir, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        argv.addAll(args);
        return Commands.run(Duration.ofMinutes(2), Map.of("WIRESHARK_CONFIG_DIR", configDir.toString()), null, argv)
                .check();
    }

    /**
     * @param charonName charon's ESP encryption name, e.g. {@code AES_GCM_16}, {@code AES_CBC}
     * @return tshark's ESP SA table name
     */
    public static String espEncryption(String charonName) {
        return switch (charonName) {
            case "AES_GCM_16" -> "AES-GCM with 16 octet ICV [RFC4106]";
            case "AES_GCM_12" -> "AES-GCM with 12 octet ICV [RFC4106]";
            case "AES_GCM_8" -> "AES-GCM with 8 octet ICV [RFC4106]";
            case "AES_CBC" -> "AES-CBC [RFC3602]";
            case "AES_CTR" -> "AES-CTR [RFC3686]";
            case "3DES_CBC" -> "TripleDES-CBC [RFC2451]";
            case "NULL" -> "NULL";
            default -> throw new UnsupportedOperationException("tshark cannot decrypt ESP with " + charonName);
        };
    }

    /**
     * @param charonName charon's integrity name, e.g. {@code HMAC_SHA2_256_128}; empty for AEAD
     * @return tshark's ESP authentication name
     */
    public static String espAuthentication(String charonName) {
        return switch (charonName) {
            case "" -> "NULL";
            case "HMAC_SHA1_96" -> "HMAC-SHA-1-96 [RFC2404]";
            case "HMAC_SHA2_256_128" -> "HMAC-SHA-256-128 [RFC4868]";
            case "HMAC_SHA2_384_192" -> "HMAC-SHA-384-192 [RFC4868]";
            case "HMAC_SHA2_512_256" -> "HMAC-SHA-512-256 [RFC4868]";
            default -> throw new UnsupportedOperationException("tshark cannot authenticate ESP with " + charonName);
        };
    }

    /**
     * @param charonName swanctl's {@code encr-alg}, e.g. {@code AES_GCM_16}
     * @param keyBits swanctl's {@code encr-keysize}
     * @return tshark's IKEv2 encryption name
     */
    public static String ikeEncryption(String charonName, int keyBits) {
        return switch (charonName) {
            case "AES_GCM_16", "AES_GCM_12", "AES_GCM_8" -> "AES-GCM-" + keyBits + " with "
                    + charonName.substring("AES_GCM_".length()) + " octet ICV [RFC5282]";
            case "AES_CBC" -> "AES-CBC-" + keyBits + " [RFC3602]";
            case "AES_CTR" -> "AES-CTR-" + keyBits + " [RFC5930]";
            default -> throw new UnsupportedOperationException("tshark cannot decrypt IKEv2 with " + charonName);
        };
    }

    /**
     * @param charonName swanctl's {@code integ-alg}; empty for AEAD
     * @return tshark's IKEv2 integrity name
     */
    public static String ikeIntegrity(String charonName) {
        return switch (charonName) {
            case "" -> "NONE [RFC4306]";
            case "HMAC_SHA1_96" -> "HMAC_SHA1_96 [RFC2404]";
            case "HMAC_SHA2_256_128" -> "HMAC_SHA2_256_128 [RFC4868]";
            case "HMAC_SHA2_384_192" -> "HMAC_SHA2_384_192 [RFC4868]";
            case "HMAC_SHA2_512_256" -> "HMAC_SHA2_512_256 [RFC4868]";
            default -> throw new UnsupportedOperationException("tshark cannot check IKEv2 integrity " + charonName);
        };
    }

    private static Path emptyConfigDir() {
        try {
            Path dir = TestOutput.mkdirs(TestOutput.current().resolve("tshark-config"));
            return Files.createTempDirectory(dir, "cfg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
