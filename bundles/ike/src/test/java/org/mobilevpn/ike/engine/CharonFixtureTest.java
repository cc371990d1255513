package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.ike.keys.IkeKeyDerivation;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.IdPayload;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;
import org.mobilevpn.ike.proposal.ProposalParser;

/**
 * Real messages of strongSwan 5.9.8: decoded by our codec; SKEYSEED and SK_* derived from their nonces,
 * SPIs and the shared secret charon logged equal charon's own SK_* (a known-answer test from strongSwan);
 * the encrypted IKE_AUTH messages decrypt with those keys and both PSK AUTHs verify.
 */
class CharonFixtureTest {

    static List<CharonFixture> fixtures() {
        return CharonFixture.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void skeyseedAndKeysEqualCharons(CharonFixture f) throws Exception {
        IkeSa sa = derive(f);
        assertEquals(HexFormat.of().formatHex(f.key("SK_d")), HexFormat.of().formatHex(sa.secrets().skD()));
        assertArrayEquals(f.key("SK_ai"), sa.secrets().skAi());
        assertArrayEquals(f.key("SK_ar"), sa.secrets().skAr());
        assertArrayEquals(f.key("SK_ei"), sa.secrets().skEi());
        assertArrayEquals(f.key("SK_er"), sa.secrets().skEr());
        assertArrayEquals(f.key("SK_pi"), sa.secrets().skPi());
        assertArrayEquals(f.key("SK_pr"), sa.secrets().skPr());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void ikeAuthMessagesDecryptAndBothAuthsVerify(CharonFixture f) throws Exception {
        IkeSa client = derive(f);
        byte[] authResponse = f.datagrams().get(3);
        IkeMessage response = new MessageProtector(client, new SecureRandom()).unprotect(authResponse,
                IkeMessageCodec.decode(authResponse));
        assertEquals(List.of(PayloadType.IDR, PayloadType.AUTH, PayloadType.CP, PayloadType.SA, PayloadType.TSI,
                PayloadType.TSR), response.payloads().stream().map(Payload::type).toList());
        IdPayload idr = (IdPayload) response.first(PayloadType.IDR);
        assertEquals(IkeIdentity.parse("gw.vpn.test"), idr.identity());
        byte[] psk = f.charonKeys().getProperty("psk").getBytes();
        assertTrue(PskAuthenticator.verify(client.crypto().prf, psk, AuthOctets.responderSigned(client, idr),
                response.first(AuthPayload.class).data()), "charon's AUTH is what §2.15 says");

        // Our own IKE_AUTH request, opened as the gateway would.
        IkeSa gateway = derive(f);
        IkeSa responderView = new IkeSa(false);
        responderView.negotiated(IkeCrypto.of(gateway.transforms(), gateway.secrets()));
        byte[] authRequest = f.datagrams().get(2);
        IkeMessage request = new MessageProtector(responderView, new SecureRandom()).unprotect(authRequest,
                IkeMessageCodec.decode(authRequest));
        IdPayload idi = (IdPayload) request.first(PayloadType.IDI);
        assertEquals(IkeIdentity.parse("client@vpn.test"), idi.identity());
        assertTrue(PskAuthenticator.verify(client.crypto().prf, psk, AuthOctets.initiatorSigned(client, idi),
                request.first(AuthPayload.class).data()));

        // The INFORMATIONAL answer to our DELETE is an empty SK payload.
        byte[] info = f.datagrams().get(5);
        assertTrue(new MessageProtector(client, new SecureRandom()).unprotect(info, IkeMessageCodec.decode(info))
                .payloads().isEmpty());
    }

    /** Our side of the fixture's IKE SA, keys derived by our code from the captured exchange and charon's g^ir. */
    static IkeSa derive(CharonFixture f) throws Exception {
        IkeMessage request = IkeMessageCodec.decode(f.datagrams().get(0));
        IkeMessage response = IkeMessageCodec.decode(f.datagrams().get(1));
        IkeSa sa = new IkeSa(true);
        sa.spiI = request.header().initiatorSpi();
        sa.spiR = response.header().responderSpi();
        sa.nonceI = request.first(NoncePayload.class).nonce();
        sa.nonceR = response.first(NoncePayload.class).nonce();
        sa.initRequest = f.datagrams().get(0);
        sa.initResponse = f.datagrams().get(1);
        sa.negotiated(IkeCrypto.derive(ChosenProposalCheck.ike(ProposalParser.parseIke(List.of(f.proposal())),
                response.first(SaPayload.class)), prf -> IkeKeyDerivation.skeyseed(prf, sa.nonceI, sa.nonceR, f.key("gir")),
                sa.nonceI, sa.nonceR, sa.spiI, sa.spiR));
        return sa;
    }
}
