package org.mobilevpn.ike.message;

/**
 * Encrypted Fragment payload, SKF (RFC 7383 §2.5): one fragment of an SK payload's content, encrypted
 * on its own. Only fragment 1 names the first inner payload type; the others carry 0.
 */
public record EncryptedFragmentPayload(int firstInnerType, int fragmentNumber, int totalFragments, byte[] encrypted)
        implements Payload {

    public EncryptedFragmentPayload {
        encrypted = encrypted.clone();
        if (fragmentNumber < 1 || totalFragments < fragmentNumber || totalFragments > 0xffff) {
            throw new IllegalArgumentException("fragment " + fragmentNumber + " of " + totalFragments);
        }
    }

    /** IV, ciphertext and ICV, as in an SK payload. */
    @Override
    public byte[] encrypted() {
        return encrypted.clone();
    }

    @Override
    public int type() {
        return PayloadType.SKF;
    }

    static EncryptedFragmentPayload decode(int firstInnerType, OctetReader in) throws InvalidSyntaxException {
        int number = in.u16("SKF fragment number");
        int total = in.u16("SKF total fragments");
        if (number < 1 || total < number) {
            throw new InvalidSyntaxException("fragment " + number + " of " + total);
        }
        return new EncryptedFragmentPayload(firstInnerType, number, total, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u16(fragmentNumber).u16(totalFragments).bytes(encrypted);
    }
}
