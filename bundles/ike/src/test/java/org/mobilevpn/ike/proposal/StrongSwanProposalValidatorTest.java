package org.mobilevpn.ike.proposal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StrongSwanProposalValidatorTest {

    private final StrongSwanProposalValidator validator = new StrongSwanProposalValidator();

    @Test
    void acceptsWhatTheEngineCanOffer() {
        assertDoesNotThrow(() -> validator.checkIkeProposal("aes256gcm16-prfsha384-x25519"));
        assertDoesNotThrow(() -> validator.checkIkeProposal("aes128-sha256-modp2048"));
        assertDoesNotThrow(() -> validator.checkEspProposal("chacha20poly1305"));
        assertDoesNotThrow(() -> validator.checkEspProposal("aes256-sha256-esn"));
    }

    @Test
    void rejectsAnUnknownKeywordByName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> validator.checkIkeProposal("aes256gcm16-prfsha384-x448"));
        assertTrue(error.getMessage().contains("x448"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> validator.checkEspProposal("3des-md5"));
    }
}
