package org.mobilevpn.ike.crypto;

import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/**
 * One side of one Diffie-Hellman exchange (RFC 7296 §2.14): our fresh key pair, its public value as
 * it goes into the KE payload, and the shared secret g^ir from the peer's value. Close to forget the
 * private key.
 */
public interface KeyExchange extends AutoCloseable {

    KeyExchangeMethod method();

    /** Our public value in the KE payload encoding of the group. */
    byte[] publicValue();

    /**
     * The shared secret in the encoding RFC 7296 §2.14 and the group's RFC prescribe.
     *
     * @throws InvalidKeyExchangeException when the peer's value is malformed or not a valid group element
     */
    byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeyExchangeException;

    @Override
    void close();
}
