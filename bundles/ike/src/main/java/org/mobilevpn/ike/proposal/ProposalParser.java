package org.mobilevpn.ike.proposal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.ike.message.ProtocolId;

/**
 * Reads proposals in strongSwan's keyword syntax ({@code aes256gcm16-prfsha384-x25519},
 * {@code aes128-sha256-modp2048}, ESP {@code aes256-sha256-esn}): algorithms joined by '-', any
 * number per transform type. As in strongSwan, an IKE proposal without a PRF keyword uses the PRFs
 * matching its integrity algorithms (or all SHA-2 PRFs with an AEAD cipher), and an ESP proposal
 * without {@code esn} / {@code noesn} offers no ESN. Unknown keywords are errors naming the keyword.
 */
public final class ProposalParser {
    private static final Map<String, EncryptionAlgorithm> ENCRYPTION = new LinkedHashMap<>();
    private static final Map<String, IntegrityAlgorithm> INTEGRITY = new LinkedHashMap<>();
    private static final Map<String, PrfAlgorithm> PRF = new LinkedHashMap<>();
    private static final Map<String, KeyExchangeMethod> KE = new LinkedHashMap<>();

    static {
        ENCRYPTION.put("aes", EncryptionAlgorithm.AES_CBC_128);
        for (EncryptionAlgorithm a : EncryptionAlgorithm.values()) {
            switch (a.transformName()) {
                case "AES_CBC" -> ENCRYPTION.put("aes" + a.keyBits(), a);
                case "AES_GCM_16" -> {
                    ENCRYPTION.put("aes" + a.keyBits() + "gcm16", a);
                    ENCRYPTION.put("aes" + a.keyBits() + "gcm128", a);
                }
                default -> { }
            }
        }
        ENCRYPTION.put("chacha20poly1305", EncryptionAlgorithm.CHACHA20_POLY1305);
        INTEGRITY.put("sha256", IntegrityAlgorithm.HMAC_SHA2_256_128);
        INTEGRITY.put("sha2_256", IntegrityAlgorithm.HMAC_SHA2_256_128);
        INTEGRITY.put("sha384", IntegrityAlgorithm.HMAC_SHA2_384_192);
        INTEGRITY.put("sha2_384", IntegrityAlgorithm.HMAC_SHA2_384_192);
        INTEGRITY.put("sha512", IntegrityAlgorithm.HMAC_SHA2_512_256);
        INTEGRITY.put("sha2_512", IntegrityAlgorithm.HMAC_SHA2_512_256);
        PRF.put("prfsha256", PrfAlgorithm.HMAC_SHA2_256);
        PRF.put("prfsha384", PrfAlgorithm.HMAC_SHA2_384);
        PRF.put("prfsha512", PrfAlgorithm.HMAC_SHA2_512);
        KE.put("modp2048", KeyExchangeMethod.MODP_2048);
        KE.put("modp3072", KeyExchangeMethod.MODP_3072);
        KE.put("ecp256", KeyExchangeMethod.ECP_256);
        KE.put("ecp384", KeyExchangeMethod.ECP_384);
        KE.put("x25519", KeyExchangeMethod.CURVE25519);
        KE.put("curve25519", KeyExchangeMethod.CURVE25519);
    }

    private ProposalParser() {
    }

    /** Parses an IKE proposal ({@code proposals} in swanctl.conf). */
    public static ProposalSpec parseIke(String text) {
        return parse(text, true);
    }

    /** Parses an ESP proposal ({@code esp_proposals}); a KE keyword asks for PFS when rekeying. */
    public static ProposalSpec parseEsp(String text) {
        return parse(text, false);
    }

    /** Parses a list of IKE proposals; the error names the offending entry. */
    public static List<ProposalSpec> parseIke(List<String> texts) {
        List<ProposalSpec> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parseIke(t));
        }
        return out;
    }

    public static List<ProposalSpec> parseEsp(List<String> texts) {
        List<ProposalSpec> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parseEsp(t));
        }
        return out;
    }

    private static ProposalSpec parse(String text, boolean ike) {
        String kind = ike ? "proposals" : "esp_proposals";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(kind + ": empty proposal");
        }
        String normalized = text.strip().toLowerCase(Locale.ROOT);
        List<EncryptionAlgorithm> encryption = new ArrayList<>();
        List<IntegrityAlgorithm> integrity = new ArrayList<>();
        List<PrfAlgorithm> prf = new ArrayList<>();
        List<KeyExchangeMethod> ke = new ArrayList<>();
        List<Boolean> esn = new ArrayList<>();
        for (String keyword : normalized.split("-", -1)) {
            if (ENCRYPTION.containsKey(keyword)) {
                addOnce(encryption, ENCRYPTION.get(keyword));
            } else if (INTEGRITY.containsKey(keyword)) {
                addOnce(integrity, INTEGRITY.get(keyword));
            } else if (PRF.containsKey(keyword)) {
                if (!ike) {
                    throw error(kind, text, "'" + keyword + "' is a PRF; ESP proposals have none");
                }
                addOnce(prf, PRF.get(keyword));
            } else if (KE.containsKey(keyword)) {
                addOnce(ke, KE.get(keyword));
            } else if (keyword.equals("esn") || keyword.equals("noesn")) {
                if (ike) {
                    throw error(kind, text, "'" + keyword + "' applies to ESP proposals only");
                }
                addOnce(esn, keyword.equals("esn"));
            } else {
                throw error(kind, text, keyword.isEmpty() ? "empty algorithm name"
                        : "unknown or unsupported algorithm '" + keyword + "' (supported: " + supported(ike) + ")");
            }
        }
        if (encryption.isEmpty()) {
            throw error(kind, text, "no encryption algorithm");
        }
        boolean aead = encryption.get(0).isAead();
        for (EncryptionAlgorithm e : encryption) {
            if (e.isAead() != aead) {
                throw error(kind, text, "mixes AEAD and non-AEAD encryption algorithms");
            }
        }
        if (aead && !integrity.isEmpty()) {
            throw error(kind, text, "an AEAD cipher takes no integrity algorithm");
        }
        if (!aead && integrity.isEmpty()) {
            throw error(kind, text, "no integrity algorithm for a non-AEAD cipher");
        }
        if (ike) {
            if (ke.isEmpty()) {
                throw error(kind, text, "no key exchange method (e.g. x25519, ecp256, modp2048)");
            }
            if (prf.isEmpty()) {
                if (aead) {
                    prf.addAll(List.of(PrfAlgorithm.HMAC_SHA2_256, PrfAlgorithm.HMAC_SHA2_384, PrfAlgorithm.HMAC_SHA2_512));
                } else {
                    for (IntegrityAlgorithm i : integrity) {
                        addOnce(prf, prfFor(i));
                    }
                }
            }
        } else if (esn.isEmpty()) {
            esn.add(false);
        }
        return new ProposalSpec(ike ? ProtocolId.IKE : ProtocolId.ESP, text.strip(), encryption,
                integrity, prf, ke, esn);
    }

    private static PrfAlgorithm prfFor(IntegrityAlgorithm integrity) {
        switch (integrity) {
            case HMAC_SHA2_256_128: return PrfAlgorithm.HMAC_SHA2_256;
            case HMAC_SHA2_384_192: return PrfAlgorithm.HMAC_SHA2_384;
            default: return PrfAlgorithm.HMAC_SHA2_512;
        }
    }

    private static <T> void addOnce(List<T> list, T value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    private static String supported(boolean ike) {
        List<String> names = new ArrayList<>(ENCRYPTION.keySet());
        names.addAll(INTEGRITY.keySet());
        if (ike) {
            names.addAll(PRF.keySet());
        } else {
            names.add("esn");
            names.add("noesn");
        }
        names.addAll(KE.keySet());
        return String.join(", ", names);
    }

    private static IllegalArgumentException error(String kind, String text, String problem) {
        return new IllegalArgumentException(kind + ": '" + text + "': " + problem);
    }
}
