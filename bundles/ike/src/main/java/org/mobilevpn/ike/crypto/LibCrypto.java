package org.mobilevpn.ike.crypto;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few functions of OpenSSL's libcrypto (1.1.1 or 3.x, the EVP interface) that {@link OpenSslAuthSignatures}
 * calls, mapped by JNA. {@code long} and {@code size_t} are {@link NativeLong}: the same width as a C long on
 * Linux, 32-bit ARM gateways included.
 */
interface LibCrypto extends Library {

    /** {@code EVP_PKEY *d2i_AutoPrivateKey(EVP_PKEY **a, const unsigned char **pp, long length)}: PKCS#8 DER. */
    Pointer d2i_AutoPrivateKey(Pointer a, PointerByReference pp, NativeLong length);

    /** {@code EVP_PKEY *d2i_PUBKEY(EVP_PKEY **a, const unsigned char **pp, long length)}: SubjectPublicKeyInfo DER. */
    Pointer d2i_PUBKEY(Pointer a, PointerByReference pp, NativeLong length);

    void EVP_PKEY_free(Pointer pkey);

    Pointer EVP_get_digestbyname(String name);

    Pointer EVP_MD_CTX_new();

    void EVP_MD_CTX_free(Pointer ctx);

    int EVP_DigestSignInit(Pointer ctx, Pointer pctx, Pointer md, Pointer engine, Pointer pkey);

    /** With {@code sig} null, stores the largest signature length in {@code siglen}. */
    int EVP_DigestSign(Pointer ctx, byte[] sig, NativeLongByReference siglen, byte[] tbs, NativeLong tbslen);

    int EVP_DigestVerifyInit(Pointer ctx, Pointer pctx, Pointer md, Pointer engine, Pointer pkey);

    int EVP_DigestVerify(Pointer ctx, byte[] sig, NativeLong siglen, byte[] tbs, NativeLong tbslen);

    void ERR_clear_error();
}
