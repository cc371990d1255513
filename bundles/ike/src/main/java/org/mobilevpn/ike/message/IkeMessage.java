package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/**
 * An IKE message: header and payloads in wire order. A received protected message holds its
 * {@link EncryptedPayload} (or {@link EncryptedFragmentPayload}) until the engine decrypts it into a
 * new message with the inner payloads.
 */
public record IkeMessage(IkeHeader header, List<Payload> payloads) {

    public IkeMessage {
        payloads = List.copyOf(payloads);
    }

    /** All payloads of a class, in order. */
    public <T extends Payload> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                out.add(type.cast(p));
            }
        }
        return out;
    }

    /** The first payload of a class, or {@code null}. */
    public <T extends Payload> T first(Class<T> type) {
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                return type.cast(p);
            }
        }
        return null;
    }

    /** The first payload of a type number, or {@code null} (distinguishes IDi/IDr, TSi/TSr). */
    public Payload first(int payloadType) {
        for (Payload p : payloads) {
            if (p.type() == payloadType) {
                return p;
            }
        }
        return null;
    }

    /** The first notify of this message type, or {@code null}. */
    public NotifyPayload notify(int notifyType) {
        for (Payload p : payloads) {
            if (p instanceof NotifyPayload && ((NotifyPayload) p).notifyType() == notifyType) {
                return (NotifyPayload) p;
            }
        }
        return null;
    }

    /** The first error notify (type below 16384), or {@code null}. */
    public NotifyPayload firstError() {
        for (Payload p : payloads) {
            if (p instanceof NotifyPayload && ((NotifyPayload) p).isError()) {
                return (NotifyPayload) p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(header.toString()).append(" [");
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            sb.append(i == 0 ? "" : " ").append(p instanceof NotifyPayload ? p.toString() : PayloadType.name(p.type()));
        }
        return sb.append(']').toString();
    }
}
