package org.mobilevpn.api.ike;

import java.util.Objects;
import org.mobilevpn.api.ipsec.SecretBytes;

/**
 * The keys of an IKE SA (RFC 7296 §2.14), named by direction: "i" protects what the initiator (we)
 * sends, "r" what the responder sends. Owned by whoever received them; {@link #close()} wipes all.
 * The integrity keys are empty with an AEAD cipher; for AES-GCM and ChaCha20-Poly1305 each encryption
 * key carries its 4-octet salt at the end, as RFC 5282 §7.1 derives it.
 */
public record IkeSaKeys(SecretBytes skD, SecretBytes skAi, SecretBytes skAr, SecretBytes skEi, SecretBytes skEr,
        SecretBytes skPi, SecretBytes skPr) implements AutoCloseable {

    public IkeSaKeys {
        Objects.requireNonNull(skD);
        Objects.requireNonNull(skAi);
        Objects.requireNonNull(skAr);
        Objects.requireNonNull(skEi);
        Objects.requireNonNull(skEr);
        Objects.requireNonNull(skPi);
        Objects.requireNonNull(skPr);
    }

    @Override
    public void close() {
        skD.close();
        skAi.close();
        skAr.close();
        skEi.close();
        skEr.close();
        skPi.close();
        skPr.close();
    }
}
