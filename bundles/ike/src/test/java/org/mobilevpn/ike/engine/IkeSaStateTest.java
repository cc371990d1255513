package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The legal moves of an IKE SA's life ({@link IkeSaState}) and the ones an engine bug would make. */
class IkeSaStateTest {

    @Test
    void anIkeSaLivesThroughARekeyAndItsDelete() {
        IkeSa sa = new IkeSa(true);
        sa.moveTo(IkeSaState.ESTABLISHED);
        sa.ourRekeyStarted();
        assertEquals(IkeSaState.REKEYING, sa.state());
        sa.ourRekeyEnded();
        assertEquals(IkeSaState.ESTABLISHED, sa.state());
        sa.retire();
        sa.moveTo(IkeSaState.DELETING);
        sa.close();
        assertEquals(IkeSaState.CLOSED, sa.state());
    }

    @Test
    void aDeleteUnderWayWinsOverARekeyAnswerAndARetirement() {
        IkeSa sa = new IkeSa(true);
        sa.moveTo(IkeSaState.ESTABLISHED);
        sa.ourRekeyStarted();
        sa.moveTo(IkeSaState.DELETING); // closing while our rekey is in flight (RFC 7296 §2.25.2)
        sa.ourRekeyEnded();
        assertEquals(IkeSaState.DELETING, sa.state());
        sa.ourRekeyStarted();
        sa.retire();
        assertEquals(IkeSaState.DELETING, sa.state());
    }

    @Test
    void movesThatWouldBeEngineBugsAreRefused() {
        IkeSa creating = new IkeSa(true);
        assertThrows(IllegalStateException.class, () -> creating.moveTo(IkeSaState.REKEYING));
        assertThrows(IllegalStateException.class, () -> creating.moveTo(IkeSaState.RETIRED));
        IkeSa closed = new IkeSa(true);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.moveTo(IkeSaState.ESTABLISHED));
        IkeSa retired = new IkeSa(true);
        retired.moveTo(IkeSaState.ESTABLISHED);
        retired.retire();
        assertThrows(IllegalStateException.class, () -> retired.moveTo(IkeSaState.ESTABLISHED));
    }

    @Test
    void theNegotiatedCryptoIsSetOnce() throws Exception {
        IkeSa sa = CharonFixtureTest.derive(CharonFixture.all().get(0));
        assertThrows(IllegalStateException.class, () -> sa.negotiated(IkeCrypto.of(sa.transforms(), sa.secrets())));
    }
}
