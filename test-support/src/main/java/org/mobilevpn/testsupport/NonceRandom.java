package org.mobilevpn.testsupport;

import java.security.SecureRandom;

/**
 * SecureRandom whose next draw of a given length can be fixed by a test, e.g. to decide an IKE rekey
 * collision (RFC 7296 §2.8.1) on purpose: the IKE engine draws a 32-octet nonce before its key pair, and
 * SPIs come as 4-octet pieces, so fixing the next 32-octet draw fixes the next nonce only.
 */
public final class NonceRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private transient byte[] next;

    /** The next draw of {@code nonce.length} octets returns {@code nonce}. */
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
