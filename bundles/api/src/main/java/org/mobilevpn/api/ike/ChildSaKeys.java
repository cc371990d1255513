package org.mobilevpn.api.ike;

import java.util.Objects;

/**
 * ESP keys of one Child SA (RFC 7296 §2.17), by direction: "in" protects what the gateway sends us,
 * "out" what we send. Salts are the implicit nonce parts of AEAD ciphers (RFC 4106 §8.1, RFC 7634 §2),
 * empty for AES-CBC; integrity keys are empty for AEAD ciphers. {@link #close()} wipes all of them.
 */
public record ChildSaKeys(SecretBytes encryptionIn, SecretBytes saltIn, SecretBytes integrityIn,
        SecretBytes encryptionOut, SecretBytes saltOut, SecretBytes integrityOut) implements AutoCloseable {

    public ChildSaKeys {
        Objects.requireNonNull(encryptionIn);
        Objects.requireNonNull(saltIn);
        Objects.requireNonNull(integrityIn);
        Objects.requireNonNull(encryptionOut);
        Objects.requireNonNull(saltOut);
        Objects.requireNonNull(integrityOut);
    }

    @Override
    public void close() {
        encryptionIn.close();
        saltIn.close();
        integrityIn.close();
        encryptionOut.close();
        saltOut.close();
        integrityOut.close();
    }
}
