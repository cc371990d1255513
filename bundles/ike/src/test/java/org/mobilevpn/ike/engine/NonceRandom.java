package org.mobilevpn.ike.engine;

import java.security.SecureRandom;

/**
 * SecureRandom whose next 32-octet draw can be fixed by a test, to decide a rekey collision (RFC 7296
 * §2.8.1) on purpose: the engine draws a nonce before its key pair, and SPIs come as 4-octet pieces.
 */
public final class NonceRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private transient byte[] next;

    /** The next 32-octet draw returns {@code nonce}. */
    public synchronized void nextNonce(byte[] nonce) {
        next = nonce.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        if (next != null && bytes.length == next.length) {
            System.arraycopy(next, 0, bytes, 0, bytes.length);
            next = null;
            return;
        }
        super.nextBytes(bytes);
    }
}
