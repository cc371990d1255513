package org.mobilevpn.ike.proposal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.Transform;

class ProposalParserTest {

    @Test
    void ikeAeadProposal() {
        ProposalSpec p = ProposalParser.parseIke("aes256gcm16-prfsha384-x25519");
        assertEquals(List.of(EncryptionAlgorithm.AES_GCM_16_256), p.encryption());
        assertEquals(List.of(PrfAlgorithm.HMAC_SHA2_384), p.prf());
        assertEquals(List.of(KeyExchangeMethod.CURVE25519), p.keyExchange());
        assertTrue(p.integrity().isEmpty());
    }

    @Test
    void ikeClassicProposalDerivesPrfFromIntegrity() {
        ProposalSpec p = ProposalParser.parseIke("aes128-sha256-modp2048");
        assertEquals(List.of(EncryptionAlgorithm.AES_CBC_128), p.encryption());
        assertEquals(List.of(IntegrityAlgorithm.HMAC_SHA2_256_128), p.integrity());
        assertEquals(List.of(PrfAlgorithm.HMAC_SHA2_256), p.prf());
        ProposalSpec many = ProposalParser.parseIke("AES128-aes256-sha256-sha512-ecp256-modp3072");
        assertEquals(2, many.encryption().size());
        assertEquals(List.of(PrfAlgorithm.HMAC_SHA2_256, PrfAlgorithm.HMAC_SHA2_512), many.prf());
        assertEquals(List.of(KeyExchangeMethod.ECP_256, KeyExchangeMethod.MODP_3072), many.keyExchange());
        // AEAD without a PRF keyword: all SHA-2 PRFs are offered.
        assertEquals(3, ProposalParser.parseIke("chacha20poly1305-x25519").prf().size());
    }

    @Test
    void espProposals() {
        ProposalSpec gcm = ProposalParser.parseEsp("aes128gcm16");
        assertEquals(EncryptionAlgorithm.AES_GCM_16_128, gcm.encryption().get(0));
        assertEquals(List.of(false), gcm.esn());
        ProposalSpec cbc = ProposalParser.parseEsp("aes256-sha256-esn");
        assertEquals(List.of(IntegrityAlgorithm.HMAC_SHA2_256_128), cbc.integrity());
        assertEquals(List.of(true), cbc.esn());
        assertEquals(List.of(true, false), ProposalParser.parseEsp("aes256-sha256-esn-noesn").esn());
        assertEquals(List.of(KeyExchangeMethod.ECP_384), ProposalParser.parseEsp("chacha20poly1305-ecp384").keyExchange());

        Proposal wire = cbc.toProposal(2, new byte[] {1, 2, 3, 4});
        assertEquals(ProtocolId.ESP, wire.protocolId());
        assertEquals(256, wire.transforms(Transform.TYPE_ENCR).get(0).keyLength());
        assertEquals(1, wire.transforms(Transform.TYPE_ESN).get(0).id());
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProposalParser.parseIke("aes128-sha1-modp2048"));
        assertTrue(e.getMessage().contains("'sha1'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("proposals: "), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke("aes128-sha256"))
                .getMessage().contains("no key exchange"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("aes128"))
                .getMessage().contains("no integrity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("aes128gcm16-sha256"))
                .getMessage().contains("AEAD"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("aes128gcm16-prfsha256"))
                .getMessage().startsWith("esp_proposals: "));
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke("aes128gcm16-aes128-sha256-x25519"));
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke("aes128gcm8-x25519"));
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke("aes128--sha256-x25519"));
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke(" "));
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke("aes256gcm16-x25519-esn"));
    }

    @Test
    void chosenProposalMustBeASubsetOfOneOffer() throws Exception {
        List<ProposalSpec> offered = ProposalParser.parseIke(List.of("aes256gcm16-prfsha384-x25519", "aes128-sha256-ecp256-modp2048"));
        SaPayload ok = new SaPayload(List.of(new Proposal(2, ProtocolId.IKE, new byte[0], List.of(
                Transform.withKeyLength(Transform.TYPE_ENCR, 12, 128), Transform.of(Transform.TYPE_PRF, 5),
                Transform.of(Transform.TYPE_INTEG, 12), Transform.of(Transform.TYPE_KE, 14)))));
        IkeTransforms t = ChosenProposalCheck.ike(offered, ok);
        assertEquals(KeyExchangeMethod.MODP_2048, t.keyExchange());
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, t.integrity());

        SaPayload wrongKeyLength = new SaPayload(List.of(new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
                Transform.withKeyLength(Transform.TYPE_ENCR, 20, 128), Transform.of(Transform.TYPE_PRF, 6),
                Transform.of(Transform.TYPE_KE, 31)))));
        assertThrows(ProposalMismatchException.class, () -> ChosenProposalCheck.ike(offered, wrongKeyLength));
        SaPayload twoKe = new SaPayload(List.of(new Proposal(2, ProtocolId.IKE, new byte[0], List.of(
                Transform.withKeyLength(Transform.TYPE_ENCR, 12, 128), Transform.of(Transform.TYPE_PRF, 5),
                Transform.of(Transform.TYPE_INTEG, 12), Transform.of(Transform.TYPE_KE, 14), Transform.of(Transform.TYPE_KE, 19)))));
        assertThrows(ProposalMismatchException.class, () -> ChosenProposalCheck.ike(offered, twoKe));
        SaPayload unknownNumber = new SaPayload(List.of(new Proposal(3, ProtocolId.IKE, new byte[0], List.of())));
        assertThrows(ProposalMismatchException.class, () -> ChosenProposalCheck.ike(offered, unknownNumber));

        List<ProposalSpec> esp = ProposalParser.parseEsp(List.of("aes128gcm16"));
        SaPayload espChosen = new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[] {(byte) 0xc1, 2, 3, 4}, List.of(
                Transform.withKeyLength(Transform.TYPE_ENCR, 20, 128), Transform.of(Transform.TYPE_ESN, 0)))));
        EspTransforms et = ChosenProposalCheck.esp(esp, espChosen, false);
        assertEquals(0xc1020304, et.peerSpi());
        assertEquals(false, et.esn());
    }
}
