package org.mobilevpn.ike.crypto;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.WeakReference;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link AuthSignatures} through the platform's OpenSSL libcrypto (present wherever strongSwan is), for RSA
 * PKCS#1 v1.5 and DER-encoded ECDSA with SHA-1/SHA-2 (RFC 7427 §3, RFC 7296 §3.8 method 1). Why: on the
 * project's machine OpenSSL signs with RSA 3072 about twice and with ECDSA P-256 about twenty times as fast
 * as the JDK 17 (docs/benchmarks.md). Any other algorithm, a key the JDK does not export (getEncoded
 * null) and an operation OpenSSL refuses (e.g. SHA-1 under a FIPS configuration) go to the fallback.
 *
 * <p>A key is parsed into OpenSSL once and kept while the Java key object lives (a profile keeps its key
 * object), because OpenSSL's first use of an RSA key builds its Montgomery contexts, which costs more than
 * the signature. The native copies are freed when their Java key has been collected (checked on each use)
 * and all at {@link #close()}; OpenSSL clears private key numbers when it frees them, and the DER copy on
 * the way in is wiped.
 */
public final class OpenSslAuthSignatures implements AuthSignatures, AutoCloseable {
    private static final Pattern SUPPORTED = Pattern.compile("SHA(1|256|384|512)with(RSA|ECDSA)");

    private final LibCrypto lib;
    private final AuthSignatures fallback;
    private final List<NativeKey> keys = new ArrayList<>();
    private boolean closed;

    private OpenSslAuthSignatures(LibCrypto lib, AuthSignatures fallback) {
        this.lib = lib;
        this.fallback = fallback;
    }

    /**
     * Loads libcrypto.
     *
     * @throws LinkageError (UnsatisfiedLinkError) when there is no usable libcrypto on this system
     */
    public static OpenSslAuthSignatures load(AuthSignatures fallback) {
        LibCrypto lib;
        try {
            lib = Native.load("crypto", LibCrypto.class);
        } catch (UnsatisfiedLinkError e) {
            lib = Native.load("libcrypto.so.3", LibCrypto.class); // a system with the runtime package only
        }
        if (lib.EVP_get_digestbyname("SHA256") == null) {
            throw new UnsatisfiedLinkError("libcrypto without SHA-256");
        }
        return new OpenSslAuthSignatures(lib, fallback);
    }

    @Override
    public byte[] sign(String algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Pointer digest = digestFor(algorithm, key);
        Pointer pkey = digest == null ? null : nativeKey(key, true);
        if (pkey == null) {
            return fallback.sign(algorithm, key, data);
        }
        Pointer ctx = lib.EVP_MD_CTX_new();
        try {
            NativeLongByReference length = new NativeLongByReference();
            byte[] signature = null;
            if (ctx != null && lib.EVP_DigestSignInit(ctx, null, digest, null, pkey) == 1
                    && lib.EVP_DigestSign(ctx, null, length, data, new NativeLong(data.length)) == 1) {
                signature = new byte[length.getValue().intValue()];
                if (lib.EVP_DigestSign(ctx, signature, length, data, new NativeLong(data.length)) != 1) {
                    signature = null;
                }
            }
            if (signature == null) {
                // e.g. a FIPS configuration refusing SHA-1: the JDK may still do it, as before OpenSSL was used
                lib.ERR_clear_error();
                return fallback.sign(algorithm, key, data);
            }
            int actual = length.getValue().intValue(); // ECDSA's DER length varies
            return actual == signature.length ? signature : Arrays.copyOf(signature, actual);
        } finally {
            lib.EVP_MD_CTX_free(ctx);
        }
    }

    @Override
    public boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Pointer digest = digestFor(algorithm, key);
        Pointer pkey = digest == null ? null : nativeKey(key, false);
        if (pkey == null) {
            return fallback.verify(algorithm, key, data, signature);
        }
        Pointer ctx = lib.EVP_MD_CTX_new();
        try {
            if (ctx == null || lib.EVP_DigestVerifyInit(ctx, null, digest, null, pkey) != 1) {
                lib.ERR_clear_error();
                return fallback.verify(algorithm, key, data, signature);
            }
            boolean ok = lib.EVP_DigestVerify(ctx, signature, new NativeLong(signature.length), data,
                    new NativeLong(data.length)) == 1;
            lib.ERR_clear_error(); // a bad signature leaves an error on the thread's queue
            return ok;
        } finally {
            lib.EVP_MD_CTX_free(ctx);
        }
    }

    /** The digest of an algorithm this class does with this key's type, or null for the fallback. */
    private Pointer digestFor(String algorithm, Key key) {
        Matcher m = SUPPORTED.matcher(algorithm);
        if (!m.matches() || (m.group(2).equals("RSA") ? !(key instanceof RSAKey) : !(key instanceof ECKey))) {
            return null;
        }
        return lib.EVP_get_digestbyname("SHA" + m.group(1));
    }

    /** OpenSSL's copy of {@code key}, parsed on first use; null if the key is not exportable or not parseable. */
    private synchronized Pointer nativeKey(Key key, boolean isPrivate) {
        if (closed) {
            return null;
        }
        for (Iterator<NativeKey> it = keys.iterator(); it.hasNext();) {
            NativeKey k = it.next();
            Key owner = k.owner.get();
            if (owner == key) {
                return k.pkey;
            }
            if (owner == null) {
                lib.EVP_PKEY_free(k.pkey);
                it.remove();
            }
        }
        byte[] der = key.getEncoded();
        if (der == null) {
            return null;
        }
        Memory in = new Memory(der.length);
        try {
            in.write(0, der, 0, der.length);
            PointerByReference cursor = new PointerByReference(in);
            Pointer pkey = isPrivate ? lib.d2i_AutoPrivateKey(null, cursor, new NativeLong(der.length))
                    : lib.d2i_PUBKEY(null, cursor, new NativeLong(der.length));
            if (pkey == null) {
                lib.ERR_clear_error();
                return null;
            }
            keys.add(new NativeKey(new WeakReference<>(key), pkey));
            return pkey;
        } finally {
            Arrays.fill(der, (byte) 0);
            in.clear();
            in.close();
        }
    }

    /** Frees every native key; afterwards everything goes to the fallback. */
    @Override
    public synchronized void close() {
        closed = true;
        for (NativeKey k : keys) {
            lib.EVP_PKEY_free(k.pkey);
        }
        keys.clear();
    }

    private record NativeKey(WeakReference<Key> owner, Pointer pkey) {
    }
}
