package org.mobilevpn.api.esp;

import java.util.Set;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The esp bundle's service: builds transforms from SA data. Each call returns a new, independent
 * transform holding its own copies of the keys; the {@link EspSa} stays owned (and closed) by the caller.
 */
@ProviderType
public interface EspTransformFactory {

    /** The encryption transforms this implementation supports. */
    Set<EncryptionAlgorithm> supportedEncryption();

    /** The integrity transforms this implementation supports (always includes {@link IntegrityAlgorithm#NONE}). */
    Set<IntegrityAlgorithm> supportedIntegrity();

    /**
     * Builds the outbound transform of an {@link SaDirection#OUTBOUND} SA.
     *
     * @throws IllegalArgumentException if the SA is inbound, closed, or uses an unsupported algorithm
     */
    EspEncryptor createEncryptor(EspSa sa, EspSaListener listener);

    /**
     * Builds the inbound transform (with its anti-replay window) of an {@link SaDirection#INBOUND} SA.
     *
     * @throws IllegalArgumentException if the SA is outbound, closed, or uses an unsupported algorithm
     */
    EspDecryptor createDecryptor(EspSa sa, EspSaListener listener);
}
