package org.mobilevpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.PrfAlgorithm;

/** Known-answer tests of every cipher, MAC and PRF, with vectors from the RFCs named per test. */
class PrimitiveKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] h(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 4231 §4.2, §4.3 and §4.8 (test cases 1, 2, 7) for the three PRFs. */
    @Test
    void hmacPrfRfc4231() {
        Prf sha256 = CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_256);
        Prf sha384 = CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_384);
        Prf sha512 = CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_512);
        byte[] key1 = new byte[20];
        Arrays.fill(key1, (byte) 0x0b);
        assertArrayEquals(h("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                sha256.compute(key1, ascii("Hi There")));
        assertArrayEquals(h("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
                sha384.compute(key1, ascii("Hi "), ascii("There")));
        assertArrayEquals(h("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
                + "be9d914eeb61f1702e696c203a126854"), sha512.compute(key1, ascii("Hi There")));
        assertArrayEquals(h("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                sha256.compute(ascii("Jefe"), ascii("what do ya want for nothing?")));
        byte[] key7 = new byte[131];
        Arrays.fill(key7, (byte) 0xaa);
        assertArrayEquals(h("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                sha256.compute(key7, ascii("Test Using Larger Than Block-Size Key - Hash Key First")));
        assertEquals(48, sha384.outputLength());
    }

    /** RFC 4231 §4.6 (test case 5, output truncated to 128 bits) for the truncating integrity transforms. */
    @Test
    void hmacIntegrityTruncatesRfc4231() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0c);
        byte[] data = ascii("Test With Truncation");
        IkeIntegrity i256 = CryptoFactory.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128);
        assertArrayEquals(h("a3b6167473100ee06e0c796c2955552b"), i256.compute(key, data, 0, data.length));
        // 384-192 and 512-256 keep more: their first 128 bits are the RFC's truncated values.
        byte[] i384 = CryptoFactory.integrity(IntegrityAlgorithm.HMAC_SHA2_384_192).compute(key, data, 0, data.length);
        assertEquals(24, i384.length);
        assertArrayEquals(h("3abf34c3503b2a23a46efc619baef897"), Arrays.copyOf(i384, 16));
        byte[] i512 = CryptoFactory.integrity(IntegrityAlgorithm.HMAC_SHA2_512_256).compute(key, data, 0, data.length);
        assertEquals(32, i512.length);
        assertArrayEquals(h("415fad6271580a531d4179bc891d87a6"), Arrays.copyOf(i512, 16));
    }

    /** RFC 3602 §4 cases 1 and 2 (AES-128-CBC) and NIST SP 800-38A F.2.5 (AES-256-CBC). */
    @Test
    void aesCbc() throws Exception {
        IkeCipher aes128 = CryptoFactory.cipher(EncryptionAlgorithm.AES_CBC_128);
        assertArrayEquals(h("e353779c1079aeb82708942dbe77181a"), aes128.encrypt(h("06a9214036b8a15b512e03d534120006"),
                h("3dafba429d9eb430b422da802c9fac41"), ascii("Single block msg"), null));
        byte[] pt2 = h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] ct2 = h("d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1");
        byte[] key2 = h("c286696d887c9aa0611bbb3e2025a45a");
        byte[] iv2 = h("562e17996d093d28ddb3ba695a2e6f58");
        assertArrayEquals(ct2, aes128.encrypt(key2, iv2, pt2, null));
        assertArrayEquals(pt2, aes128.decrypt(key2, iv2, ct2, 0, ct2.length, null));
        IkeCipher aes256 = CryptoFactory.cipher(EncryptionAlgorithm.AES_CBC_256);
        assertArrayEquals(h("f58c4c04d6e5f1ba779eabfb5f7bfbd6"),
                aes256.encrypt(h("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"),
                        h("000102030405060708090a0b0c0d0e0f"), h("6bc1bee22e409f96e93d7e117393172a"), null));
        assertEquals(16, aes256.ivLength());
        assertEquals(32, aes256.keyMaterialLength());
    }

    /**
     * The GCM specification's test cases 4 (AES-128) and 16 (AES-256) (McGrew and Viega, "The Galois/Counter
     * Mode of Operation", 2005): the 12-octet IV is our salt (key material tail) plus the 8-octet explicit IV.
     */
    @Test
    void aesGcm16() throws Exception {
        byte[] iv = h("cafebabefacedbaddecaf888");
        byte[] aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] pt = h("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                + "b16aedf5aa0de657ba637b39");
        byte[] ct128 = h("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
                + "1ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47");
        byte[] ct256 = h("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
                + "c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
        byte[] key128 = concat(h("feffe9928665731c6d6a8f9467308308"), Arrays.copyOf(iv, 4));
        byte[] key256 = concat(h("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"), Arrays.copyOf(iv, 4));
        byte[] explicitIv = Arrays.copyOfRange(iv, 4, 12);
        IkeCipher gcm128 = CryptoFactory.cipher(EncryptionAlgorithm.AES_GCM_16_128);
        IkeCipher gcm256 = CryptoFactory.cipher(EncryptionAlgorithm.AES_GCM_16_256);
        assertArrayEquals(ct128, gcm128.encrypt(key128, explicitIv, pt, aad));
        assertArrayEquals(ct256, gcm256.encrypt(key256, explicitIv, pt, aad));
        assertArrayEquals(pt, gcm256.decrypt(key256, explicitIv, ct256, 0, ct256.length, aad));
        assertEquals(36, gcm256.keyMaterialLength());
        byte[] tampered = ct256.clone();
        tampered[3] ^= 1;
        assertThrows(AEADBadTagException.class, () -> gcm256.decrypt(key256, explicitIv, tampered, 0, tampered.length, aad));
    }

    /** RFC 8439 §2.8.2: the nonce 07000000 || 4041424344454647 is our salt plus explicit IV (RFC 7634 §4). */
    @Test
    void chacha20Poly1305Rfc8439() throws Exception {
        byte[] key = concat(h("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"), h("07000000"));
        byte[] iv = h("4041424344454647");
        byte[] aad = h("50515253c0c1c2c3c4c5c6c7");
        byte[] pt = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.");
        byte[] expected = h("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3f"
                + "f4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
        IkeCipher chacha = CryptoFactory.cipher(EncryptionAlgorithm.CHACHA20_POLY1305);
        assertArrayEquals(expected, chacha.encrypt(key, iv, pt, aad));
        assertArrayEquals(pt, chacha.decrypt(key, iv, expected, 0, expected.length, aad));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
