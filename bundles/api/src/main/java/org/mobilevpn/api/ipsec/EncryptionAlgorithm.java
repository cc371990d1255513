package org.mobilevpn.api.ipsec;

/**
 * Encryption transforms of IKE and ESP with their key size (RFC 7296 §3.3.2 transform type 1, IANA
 * "Transform Type 1" ids), and every length a packet layout or a key split needs. One constant per
 * strongSwan keyword family and key size: {@code aes256gcm16} is {@link #AES_GCM_16_256}.
 *
 * <p>Key lengths are without salt. AEAD transforms take a salt from the key material right after the
 * key (RFC 4106 §8.1 and RFC 5282 §7.1: 4 octets for AES-GCM; RFC 7634 §2: 4 octets for
 * ChaCha20-Poly1305).
 */
public enum EncryptionAlgorithm {
    /** ENCR_AES_CBC (12) with a 128-bit key, RFC 3602; needs an {@link IntegrityAlgorithm}. */
    AES_CBC_128("AES_CBC", 12, 128, 0, 16, 0, 16),
    /** ENCR_AES_CBC (12) with a 192-bit key. */
    AES_CBC_192("AES_CBC", 12, 192, 0, 16, 0, 16),
    /** ENCR_AES_CBC (12) with a 256-bit key. */
    AES_CBC_256("AES_CBC", 12, 256, 0, 16, 0, 16),
    /** ENCR_AES_GCM_16 (20) with a 128-bit key, RFC 4106 / RFC 5282: 16-octet ICV. */
    AES_GCM_16_128("AES_GCM_16", 20, 128, 4, 8, 16, 4),
    /** ENCR_AES_GCM_16 (20) with a 192-bit key. */
    AES_GCM_16_192("AES_GCM_16", 20, 192, 4, 8, 16, 4),
    /** ENCR_AES_GCM_16 (20) with a 256-bit key. */
    AES_GCM_16_256("AES_GCM_16", 20, 256, 4, 8, 16, 4),
    /** ENCR_CHACHA20_POLY1305 (28), RFC 7634: one key size, so no Key Length attribute on the wire (§4). */
    CHACHA20_POLY1305("CHACHA20_POLY1305", 28, 256, 4, 8, 16, 4);

    private final String transformName;
    private final int ianaId;
    private final int keyBits;
    private final int saltLength;
    private final int ivLength;
    private final int icvLength;
    private final int blockSize;

    EncryptionAlgorithm(String transformName, int ianaId, int keyBits, int saltLength, int ivLength, int icvLength,
                        int blockSize) {
        this.transformName = transformName;
        this.ianaId = ianaId;
        this.keyBits = keyBits;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.blockSize = blockSize;
    }

    /**
     * The transform with this IANA id and Key Length attribute (0: none sent, allowed only for a transform
     * of one key size), or {@code null} when we have none.
     */
    public static EncryptionAlgorithm of(int ianaId, int keyBits) {
        for (EncryptionAlgorithm a : values()) {
            if (a.ianaId == ianaId && (a.keyBits == keyBits || keyBits == 0 && a.fixedKeySize())) {
                return a;
            }
        }
        return null;
    }

    /** The transform's name without key size, as IANA lists it without {@code ENCR_}, e.g. {@code AES_GCM_16}. */
    public String transformName() { return transformName; }

    /** IKEv2 ENCR transform ID (IANA "Transform Type 1"). */
    public int ianaId() { return ianaId; }

    /** Key size in bits, as the Key Length attribute carries it. */
    public int keyBits() { return keyBits; }

    /** Key length in octets, without salt. */
    public int keyLength() { return keyBits / 8; }

    /** Salt (implicit nonce) length in octets taken from the key material after the key; 0 without AEAD. */
    public int saltLength() { return saltLength; }

    /** Explicit IV length carried in each packet. */
    public int ivLength() { return ivLength; }

    /** ICV length of the AEAD tag; 0 without AEAD (the {@link IntegrityAlgorithm} gives it). */
    public int icvLength() { return icvLength; }

    /** Alignment the ciphertext (payload + padding + pad length + next header) must reach. */
    public int blockSize() { return blockSize; }

    /** Combined mode (AEAD): authenticates by itself, no integrity algorithm is negotiated. */
    public boolean isAead() { return icvLength > 0; }

    /** True when the transform has one key size only and so takes no Key Length attribute (RFC 7634 §4). */
    public boolean fixedKeySize() { return this == CHACHA20_POLY1305; }

    /** Name and key size, e.g. {@code AES_GCM_16-256}, as status output shows an algorithm. */
    public String displayName() { return transformName + "-" + keyBits; }
}
