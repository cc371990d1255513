package org.mobilevpn.ike.engine;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.PeerText;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.ike.crypto.AuthSignatures;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.CertPayload;
import org.mobilevpn.ike.message.CertReqPayload;

/**
 * Certificate authentication in IKE_AUTH (RFC 7296 §2.15, §3.6, §3.7): signs our AUTH with the RFC 7427
 * Digital Signature method (or the classic ECDSA / RSA methods when the gateway did not announce RFC 7427
 * hashes), and verifies the gateway's: its certificate path to our CAs ({@link PeerCertificatePath}, remembered
 * by {@link ValidatedChains}), that the certificate is one a gateway may sign with
 * ({@link GatewayCertificateUsage}), its identity against the certificate (subjectAltName or subject DN) and,
 * without {@code remote_id}, the host of {@code remote_addrs} too, and its signature over the signed octets.
 * SHA-1 in a signature, ours or the gateway's, needs {@code allow_sha1_signatures}.
 *
 * <p>Everything the gateway sent is untrusted input: a malformed AUTH, ID or CERT fails as PEER_AUTH_FAILED
 * (the gateway did not prove who it is), never as an internal error, and its text reaches messages only
 * through {@link PeerText}.
 */
final class CertificateAuth {
    private static final HexFormat HEX = HexFormat.of();
    // RFC 7427 Appendix A: DER AlgorithmIdentifiers
    private static final String OID_RSA_SHA256 = "2a864886f70d01010b";
    private static final String OID_RSA_SHA384 = "2a864886f70d01010c";
    private static final String OID_RSA_SHA512 = "2a864886f70d01010d";
    private static final String OID_RSA_PSS = "2a864886f70d01010a";
    private static final String OID_ECDSA_SHA256 = "2a8648ce3d040302";
    private static final String OID_ECDSA_SHA384 = "2a8648ce3d040303";
    private static final String OID_ECDSA_SHA512 = "2a8648ce3d040304";
    private static final String OID_ED25519 = "2b6570";
    private static final String OID_RSA_SHA1 = "2a864886f70d010105";
    private static final String OID_ECDSA_SHA1 = "2a8648ce3d0401";
    /** The profile key that allows SHA-1, named in every refusal. */
    static final String ALLOW_SHA1 = "allow_sha1_signatures";

    private CertificateAuth() {
    }

    static byte[] encoded(X509Certificate c) throws IkeFailureException {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IkeFailureException(FailureReason.INVALID_PROFILE, "cert: cannot encode " + c.getSubjectX500Principal(), e);
        }
    }

    /** CERTREQ with the SHA-1 hashes of our CAs' SubjectPublicKeyInfo (RFC 7296 §3.7). */
    static CertReqPayload certificateRequest(List<X509Certificate> cas) throws IkeFailureException {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] all = new byte[0];
            for (X509Certificate ca : cas) {
                all = AuthOctets.concat(all, sha1.digest(ca.getPublicKey().getEncoded()));
            }
            return new CertReqPayload(CertPayload.X509_SIGNATURE, all);
        } catch (GeneralSecurityException e) {
            throw new IkeFailureException(FailureReason.INTERNAL, "SHA-1 unavailable", e);
        }
    }

    /**
     * Our AUTH payload: RFC 7427 when the gateway announced hashes, else the classic method of the key type (for RSA
     * that is SHA-1, refused unless {@code allowSha1}).
     */
    static AuthPayload sign(AuthSignatures signatures, PrivateKey key, Set<Integer> peerHashes, byte[] signedOctets,
            boolean allowSha1) throws IkeFailureException {
        boolean ec = key instanceof ECKey;
        int fieldBits = ec ? ((ECKey) key).getParams().getCurve().getField().getFieldSize() : 0;
        String hash = ec ? (fieldBits <= 256 ? "SHA256" : fieldBits <= 384 ? "SHA384" : "SHA512") : rsaHash(peerHashes);
        try {
            if (!peerHashes.isEmpty()) {
                String oid = ec ? (hash.equals("SHA256") ? OID_ECDSA_SHA256 : hash.equals("SHA384") ? OID_ECDSA_SHA384 : OID_ECDSA_SHA512)
                        : (hash.equals("SHA256") ? OID_RSA_SHA256 : hash.equals("SHA384") ? OID_RSA_SHA384 : OID_RSA_SHA512);
                byte[] algorithmId = algorithmIdentifier(oid, !ec);
                byte[] signature = signatures.sign(hash + "with" + (ec ? "ECDSA" : "RSA"), key, signedOctets);
                return new AuthPayload(AuthPayload.DIGITAL_SIGNATURE,
                        AuthOctets.concat(new byte[] {(byte) algorithmId.length}, algorithmId, signature));
            }
            if (ec) {
                int method = fieldBits <= 256 ? AuthPayload.ECDSA_SHA256_P256
                        : fieldBits <= 384 ? AuthPayload.ECDSA_SHA384_P384 : AuthPayload.ECDSA_SHA512_P521;
                return new AuthPayload(method, signatures.sign(hash + "withECDSAinP1363Format", key, signedOctets));
            }
            // RFC 7296 §3.8 method 1 is PKCS#1 v1.5 with SHA-1; only for gateways without RFC 7427.
            if (!allowSha1) {
                throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN, "the gateway announced no RFC 7427 "
                        + "signature hashes, so an RSA signature would be SHA-1 (RFC 7296 §3.8 method 1), which "
                        + ALLOW_SHA1 + " = false refuses");
            }
            return new AuthPayload(AuthPayload.RSA_SIGNATURE, signatures.sign("SHA1withRSA", key, signedOctets));
        } catch (GeneralSecurityException e) {
            throw new IkeFailureException(FailureReason.INVALID_PROFILE, "key: cannot sign with it: " + e.getMessage(), e);
        }
    }

    private static String rsaHash(Set<Integer> peerHashes) {
        if (peerHashes.isEmpty() || peerHashes.contains(SignatureHashTask.SHA2_256)) {
            return "SHA256";
        }
        return peerHashes.contains(SignatureHashTask.SHA2_384) ? "SHA384" : "SHA512";
    }

    /** SEQUENCE { OID, NULL } for RSA, SEQUENCE { OID } for ECDSA. */
    private static byte[] algorithmIdentifier(String oidHex, boolean nullParams) {
        byte[] oid = HEX.parseHex(oidHex);
        byte[] inner = AuthOctets.concat(new byte[] {0x06, (byte) oid.length}, oid, nullParams ? new byte[] {0x05, 0x00} : new byte[0]);
        return AuthOctets.concat(new byte[] {0x30, (byte) inner.length}, inner);
    }

    /**
     * Verifies chain, usage, identity and signature of the gateway; any problem is PEER_AUTH_FAILED.
     *
     * @param peerId the gateway's IDr
     * @param hostId without {@code remote_id}: the host of {@code remote_addrs}, which the certificate must name
     *               too; {@code null} when {@code remote_id} decides (it equals {@code peerId} by then)
     */
    static void verify(AuthSignatures signatures, ValidatedChains chains, List<X509Certificate> cas,
            List<CertPayload> certPayloads, IkeIdentity peerId, IkeIdentity hostId, AuthPayload auth, byte[] signedOctets,
            boolean allowSha1) throws IkeFailureException {
        X509Certificate endEntity = chains.validate(cas, certPayloads,
                () -> PeerCertificatePath.validate(cas, certPayloads, new java.util.Date()));
        GatewayCertificateUsage.check(endEntity);
        String subject = PeerText.of(endEntity.getSubjectX500Principal());
        if (!identityMatches(endEntity, peerId)) {
            throw failed("gateway identity " + peerId + " is not in its certificate " + subject);
        }
        if (hostId != null && !identityMatches(endEntity, hostId)) {
            throw failed("the gateway's certificate " + subject + " does not name " + hostId + ", the host in remote_addrs, "
                    + "which it must without remote_id (its subjectAltNames: " + subjectAltNames(endEntity) + "); set remote_id "
                    + "to the gateway's identity, or have the gateway's certificate name its host");
        }
        try {
            if (!verifySignature(signatures, endEntity.getPublicKey(), auth, signedOctets, allowSha1)) {
                throw failed("gateway's AUTH signature does not verify");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // a signature or parameters the JCA or OpenSSL cannot even parse: the gateway's, so not our failure
            throw failed("gateway's AUTH signature cannot be checked: " + PeerText.of(e.getMessage()));
        }
    }

    /**
     * Whether {@code id} is the subject DN or one of the subjectAltNames of {@code cert}, compared on the identity's
     * octets. Any identity the gateway can send is handled: one that is no valid DN matches nothing.
     */
    static boolean identityMatches(X509Certificate cert, IkeIdentity id) {
        if (id.type() == IkeIdentity.Type.DER_ASN1_DN) {
            try {
                return new X500Principal(id.data()).equals(cert.getSubjectX500Principal());
            } catch (IllegalArgumentException e) {
                return false; // not a DER distinguished name
            }
        }
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        String text = new String(id.data(), StandardCharsets.US_ASCII);
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            Object value = san.get(1);
            if (type == 2 && id.type() == IkeIdentity.Type.FQDN && text.equalsIgnoreCase(String.valueOf(value))
                    || type == 1 && id.type() == IkeIdentity.Type.RFC822_ADDR && text.equalsIgnoreCase(String.valueOf(value))) {
                return true;
            }
            if (type == 7 && (id.type() == IkeIdentity.Type.IPV4_ADDR || id.type() == IkeIdentity.Type.IPV6_ADDR)) {
                try {
                    if (IpAddresses.parse(String.valueOf(value)).equals(IpAddresses.of(id.data()))) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The certificate's DNS, e-mail and IP subjectAltNames, for messages. */
    private static String subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return PeerText.of(sans == null ? "none" : sans.stream().filter(san -> List.of(1, 2, 7).contains(san.get(0)))
                    .map(san -> String.valueOf(san.get(1))).toList());
        } catch (GeneralSecurityException e) {
            return "unreadable";
        }
    }

    private static boolean verifySignature(AuthSignatures signatures, PublicKey key, AuthPayload auth, byte[] data,
            boolean allowSha1) throws GeneralSecurityException, IkeFailureException {
        byte[] d = auth.data();
        switch (auth.method()) {
            case AuthPayload.DIGITAL_SIGNATURE: {
                int length = d.length == 0 ? 0 : d[0] & 0xff;
                if (length < 4 || 1 + length >= d.length) {
                    throw failed("RFC 7427 AUTH with a truncated AlgorithmIdentifier or no signature");
                }
                byte[] algorithmId = java.util.Arrays.copyOfRange(d, 1, 1 + length);
                byte[] signature = java.util.Arrays.copyOfRange(d, 1 + length, d.length);
                if (isRsaPss(algorithmId)) {
                    Signature s = rsaPss(algorithmId, allowSha1);
                    s.initVerify(key);
                    s.update(data);
                    return s.verify(signature);
                }
                return signatures.verify(algorithmFor(algorithmId, allowSha1), key, data, signature);
            }
            case AuthPayload.ECDSA_SHA256_P256:
                return signatures.verify("SHA256withECDSAinP1363Format", key, data, d);
            case AuthPayload.ECDSA_SHA384_P384:
                return signatures.verify("SHA384withECDSAinP1363Format", key, data, d);
            case AuthPayload.ECDSA_SHA512_P521:
                return signatures.verify("SHA512withECDSAinP1363Format", key, data, d);
            case AuthPayload.RSA_SIGNATURE:
                requireSha1Allowed(allowSha1, "an RSA signature with SHA-1 (RFC 7296 §3.8 method 1)");
                return signatures.verify("SHA1withRSA", key, data, d);
            default:
                throw failed("gateway uses AUTH method " + auth.method() + ", which is not supported");
        }
    }

    /** The OID of a DER AlgorithmIdentifier (RFC 7427 Appendix A) as hex, and its parameters. */
    private static String[] oidAndParameters(byte[] algorithmId) throws IkeFailureException {
        // SEQUENCE (0x30, short length) { OID (0x06, length, value), parameters }
        if (algorithmId.length < 4 || algorithmId[0] != 0x30 || (algorithmId[1] & 0xff) != algorithmId.length - 2
                || algorithmId[2] != 0x06) {
            throw failed("RFC 7427 AlgorithmIdentifier is not a DER SEQUENCE with an OID");
        }
        int oidLength = algorithmId[3] & 0xff;
        if (4 + oidLength > algorithmId.length) {
            throw failed("RFC 7427 AlgorithmIdentifier OID overruns it");
        }
        return new String[] {HEX.formatHex(algorithmId, 4, 4 + oidLength),
            HEX.formatHex(algorithmId, 4 + oidLength, algorithmId.length)};
    }

    private static boolean isRsaPss(byte[] algorithmId) throws IkeFailureException {
        return oidAndParameters(algorithmId)[0].equals(OID_RSA_PSS);
    }

    /** The JCA algorithm name for a DER AlgorithmIdentifier of RFC 7427 Appendix A (not RSASSA-PSS). */
    private static String algorithmFor(byte[] algorithmId, boolean allowSha1) throws IkeFailureException {
        String oid = oidAndParameters(algorithmId)[0];
        switch (oid) {
            case OID_RSA_SHA1:
                requireSha1Allowed(allowSha1, "an RFC 7427 signature sha1WithRSAEncryption");
                return "SHA1withRSA";
            case OID_ECDSA_SHA1:
                requireSha1Allowed(allowSha1, "an RFC 7427 signature ecdsa-with-SHA1");
                return "SHA1withECDSA";
            case OID_RSA_SHA256: return "SHA256withRSA";
            case OID_RSA_SHA384: return "SHA384withRSA";
            case OID_RSA_SHA512: return "SHA512withRSA";
            case OID_ECDSA_SHA256: return "SHA256withECDSA";
            case OID_ECDSA_SHA384: return "SHA384withECDSA";
            case OID_ECDSA_SHA512: return "SHA512withECDSA";
            case OID_ED25519: return "Ed25519";
            default:
                throw failed("gateway signs with unsupported algorithm OID " + oid);
        }
    }

    /** RSASSA-PSS with the parameters the AlgorithmIdentifier carries (RFC 7427 Appendix A.4). */
    private static Signature rsaPss(byte[] algorithmId, boolean allowSha1) throws GeneralSecurityException, IkeFailureException {
        byte[] params = HEX.parseHex(oidAndParameters(algorithmId)[1]);
        java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("RSASSA-PSS");
        try {
            ap.init(params);
        } catch (java.io.IOException e) {
            throw failed("RSASSA-PSS parameters are malformed: " + e.getMessage());
        }
        java.security.spec.PSSParameterSpec spec = ap.getParameterSpec(java.security.spec.PSSParameterSpec.class);
        if (spec.getDigestAlgorithm().replace("-", "").equalsIgnoreCase("SHA1")) {
            requireSha1Allowed(allowSha1, "an RSASSA-PSS signature with SHA-1");
        }
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(spec);
        return s;
    }

    private static void requireSha1Allowed(boolean allowSha1, String what) throws IkeFailureException {
        if (!allowSha1) {
            throw failed("the gateway signs AUTH with " + what + ", which " + ALLOW_SHA1 + " = false refuses");
        }
    }

    private static IkeFailureException failed(String message) {
        return new IkeFailureException(FailureReason.PEER_AUTH_FAILED, message);
    }
}
