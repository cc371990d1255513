package org.mobilevpn.policy;

import java.util.Arrays;
import org.mobilevpn.api.esp.EspEncryption;
import org.mobilevpn.api.esp.EspIntegrity;
import org.mobilevpn.api.esp.EspKeys;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.EncryptionAlgorithm;
import org.mobilevpn.api.ike.IntegrityAlgorithm;
import org.mobilevpn.api.ike.SecretBytes;

/**
 * What the IKE engine negotiated for a Child SA (RFC 7296 §2.17 KEYMAT split by direction) as the two
 * ESP SA records the data path installs (RFC 4303): inbound with our SPI and the gateway's keys "in",
 * outbound with the gateway's SPI and our keys "out". Time lifetimes stay with the engine (it rekeys);
 * the records carry no byte or packet limits. Key copies made on the way are wiped.
 */
final class EspSaMapping {
    private EspSaMapping() {
    }

    static EspSa inbound(int childSaId, ChildSaInfo info) {
        return sa(childSaId, info, SaDirection.INBOUND);
    }

    static EspSa outbound(int childSaId, ChildSaInfo info) {
        return sa(childSaId, info, SaDirection.OUTBOUND);
    }

    /** The ESP cipher for an IKE transform and key size; unsupported combinations name themselves. */
    static EspEncryption encryption(EncryptionAlgorithm algorithm, int keyBits) {
        switch (algorithm) {
            case AES_GCM_16:
                if (keyBits == 128) {
                    return EspEncryption.AES_GCM_16_128;
                }
                if (keyBits == 256) {
                    return EspEncryption.AES_GCM_16_256;
                }
                break;
            case AES_CBC:
                if (keyBits == 128) {
                    return EspEncryption.AES_CBC_128;
                }
                if (keyBits == 256) {
                    return EspEncryption.AES_CBC_256;
                }
                break;
            case CHACHA20_POLY1305:
                return EspEncryption.CHACHA20_POLY1305;
            default:
                break;
        }
        throw new IllegalArgumentException("the data path has no " + algorithm + " with " + keyBits + "-bit keys");
    }

    static EspIntegrity integrity(IntegrityAlgorithm algorithm) {
        switch (algorithm) {
            case NONE:
                return EspIntegrity.NONE;
            case HMAC_SHA2_256_128:
                return EspIntegrity.HMAC_SHA2_256_128;
            case HMAC_SHA2_384_192:
                return EspIntegrity.HMAC_SHA2_384_192;
            case HMAC_SHA2_512_256:
                return EspIntegrity.HMAC_SHA2_512_256;
            default:
                throw new IllegalArgumentException("the data path has no integrity algorithm " + algorithm);
        }
    }

    private static EspSa sa(int childSaId, ChildSaInfo info, SaDirection direction) {
        boolean in = direction == SaDirection.INBOUND;
        EspEncryption encryption = encryption(info.encryption(), info.encryptionKeyBits());
        EspIntegrity integrity = integrity(info.integrity());
        EspKeys keys = keys(in ? info.keys().encryptionIn() : info.keys().encryptionOut(),
                in ? info.keys().saltIn() : info.keys().saltOut(),
                in ? info.keys().integrityIn() : info.keys().integrityOut());
        UdpEncapsulation udp = info.nat().udpEncapsulation()
                ? new UdpEncapsulation(info.localEndpoint().getPort(), info.remoteEndpoint().getPort()) : null;
        try {
            return new EspSa(childSaId, in ? info.spiIn() : info.spiOut(), direction, encryption, integrity, keys,
                    info.esn(), EspSa.DEFAULT_REPLAY_WINDOW, udp, EspLifetime.UNLIMITED, 0);
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    private static EspKeys keys(SecretBytes encryption, SecretBytes salt, SecretBytes integrity) {
        byte[] e = encryption.toByteArray();
        byte[] s = salt.toByteArray();
        byte[] i = integrity.toByteArray();
        try {
            return new EspKeys(e, s, i);
        } finally {
            Arrays.fill(e, (byte) 0);
            Arrays.fill(s, (byte) 0);
            Arrays.fill(i, (byte) 0);
        }
    }
}
