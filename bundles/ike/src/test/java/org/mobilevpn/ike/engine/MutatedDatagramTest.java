package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.IkeParseException;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.ProtocolId;

/**
 * Robustness: mutated and truncated versions of real strongSwan messages, 200,000 to the decoder and 200,000 to a
 * running engine (a million each before the coverage-guided fuzz targets, {@link IkeDatagramFuzzTest} and
 * {@link EstablishedSessionFuzzTest}, took over the long search; {@code -Dmvpn.mutations=N} runs N of each) (of which a tenth are authenticated, i.e. encrypted with the session's keys,
 * so they reach the payload handlers). Nothing but the typed parse errors may escape the decoder; the
 * engine never fails with INTERNAL (which is what an escaped exception becomes) and ends a session only
 * with a typed, legitimate reason. Seeds are fixed, so any failure is reproducible.
 */
class MutatedDatagramTest {
    private static final int DECODER_RUNS = Integer.getInteger("mvpn.mutations", 200_000);
    private static final int ENGINE_RUNS = DECODER_RUNS;
    private static final int AUTHENTICATED_EVERY = 10;

    static byte[] mutate(byte[] seed, Random r) {
        byte[] d = seed.clone();
        switch (r.nextInt(6)) {
            case 0: { // flip a few bits
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n && d.length > 0; i++) {
                    d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                }
                break;
            }
            case 1: // random octet
                if (d.length > 0) {
                    d[r.nextInt(d.length)] = (byte) r.nextInt(256);
                }
                break;
            case 2: // truncate
                d = Arrays.copyOf(d, d.length == 0 ? 0 : r.nextInt(d.length));
                break;
            case 3: { // extend with random octets
                int extra = 1 + r.nextInt(64);
                d = Arrays.copyOf(d, d.length + extra);
                for (int i = d.length - extra; i < d.length; i++) {
                    d[i] = (byte) r.nextInt(256);
                }
                break;
            }
            case 4: { // duplicate a chunk somewhere else
                if (d.length > 8) {
                    int from = r.nextInt(d.length - 4);
                    int len = 1 + r.nextInt(Math.min(32, d.length - from - 1));
                    int to = r.nextInt(d.length - len);
                    System.arraycopy(seed, from, d, to, len);
                }
                break;
            }
            default: { // a length-looking field set to an extreme
                if (d.length > 4) {
                    int at = r.nextInt(d.length - 2);
                    int v = r.nextBoolean() ? 0 : 0xffff;
                    d[at] = (byte) (v >> 8);
                    d[at + 1] = (byte) v;
                }
            }
        }
        // Half the time keep the header's length consistent, so mutations get past the first check.
        if (d.length >= IkeHeader.LENGTH && r.nextBoolean()) {
            d[24] = (byte) (d.length >>> 24);
            d[25] = (byte) (d.length >>> 16);
            d[26] = (byte) (d.length >>> 8);
            d[27] = (byte) d.length;
        }
        return d;
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (CharonFixture f : CharonFixture.all()) {
            seeds.addAll(f.datagrams());
        }
        return seeds;
    }

    @Test
    void decoderThrowsOnlyTypedParseErrors() throws Exception {
        List<byte[]> seeds = seeds();
        // Also the decrypted payload chains, to reach every payload decoder behind the SK payload.
        List<byte[]> inner = new ArrayList<>();
        List<Integer> innerFirst = new ArrayList<>();
        for (CharonFixture f : CharonFixture.all()) {
            IkeSa sa = CharonFixtureTest.derive(f);
            for (int i : new int[] {3, 5}) {
                IkeMessage m = new MessageProtector(sa, new SecureRandom()).unprotect(f.datagrams().get(i),
                        IkeMessageCodec.decode(f.datagrams().get(i)));
                inner.add(IkeMessageCodec.encodePayloads(m.payloads()));
                innerFirst.add(m.payloads().isEmpty() ? 0 : m.payloads().get(0).type());
            }
        }
        Random r = new Random(0x1cefeedL);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < DECODER_RUNS; i++) {
            boolean outer = i % 2 == 0;
            int pick = r.nextInt(outer ? seeds.size() : inner.size());
            byte[] d = mutate(outer ? seeds.get(pick) : inner.get(pick), r);
            try {
                if (outer) {
                    IkeMessageCodec.decode(d);
                } else {
                    IkeMessageCodec.decodePayloads(innerFirst.get(pick), d, 0, d.length);
                }
                parsed++;
            } catch (IkeParseException e) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("decoder threw " + e + " on " + HexFormat.of().formatHex(d), e);
            }
        }
        assertEquals(DECODER_RUNS, parsed + rejected);
        assertTrue(parsed > 10_000 && rejected > 10_000, "mutations both pass and fail: " + parsed + "/" + rejected);
    }

    @Test
    void engineSurvivesMutatedAndAuthenticatedGarbage() {
        List<byte[]> seeds = seeds();
        Random r = new Random(0xbadc0deL);
        ScriptedSession s = fresh(seeds);
        int sessions = 1;
        int authenticated = 0;
        for (int i = 0; i < ENGINE_RUNS; i++) {
            if (i % AUTHENTICATED_EVERY == 0) {
                authenticated++;
                s.fromGateway(List.of(authenticatedGarbage(s, r)));
            } else {
                // Real messages of this session and of the captures, mutated, straight onto the wire.
                byte[] seed = r.nextInt(4) == 0 ? s.fromGatewayLog.get(r.nextInt(s.fromGatewayLog.size()))
                        : seeds.get(r.nextInt(seeds.size()));
                s.transport.deliver(mutate(seed, r));
                s.clock.runReady();
                s.transport.takeNew(); // answers to garbage (e.g. none) are not the point here
            }
            for (ScriptedSession.Failed f : s.events(ScriptedSession.Failed.class)) {
                assertTrue(f.reason() != FailureReason.INTERNAL, "engine failed internally at run " + i + ": " + f.message());
            }
            if (!s.session.isActive()) {
                // A mutated request may legitimately end the session (e.g. it became a Delete(IKE)): one final event.
                long finals = s.events.stream().filter(e -> e instanceof ScriptedSession.Failed
                        || e instanceof ScriptedSession.IkeDeleted).count();
                assertEquals(1, finals, s.events.toString());
                s = fresh(seeds);
                sessions++;
            }
        }
        assertTrue(authenticated >= ENGINE_RUNS / AUTHENTICATED_EVERY);
        // The last session still works: a liveness check of the gateway is answered.
        if (s.session.isActive()) {
            int answers = s.gateway.answers.size();
            s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
            assertEquals(answers + 1, s.gateway.answers.size());
        }
        assertTrue(sessions < ENGINE_RUNS / AUTHENTICATED_EVERY, "most garbage does not end a session: " + sessions);
    }

    private static ScriptedSession fresh(List<byte[]> seeds) {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        if (!s.session.isActive()) {
            throw new AssertionError("setup failed: " + s.events);
        }
        return s;
    }

    /** A request with the right message ID and keys whose payload octets are mutated templates. */
    private static byte[] authenticatedGarbage(ScriptedSession s, Random r) {
        TestResponder.PeerSa peer = s.gateway.current;
        int ourChild = s.gateway.children.isEmpty() ? 0x1234 : s.gateway.children.get(0).spiIn;
        List<List<Payload>> templates = List.of(
                List.of(),
                List.of(DeletePayload.esp(ourChild)),
                List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT)),
                List.of(new NotifyPayload(ProtocolId.ESP, TestResponder.spiBytes(ourChild), NotifyType.REKEY_SA, new byte[0])));
        List<Payload> template = templates.get(r.nextInt(templates.size()));
        byte[] innerBytes = mutate(IkeMessageCodec.encodePayloads(template), r);
        int first = template.isEmpty() ? (r.nextBoolean() ? 0 : 41) : template.get(0).type();
        if (r.nextInt(8) == 0) {
            first = r.nextInt(256);
        }
        int exchange = r.nextBoolean() ? ExchangeType.INFORMATIONAL : ExchangeType.CREATE_CHILD_SA;
        IkeHeader header = new IkeHeader(peer.sa.spiI, peer.sa.spiR, 0, 2, 0, exchange, 0, peer.nextRequestId++, 0);
        return peer.protector.protectInner(header, first, innerBytes);
    }
}
