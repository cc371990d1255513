package org.mobilevpn.api.vnic;

import java.io.IOException;

/** The virtual NIC could not be opened or configured; the message says why and what to do. */
public class VnicException extends IOException {
    private static final long serialVersionUID = 1L;

    public VnicException(String message) {
        super(message);
    }

    public VnicException(String message, Throwable cause) {
        super(message, cause);
    }
}
