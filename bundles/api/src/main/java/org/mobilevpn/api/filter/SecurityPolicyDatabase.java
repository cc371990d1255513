package org.mobilevpn.api.filter;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A compiled, immutable SPD. Thread-safe, allocation-free lookups; the pump holds the current one in a
 * volatile field and replaces it as a whole when the configuration changes.
 */
@ProviderType
public interface SecurityPolicyDatabase {

    /** The configuration this was compiled from. */
    SpdConfiguration configuration();

    /**
     * The first rule matching an outbound IP packet (RFC 4301 §5.1), read from {@code packet.position()}
     * to {@code limit()} without moving the position. Never null: a packet no rule matches gets
     * {@link #defaultRule()}, a packet that is not parseable IPv4/IPv6 gets {@link #malformedRule()}.
     */
    SpdRule lookupOutbound(ByteBuffer packet);

    /**
     * RFC 4301 §5.2 step 4: does a packet decrypted from an SA of this Child SA match the selectors of a
     * PROTECT rule for that Child SA (the packet's source among the remote selectors and its destination
     * among the local ones)? False means drop and count. Does not move the position.
     */
    boolean checkInbound(int childSaId, ByteBuffer packet);

    /** The rule returned for packets no configured rule matches; its action is the default action. */
    SpdRule defaultRule();

    /** The DISCARD rule returned for packets that are not well-formed IPv4/IPv6. */
    SpdRule malformedRule();
}
