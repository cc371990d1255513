package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.ike.message.EncryptedFragmentPayload;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.IkeParseException;

/**
 * Coverage-guided fuzzing of what an on-path attacker without keys puts on the wire: the decoder (a whole
 * datagram, and a payload chain as it sits behind an SK payload) and the integrity check of two established
 * IKE SAs (strongSwan captures, AES-GCM and AES-CBC/HMAC), in both directions. The decoder may only reject
 * with its typed {@link IkeParseException}; protection may only open the datagrams the peers really sent.
 * Run by {@link IkeFuzzTargets} (target 0), whose inputs hold this target's seeds and findings.
 */
class IkeDatagramFuzzTest {
    /** Each captured IKE SA as each side sees it, and the protected datagrams that side really received. */
    private record Receiver(MessageProtector protector, List<byte[]> authentic) {
    }

    private static final List<Receiver> RECEIVERS = receivers();

    void datagram(byte[] data) throws Exception {
        if (data.length > 0) {
            try {
                IkeMessageCodec.decodePayloads(data[0] & 0xff, data, 1, data.length - 1);
            } catch (IkeParseException typed) {
                // the only way to reject
            }
        }
        IkeMessage decoded;
        try {
            decoded = IkeMessageCodec.decode(data);
        } catch (IkeParseException typed) {
            return;
        }
        for (Receiver r : RECEIVERS) {
            boolean opened;
            try {
                EncryptedFragmentPayload skf = decoded.first(EncryptedFragmentPayload.class);
                opened = skf != null ? r.protector().unprotectFragment(data, skf) != null
                        : r.protector().unprotect(data, decoded) != null;
            } catch (IntegrityCheckFailedException | IkeParseException rejected) {
                opened = false;
            }
            assertTrue(!opened || r.authentic().stream().anyMatch(a -> Arrays.equals(a, data)),
                    "a datagram the peer never sent passed the integrity check");
        }
    }

    private static List<Receiver> receivers() {
        List<Receiver> out = new ArrayList<>();
        try {
            for (CharonFixture f : CharonFixture.all()) {
                IkeSa client = CharonFixtureTest.derive(f);
                IkeSa gateway = new IkeSa(false);
                gateway.negotiated(IkeCrypto.of(client.transforms(), client.secrets()));
                List<byte[]> d = f.datagrams();
                out.add(new Receiver(new MessageProtector(client, new SecureRandom()), List.of(d.get(3), d.get(5))));
                out.add(new Receiver(new MessageProtector(gateway, new SecureRandom()), List.of(d.get(2), d.get(4))));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
