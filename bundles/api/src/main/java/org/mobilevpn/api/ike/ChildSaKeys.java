package org.mobilevpn.api.ike;

import java.util.Objects;
import org.mobilevpn.api.ipsec.EspKeys;

/**
 * ESP keys of one Child SA (RFC 7296 §2.17), by direction: {@code in} protects what the gateway sends us,
 * {@code out} what we send. {@link #close()} wipes both.
 */
public record ChildSaKeys(EspKeys in, EspKeys out) implements AutoCloseable {

    public ChildSaKeys {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
    }

    @Override
    public void close() {
        in.close();
        out.close();
    }
}
