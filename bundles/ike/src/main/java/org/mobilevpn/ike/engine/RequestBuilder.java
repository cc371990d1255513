package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.ike.message.Payload;

/** The payloads of a request being built by its tasks, in order. */
final class RequestBuilder {
    private final List<Payload> payloads = new ArrayList<>();

    void add(Payload p) {
        payloads.add(p);
    }

    /** For payloads that must come first (COOKIE, RFC 7296 §2.6). */
    void addFirst(Payload p) {
        payloads.add(0, p);
    }

    List<Payload> payloads() {
        return payloads;
    }
}
