package org.mobilevpn.ike.message;

/** The header's major version is not 2 (RFC 7296 §2.5): answered with INVALID_MAJOR_VERSION. */
public final class InvalidMajorVersionException extends IkeParseException {
    private static final long serialVersionUID = 1L;
    private final int majorVersion;

    public InvalidMajorVersionException(int majorVersion) {
        super("IKE major version " + majorVersion + " (expected 2)");
        this.majorVersion = majorVersion;
    }

    public int majorVersion() {
        return majorVersion;
    }

    @Override
    public int notifyType() {
        return NotifyType.INVALID_MAJOR_VERSION;
    }

    @Override
    public byte[] notifyData() {
        return new byte[] {0x20}; // the highest version we support, in the header's version octet form
    }
}
