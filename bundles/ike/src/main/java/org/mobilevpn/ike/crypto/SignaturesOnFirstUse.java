package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link AuthSignatures} whose faster implementation (OpenSSL's libcrypto, {@link OpenSslAuthSignatures}) is
 * loaded at the first signature made or checked, not when the engine starts. Only certificate authentication signs
 * or checks signatures (RFC 7296 §2.15, RFC 7427 §3); a runtime whose connections use a PSK or EAP on both sides
 * never does, and so never maps the library (1.6 MiB of RSS) nor has OpenSSL build its algorithm tables
 * (docs/benchmarks.md, "Session 5: RSS").
 *
 * <p>When the loader fails with a {@link LinkageError} (no usable libcrypto), the fallback does everything from
 * then on, and {@code unavailable} is told once. After {@link #close()} nothing more is loaded.
 */
public final class SignaturesOnFirstUse implements AuthSignatures, AutoCloseable {
    private final Supplier<? extends AuthSignatures> loader;
    private final AuthSignatures fallback;
    private final Consumer<LinkageError> unavailable;
    private AuthSignatures chosen;
    private boolean closed;

    /**
     * @param loader      makes the faster implementation (may throw {@link LinkageError}); called at most once
     * @param fallback    what signs when the loader failed or after {@link #close()}
     * @param unavailable told why the loader failed
     */
    public SignaturesOnFirstUse(Supplier<? extends AuthSignatures> loader, AuthSignatures fallback,
            Consumer<LinkageError> unavailable) {
        this.loader = loader;
        this.fallback = fallback;
        this.unavailable = unavailable;
    }

    @Override
    public byte[] sign(String algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        return chosen().sign(algorithm, key, data);
    }

    @Override
    public boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        return chosen().verify(algorithm, key, data, signature);
    }

    /** Whether the faster implementation has been loaded. */
    public synchronized boolean loaded() {
        return chosen != null && chosen != fallback;
    }

    private synchronized AuthSignatures chosen() {
        if (closed) {
            return fallback;
        }
        if (chosen == null) {
            try {
                chosen = loader.get();
            } catch (LinkageError e) {
                chosen = fallback;
                unavailable.accept(e);
            }
        }
        return chosen;
    }

    /** Closes the loaded implementation (frees its native keys); from then on the fallback signs. */
    @Override
    public synchronized void close() throws Exception {
        closed = true;
        if (chosen instanceof AutoCloseable c && chosen != fallback) {
            c.close();
        }
    }
}
