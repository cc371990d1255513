package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.mobilevpn.api.net.IpAddresses;

/**
 * An IKE identity (RFC 7296 §3.5): the ID type and its octets as they travel in IDi/IDr.
 *
 * <p>{@link #parse(String)} reads identities the way strongSwan's swanctl.conf writes them:
 * an IP address ({@link IpAddresses#parse}), {@code user@domain} (RFC822), a distinguished name with {@code =} (DER_ASN1_DN),
 * {@code @#hex} (KEY_ID), otherwise a host name (FQDN).
 */
public final class IkeIdentity {
    /** ID types of RFC 7296 §3.5 with their IANA numbers. */
    public enum Type {
        IPV4_ADDR(1), FQDN(2), RFC822_ADDR(3), IPV6_ADDR(5), DER_ASN1_DN(9), DER_ASN1_GN(10), KEY_ID(11);

        private final int ianaId;

        Type(int ianaId) {
            this.ianaId = ianaId;
        }

        public int ianaId() {
            return ianaId;
        }

        /** The type with this IANA number, or {@code null} if the engine does not know it. */
        public static Type ofIanaId(int id) {
            for (Type t : values()) {
                if (t.ianaId == id) {
                    return t;
                }
            }
            return null;
        }
    }

    private final Type type;
    private final byte[] data;

    private IkeIdentity(Type type, byte[] data) {
        this.type = type;
        this.data = data;
    }

    /** An identity from its wire form (type and identification data). */
    public static IkeIdentity of(Type type, byte[] data) {
        if (type == null || data == null || data.length == 0) {
            throw new IllegalArgumentException("identity needs a type and non-empty data");
        }
        if (type == Type.IPV4_ADDR && data.length != 4 || type == Type.IPV6_ADDR && data.length != 16) {
            throw new IllegalArgumentException("IP address identity has " + data.length + " octets");
        }
        return new IkeIdentity(type, data.clone());
    }

    public static IkeIdentity fqdn(String name) {
        return of(Type.FQDN, name.getBytes(StandardCharsets.US_ASCII));
    }

    public static IkeIdentity email(String address) {
        return of(Type.RFC822_ADDR, address.getBytes(StandardCharsets.US_ASCII));
    }

    public static IkeIdentity address(InetAddress address) {
        return of(address.getAddress().length == 4 ? Type.IPV4_ADDR : Type.IPV6_ADDR, address.getAddress());
    }

    public static IkeIdentity distinguishedName(X500Principal dn) {
        return of(Type.DER_ASN1_DN, dn.getEncoded());
    }

    /**
     * Parses an identity in swanctl.conf notation.
     *
     * @throws IllegalArgumentException naming the problem, when the text is empty or malformed
     */
    public static IkeIdentity parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("identity is empty");
        }
        String s = text.strip();
        if (s.startsWith("@#")) {
            try {
                return of(Type.KEY_ID, HexFormat.of().parseHex(s.substring(2)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key id identity '" + s + "' is not hex", e);
            }
        }
        if (s.startsWith("@")) {
            return fqdn(s.substring(1));
        }
        if (IpAddresses.looksLiteral(s)) {
            return address(IpAddresses.parse(s));
        }
        if (s.contains("=")) {
            try {
                return distinguishedName(new X500Principal(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("identity '" + s + "' is not a valid distinguished name", e);
            }
        }
        if (s.contains("@")) {
            return email(s);
        }
        return fqdn(s);
    }

    public Type type() {
        return type;
    }

    /** The identification data octets (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /**
     * Human readable form: the address, name or DN; hex for other types. An identity may come from the gateway, so
     * the text is safe to log and show ({@link PeerText}); the identity's octets ({@link #data()}) are never changed.
     */
    @Override
    public String toString() {
        switch (type) {
            case FQDN:
            case RFC822_ADDR:
                return PeerText.of(new String(data, StandardCharsets.US_ASCII));
            case IPV4_ADDR:
            case IPV6_ADDR:
                try {
                    return InetAddress.getByAddress(data).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // length checked in of()
                }
            case DER_ASN1_DN:
                try {
                    return PeerText.of(new X500Principal(data).getName(X500Principal.RFC2253));
                } catch (IllegalArgumentException e) {
                    return PeerText.of("DN:" + HexFormat.of().formatHex(data));
                }
            default:
                return PeerText.of(type + ":" + HexFormat.of().formatHex(data));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IkeIdentity && ((IkeIdentity) o).type == type && Arrays.equals(((IkeIdentity) o).data, data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }
}
