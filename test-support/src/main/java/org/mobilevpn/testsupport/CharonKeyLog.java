package org.mobilevpn.testsupport;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key material charon logs at level 4 for {@code ike} and {@code chd} (see independent-checks.md),
 * parsed from its filelog so a test can compare our derived keys with charon's.
 *
 * <p>Log lines look like {@code 10[IKE] Sk_ei secret => 36 bytes @ 0x7f..} followed by hex rows
 * {@code 10[IKE]    0: FF 54 3F ...}. {@link StrongSwanGateway} turns on {@code ike_name}, which prefixes
 * every line of an IKE SA with {@code <name|uniqueid>}: lines are then grouped per IKE SA, and keys carry
 * the SA's unique id (matching {@link IkeSa#uniqueId()}). Without the prefix, lines are grouped by
 * charon's thread number and the id is taken from the next {@code IKE_SA name[id]} line of the thread,
 * which works for a responder but not always for an initiator (its threads change between exchanges).
 * IKE SA keys (RFC 7296 section 2.14): {@code Sk_d, Sk_ei, Sk_er, Sk_ai, Sk_ar, Sk_pi, Sk_pr}; an AEAD key
 * includes its salt (AES-GCM: key || 4-byte salt). Child SA keys (section 2.17): "encryption initiator
 * key" etc., followed by the SPIs charon installed ({@code adding inbound ESP SA / SPI 0x..}; the
 * outbound SPI follows {@code registering outbound ESP SA} when charon answers a Child SA rekey). Keys of an
 * IKE SA rekey charon starts are logged in the old SA's lines, after {@code initiating IKE_SA name[new id]}:
 * they are filed under the new SA's id.
 *
 * @param ikeSas IKE SA key sets in log order
 * @param childSas Child SA key sets in log order
 */
public record CharonKeyLog(List<IkeKeys> ikeSas, List<ChildKeys> childSas) {

    private static final Pattern LINE = Pattern.compile("^(?:.*?\\s)?(\\d{2})\\[(\\w+)\\] (?:<(?:([^|>]*)\\|)?(\\d+)> )?(.*)$");
    private static final Pattern DUMP = Pattern.compile("^(.+?) => (\\d+) bytes @ 0x[0-9a-fA-F]+$");
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+: ((?:[0-9A-F]{2} ?)+)");
    private static final Pattern IKE_SA = Pattern.compile("IKE_SA \\S+\\[(\\d+)\\]");
    private static final Pattern INITIATING = Pattern.compile("^initiating IKE_SA \\S+\\[(\\d+)\\]");
    private static final Pattern SPI = Pattern.compile("^\\s+SPI 0x([0-9a-f]+), src (\\S+) dst (\\S+)");
    private static final Pattern PARSED = Pattern.compile("^parsed (\\S+) (request|response) ");
    private static final Pattern USING = Pattern.compile("^\\s+using (\\S+) for (encryption|integrity)");

    /**
     * The keys of one IKE SA.
     *
     * @param uniqueId unique id of the IKE SA the keys belong to (matches {@link IkeSa#uniqueId()}; also
     *        for a rekeyed IKE SA, whichever side started the rekey), or 0 when not found
     * @param keys label ({@code Sk_d}, {@code Sk_ei}, ...) to bytes
     */
    public record IkeKeys(int uniqueId, Map<String, byte[]> keys) {

        /** @return SK_d */
        public byte[] skD() {
            return get("Sk_d");
        }

        /** @return SK_ei (with salt for AEAD) */
        public byte[] skEi() {
            return get("Sk_ei");
        }

        /** @return SK_er (with salt for AEAD) */
        public byte[] skEr() {
            return get("Sk_er");
        }

        /** @return SK_ai, empty for AEAD */
        public byte[] skAi() {
            return get("Sk_ai");
        }

        /** @return SK_ar, empty for AEAD */
        public byte[] skAr() {
            return get("Sk_ar");
        }

        /** @return SK_pi */
        public byte[] skPi() {
            return get("Sk_pi");
        }

        /** @return SK_pr */
        public byte[] skPr() {
            return get("Sk_pr");
        }

        private byte[] get(String label) {
            byte[] b = keys.get(label);
            return b == null ? new byte[0] : b.clone();
        }
    }

    /**
     * The keys of one Child SA pair as charon installed it.
     *
     * @param encrAlg charon's name, e.g. {@code AES_GCM_16}, {@code AES_CBC}
     * @param integAlg e.g. {@code HMAC_SHA2_256_128}, empty for AEAD
     * @param charonInitiator whether this charon initiated the exchange that made the SA
     * @param inboundSpi SPI charon receives with (8 hex digits)
     * @param inboundSrc source address of inbound packets
     * @param inboundDst destination address of inbound packets
     * @param outboundSpi SPI charon sends with
     * @param encryptionInitiator "encryption initiator key" (protects initiator-to-responder traffic)
     * @param encryptionResponder "encryption responder key"
     * @param integrityInitiator "integrity initiator key", empty for AEAD
     * @param integrityResponder "integrity responder key", empty for AEAD
     */
    public record ChildKeys(String encrAlg, String integAlg, boolean charonInitiator, String inboundSpi,
            String inboundSrc, String inboundDst, String outboundSpi, byte[] encryptionInitiator,
            byte[] encryptionResponder, byte[] integrityInitiator, byte[] integrityResponder) {

        /** @return the encryption key of packets charon receives */
        public byte[] inboundEncryptionKey() {
            return (charonInitiator ? encryptionResponder : encryptionInitiator).clone();
        }

        /** @return the encryption key of packets charon sends */
        public byte[] outboundEncryptionKey() {
            return (charonInitiator ? encryptionInitiator : encryptionResponder).clone();
        }

        /** @return the integrity key of packets charon receives (empty for AEAD) */
        public byte[] inboundIntegrityKey() {
            return (charonInitiator ? integrityResponder : integrityInitiator).clone();
        }

        /** @return the integrity key of packets charon sends (empty for AEAD) */
        public byte[] outboundIntegrityKey() {
            return (charonInitiator ? integrityInitiator : integrityResponder).clone();
        }
    }

    /**
     * Parses a charon filelog.
     *
     * @param log the log's text
     * @return all IKE and Child SA keys found
     */
    public static CharonKeyLog parse(String log) {
        List<IkeKeys> ikes = new ArrayList<>();
        List<ChildKeys> children = new ArrayList<>();
        Map<String, ThreadState> threads = new LinkedHashMap<>();
        for (String raw : log.split("\\R")) {
            Matcher line = LINE.matcher(raw);
            if (!line.matches()) {
                continue;
            }
            // with ike_name = yes every line of an IKE SA carries <name|id>: group by SA, else by thread
            String saId = line.group(4);
            ThreadState t = threads.computeIfAbsent(saId != null ? "sa " + saId : "thread " + line.group(1),
                    k -> new ThreadState(saId == null ? 0 : Integer.parseInt(saId)));
            String text = line.group(5);
            Matcher row = ROW.matcher(text);
            if (t.dumpLabel != null && row.find()) {
                t.dumpBytes.writeBytes(HexFormat.ofDelimiter(" ").parseHex(row.group(1).strip()));
                continue;
            }
            t.finishDump();
            collect(t, ikes);
            Matcher m;
            if ((m = DUMP.matcher(text)).matches()) {
                t.startDump(m.group(1), Integer.parseInt(m.group(2)));
            } else if ((m = PARSED.matcher(text)).find()) {
                t.charonInitiator = m.group(2).equals("response");
            } else if ((m = USING.matcher(text)).find()) {
                if (m.group(2).equals("encryption")) {
                    t.encrAlg = m.group(1);
                    t.integAlg = "";
                } else {
                    t.integAlg = m.group(1);
                }
            } else if (text.equals("adding inbound ESP SA")) {
                t.direction = "in";
            } else if (text.equals("adding outbound ESP SA") || text.equals("registering outbound ESP SA")) {
                // a responder of a Child SA rekey registers the outbound SA first and installs it ("adding")
                // only when the old one is deleted: the first of the two completes the key set
                t.direction = "out";
            } else if ((m = SPI.matcher(text)).find() && t.child != null) {
                if ("in".equals(t.direction)) {
                    t.child.put("inSpi", m.group(1));
                    t.child.put("inSrc", m.group(2));
                    t.child.put("inDst", m.group(3));
                } else {
                    t.child.put("outSpi", m.group(1));
                    children.add(t.toChild());
                    t.child = null;
                }
            } else if (t.saId != 0 && (m = INITIATING.matcher(text)).find() && Integer.parseInt(m.group(1)) != t.saId) {
                // this SA rekeys itself: the keys it derives next (processing the response) are the new SA's
                t.initiatingId = Integer.parseInt(m.group(1));
            } else if (t.saId == 0 && (m = IKE_SA.matcher(text)).find() && t.ike != null) {
                ikes.add(new IkeKeys(Integer.parseInt(m.group(1)), Map.copyOf(t.ike)));
                t.ike = null;
            }
        }
        threads.values().forEach(t -> {
            t.finishDump();
            collect(t, ikes);
            if (t.ike != null) {
                ikes.add(new IkeKeys(t.ikeId, Map.copyOf(t.ike)));
            }
        });
        return new CharonKeyLog(List.copyOf(ikes), List.copyOf(children));
    }

    /** Moves a finished dump into the IKE or Child key set of its thread. */
    private static void collect(ThreadState t, List<IkeKeys> ikes) {
        if (t.doneLabel == null) {
            return;
        }
        String label = t.doneLabel;
        byte[] bytes = t.doneBytes;
        t.doneLabel = null;
        if (label.startsWith("Sk_") && label.endsWith(" secret")) {
            String key = label.substring(0, label.length() - " secret".length());
            if (key.equals("Sk_d")) {
                if (t.ike != null) {
                    ikes.add(new IkeKeys(t.ikeId, Map.copyOf(t.ike)));
                }
                t.ike = new LinkedHashMap<>();
                t.ikeId = t.initiatingId != 0 ? t.initiatingId : t.saId;
                t.initiatingId = 0;
            }
            if (t.ike != null) {
                t.ike.put(key, bytes);
            }
        } else if (label.matches("(encryption|integrity) (initiator|responder) key")) {
            if (t.child == null || label.equals("encryption initiator key")) {
                t.child = new HashMap<>();
            }
            t.child.put(label, bytes);
        }
    }

    /**
     * @param uniqueId an IKE SA's unique id, e.g. {@link IkeSa#uniqueId()}
     * @return the keys logged for it (the last set, if it was logged more than once)
     */
    public Optional<IkeKeys> ike(int uniqueId) {
        IkeKeys found = null;
        for (IkeKeys k : ikeSas) {
            if (k.uniqueId() == uniqueId) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * @param spi a Child SA's inbound or outbound SPI as swanctl prints it (8 hex digits)
     * @return the Child SA keys installed with that SPI
     */
    public Optional<ChildKeys> child(String spi) {
        return childSas.stream()
                .filter(c -> c.inboundSpi().equalsIgnoreCase(spi) || c.outboundSpi().equalsIgnoreCase(spi))
                .reduce((a, b) -> b);
    }

    /** Per-thread parser state. */
    private static final class ThreadState {
        final int saId;
        String dumpLabel;
        int dumpLength;
        ByteArrayOutputStream dumpBytes = new ByteArrayOutputStream();
        String doneLabel;
        byte[] doneBytes;
        Map<String, byte[]> ike;
        /** The IKE SA the key set in {@link #ike} belongs to. */
        int ikeId;
        /** The new IKE SA this one's rekey is setting up ("initiating IKE_SA name[id]"), else 0. */
        int initiatingId;
        Map<String, Object> child;
        boolean charonInitiator;
        String encrAlg = "";
        String integAlg = "";
        String direction;

        ThreadState(int saId) {
            this.saId = saId;
        }

        void startDump(String label, int length) {
            dumpLabel = label;
            dumpLength = length;
            dumpBytes.reset();
        }

        void finishDump() {
            if (dumpLabel != null) {
                byte[] b = dumpBytes.toByteArray();
                if (b.length == dumpLength) {
                    doneLabel = dumpLabel;
                    doneBytes = b;
                }
                dumpLabel = null;
            }
        }

        ChildKeys toChild() {
            return new ChildKeys(encrAlg, integAlg, charonInitiator, (String) child.getOrDefault("inSpi", ""),
                    (String) child.getOrDefault("inSrc", ""), (String) child.getOrDefault("inDst", ""),
                    (String) child.get("outSpi"), bytes("encryption initiator key"),
                    bytes("encryption responder key"), bytes("integrity initiator key"),
                    bytes("integrity responder key"));
        }

        private byte[] bytes(String label) {
            Object b = child.get(label);
            return b == null ? new byte[0] : (byte[]) b;
        }
    }
}
