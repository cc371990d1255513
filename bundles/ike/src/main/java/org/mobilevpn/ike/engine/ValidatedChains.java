package org.mobilevpn.ike.engine;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mobilevpn.ike.message.CertPayload;

/**
 * Remembers which certificates of a gateway validated against which CAs, so that connecting again to the
 * same gateway skips the certificate path validation (RFC 5280 §6), which costs a few tenths of a
 * millisecond per handshake on the project's machine, more than checking the AUTH signature with OpenSSL
 * (docs/benchmarks.md, IKE handshake). Only the path validation is skipped: identity and AUTH signature
 * are checked on every handshake.
 *
 * <p>A result is remembered under the exact DER of the gateway's X.509 CERT payloads and of our CA
 * certificates, so other certificates or a changed profile (other CAs) never match an old result. What can
 * change for the same certificates is the time: a remembered result is used only while the time is inside
 * the validity period of every certificate the gateway sent (a path is built from those and a CA);
 * otherwise the full validation runs again and decides. At most {@link #CAPACITY} results are kept, the
 * least recently used forgotten first. Shared by the sessions of one engine; no revocation source is
 * configured in a profile, so there is no revocation state to go stale.
 */
final class ValidatedChains {
    static final int CAPACITY = 16;
    private static final HexFormat HEX = HexFormat.of();

    /** The full validation, returning the gateway's end-entity certificate. */
    @FunctionalInterface
    interface FullValidation {
        X509Certificate validate() throws IkeFailureException;
    }

    /** A validated end entity, and the time window in which all the certificates sent with it are valid. */
    private record Accepted(X509Certificate endEntity, Date validFrom, Date validUntil) {
    }

    private final Supplier<Date> clock;
    private final Map<String, Accepted> accepted = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Accepted> eldest) {
            return size() > CAPACITY;
        }
    };

    ValidatedChains() {
        this(Date::new);
    }

    ValidatedChains(Supplier<Date> clock) {
        this.clock = clock;
    }

    /**
     * The end-entity certificate of {@code certPayloads}: remembered if these certificates validated against
     * {@code cas} before and all are within their validity period now, else from {@code full}.
     *
     * @throws IkeFailureException from {@code full}
     */
    synchronized X509Certificate validate(List<X509Certificate> cas, List<CertPayload> certPayloads, FullValidation full)
            throws IkeFailureException {
        String key = key(cas, certPayloads);
        Accepted a = key == null ? null : accepted.get(key);
        Date now = clock.get();
        if (a != null && !now.before(a.validFrom()) && !now.after(a.validUntil())) {
            return a.endEntity();
        }
        X509Certificate endEntity = full.validate();
        if (key != null) {
            Accepted remembered = window(endEntity, certPayloads);
            if (remembered != null) {
                accepted.put(key, remembered);
            }
        }
        return endEntity;
    }

    /** The latest notBefore and earliest notAfter of the sent certificates; null if one does not parse. */
    private static Accepted window(X509Certificate endEntity, List<CertPayload> certPayloads) {
        Date from = endEntity.getNotBefore();
        Date until = endEntity.getNotAfter();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (CertPayload p : certPayloads) {
                if (p.encoding() == CertPayload.X509_SIGNATURE) {
                    X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(p.data()));
                    from = c.getNotBefore().after(from) ? c.getNotBefore() : from;
                    until = c.getNotAfter().before(until) ? c.getNotAfter() : until;
                }
            }
        } catch (GeneralSecurityException e) {
            return null;
        }
        return new Accepted(endEntity, from, until);
    }

    /** SHA-256 over the sent X.509 certificates and our CAs, each with its length; null if a CA cannot be encoded. */
    private static String key(List<X509Certificate> cas, List<CertPayload> certPayloads) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (CertPayload p : certPayloads) {
                if (p.encoding() == CertPayload.X509_SIGNATURE) {
                    update(sha256, p.data());
                }
            }
            sha256.update((byte) 0xff); // where the gateway's certificates end and ours begin
            for (X509Certificate ca : cas) {
                update(sha256, ca.getEncoded());
            }
            return HEX.formatHex(sha256.digest());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static void update(MessageDigest digest, byte[] der) {
        digest.update(new byte[] {(byte) (der.length >>> 24), (byte) (der.length >>> 16), (byte) (der.length >>> 8),
            (byte) der.length});
        digest.update(der);
    }
}
