package org.mobilevpn.esp;

import java.util.Set;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.esp.crypto.JdkClmulGhash;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The esp bundle's service: RFC 4303 tunnel-mode transforms built from {@link EspSa} data. Stateless
 * itself, so the bundle can be swapped and its successor rebuilds transforms from the same SA data.
 */
@Component(service = EspTransformFactory.class)
public final class EspTransformFactoryComponent implements EspTransformFactory {

    /** Says once which AES-GCM the SAs get: a fallback to a slower GHASH is something an operator should see. */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetLogger")
    void setLogger(Logger logger) {
        String choice = PacketCipherChooser.aesGcmChoice();
        if (choice.equals(PacketCipherChooser.FALLBACK_AES_GCM) && JdkClmulGhash.UNAVAILABLE != null
                && System.getProperty(PacketCipherChooser.AES_GCM_PROPERTY) == null) {
            logger.warn("AES-GCM: GHASH in constant time in plain Java, several times slower than the JDK's carry-less "
                    + "multiplication, because " + JdkClmulGhash.UNAVAILABLE);
        } else {
            logger.info("AES-GCM: " + choice + " GHASH");
        }
    }

    void unsetLogger(Logger logger) {
        // nothing kept
    }

    @Override
    public Set<EncryptionAlgorithm> supportedEncryption() {
        return PacketCipherChooser.supportedEncryption();
    }

    @Override
    public Set<IntegrityAlgorithm> supportedIntegrity() {
        return PacketCipherChooser.supportedIntegrity();
    }

    @Override
    public EspEncryptor createEncryptor(EspSa sa, EspSaListener listener) {
        requireUsable(sa, SaDirection.OUTBOUND);
        return new TunnelModeEncryptor(sa, PacketCipherChooser.create(sa), listener);
    }

    @Override
    public EspDecryptor createDecryptor(EspSa sa, EspSaListener listener) {
        requireUsable(sa, SaDirection.INBOUND);
        return new TunnelModeDecryptor(sa, PacketCipherChooser.create(sa), listener);
    }

    private static void requireUsable(EspSa sa, SaDirection direction) {
        if (sa.direction() != direction) {
            throw new IllegalArgumentException("expected an " + direction + " SA: " + sa);
        }
        if (sa.keys().isClosed()) {
            throw new IllegalArgumentException("SA keys already wiped: " + sa);
        }
    }
}
