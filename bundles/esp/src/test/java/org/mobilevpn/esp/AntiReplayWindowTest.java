package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.esp.EspStatus;

/** RFC 4303 §3.4.3 window edges and Appendix A2 ESN inference, including the 2^32 wrap. */
class AntiReplayWindowTest {

    private static EspStatus receive(AntiReplayWindow window, long seq) {
        EspStatus status = window.check(seq);
        if (status == EspStatus.OK) {
            window.accept(seq);
        }
        return status;
    }

    @Test
    void sequenceNumberZeroIsNeverValid() {
        AntiReplayWindow window = new AntiReplayWindow(128, false, 0);
        assertEquals(EspStatus.TOO_OLD, window.check(0));
        assertEquals(EspStatus.OK, receive(window, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32, 64, 100, 128, 192, 1000, 4096})
    void acceptsExactlyTheLastWindowSizeNumbers(int size) {
        AntiReplayWindow window = new AntiReplayWindow(size, false, 0);
        long top = 10_000;
        assertEquals(EspStatus.OK, receive(window, top));
        assertEquals(EspStatus.REPLAY, window.check(top));
        long oldestInWindow = top - size + 1;
        assertEquals(EspStatus.TOO_OLD, window.check(oldestInWindow - 1));
        if (size > 1) {
            assertEquals(EspStatus.OK, receive(window, oldestInWindow));
            assertEquals(EspStatus.REPLAY, receive(window, oldestInWindow));
        }
        assertEquals(EspStatus.OK, receive(window, top + 1));
        assertEquals(top + 1, window.highest());
    }

    @Test
    void outOfOrderArrivalsInsideTheWindowAreEachAcceptedOnce() {
        AntiReplayWindow window = new AntiReplayWindow(128, false, 0);
        long[] order = {5, 3, 4, 1, 2, 130, 10, 129, 7};
        for (long seq : order) {
            assertEquals(EspStatus.OK, receive(window, seq), "first " + seq);
        }
        for (long seq : order) {
            EspStatus again = window.check(seq);
            assertEquals(130 - seq >= 128 ? EspStatus.TOO_OLD : EspStatus.REPLAY, again, "again " + seq);
        }
        assertEquals(EspStatus.OK, receive(window, 6), "never received, still inside");
    }

    @Test
    void aJumpFartherThanTheRingClearsEveryOldBit() {
        AntiReplayWindow window = new AntiReplayWindow(64, false, 0);
        for (long seq = 1; seq <= 64; seq++) {
            receive(window, seq);
        }
        long far = 64 + 100_000;
        assertEquals(EspStatus.OK, receive(window, far));
        for (long seq = far - 63; seq < far; seq++) {
            assertEquals(EspStatus.OK, window.check(seq), "stale bit for " + seq);
        }
    }

    @Test
    void slidingByOneBlockKeepsBitsStillInsideTheWindow() {
        AntiReplayWindow window = new AntiReplayWindow(128, false, 0);
        for (long seq = 1; seq <= 200; seq += 2) {
            receive(window, seq);
        }
        // top 199: window 72..199, odd ones seen, even ones not.
        for (long seq = 72; seq <= 199; seq++) {
            assertEquals(seq % 2 == 1 ? EspStatus.REPLAY : EspStatus.OK, window.check(seq), "seq " + seq);
        }
        assertEquals(EspStatus.TOO_OLD, window.check(71));
    }

    @Test
    void aForgedPacketNeverMovesTheWindow() {
        AntiReplayWindow window = new AntiReplayWindow(32, false, 0);
        receive(window, 10);
        assertEquals(EspStatus.OK, window.check(1_000_000)); // checked, then the ICV fails: no accept
        assertEquals(EspStatus.OK, receive(window, 9));
        assertEquals(10, window.highest());
    }

    @Test
    void disabledWindowLetsDuplicatesThroughButStillTracksTheTop() {
        AntiReplayWindow window = new AntiReplayWindow(0, false, 0);
        assertEquals(EspStatus.OK, receive(window, 7));
        assertEquals(EspStatus.OK, receive(window, 7));
        assertEquals(EspStatus.OK, receive(window, 1));
        assertEquals(7, window.highest());
    }

    @Test
    void resumedWindowTreatsEverythingUpToTheTopAsSeen() {
        AntiReplayWindow window = new AntiReplayWindow(128, false, 100);
        assertEquals(EspStatus.REPLAY, window.check(100));
        assertEquals(EspStatus.REPLAY, window.check(99));
        assertEquals(EspStatus.OK, receive(window, 103));
        assertEquals(EspStatus.OK, receive(window, 101), "above the resumed top: not seen yet");
        assertEquals(EspStatus.OK, receive(window, 102));
    }

    @Test
    void withoutEsnTheWireValueIsTheSequenceNumber() {
        AntiReplayWindow window = new AntiReplayWindow(128, false, 0);
        assertEquals(0xFFFF_FFFFL, window.infer(-1));
        receive(window, 0xFFFF_FFF0L);
        assertEquals(5, window.infer(5), "no ESN: no wrap into a new subspace");
        assertEquals(EspStatus.TOO_OLD, window.check(window.infer(5)));
    }

    @Test
    void esnCaseAWindowInsideOneSubspace() {
        AntiReplayWindow window = new AntiReplayWindow(128, true, 0);
        receive(window, 0x3_0000_1000L);
        assertEquals(0x3_0000_0F81L, window.infer(0x0F81), "bottom of the window: same high bits");
        assertEquals(0x3_0000_2000L, window.infer(0x2000), "ahead: same high bits");
        assertEquals(0x4_0000_0F80L, window.infer(0x0F80), "below the window: the sender wrapped");
        assertEquals(EspStatus.OK, receive(window, window.infer(0x0F81)));
        assertEquals(EspStatus.REPLAY, window.check(window.infer(0x0F81)));
    }

    @Test
    void esnWrapAcrossTwoToThe32() {
        AntiReplayWindow window = new AntiReplayWindow(128, true, 0);
        receive(window, 0xFFFF_FFF0L);
        long afterWrap = window.infer(0x5);
        assertEquals(0x1_0000_0005L, afterWrap, "low number after a high top: next subspace");
        assertEquals(EspStatus.OK, receive(window, afterWrap));
        // Case B: the window now straddles the boundary; late packets from before the wrap still fit.
        long late = window.infer(0xFFFF_FFF8);
        assertEquals(0xFFFF_FFF8L, late, "late packet keeps the old high bits");
        assertEquals(EspStatus.OK, receive(window, late));
        assertEquals(EspStatus.REPLAY, window.check(window.infer(0xFFFF_FFF0)));
        assertEquals(EspStatus.OK, window.check(window.infer(0xFFFF_FFF1)));
        assertEquals(0x1_0000_0004L, window.infer(0x4));
        assertEquals(EspStatus.OK, receive(window, window.infer(0x4)));
        assertEquals(0x1_0000_0005L, window.highest());
    }

    @Test
    void esnAtTheStartNothingBelowSubspaceZero() {
        AntiReplayWindow window = new AntiReplayWindow(128, true, 0);
        assertEquals(EspStatus.TOO_OLD, window.check(window.infer(0xFFFF_FFF0)));
        assertEquals(1, window.infer(1));
    }

    @Test
    void esnLargestWindowAcrossTheBoundary() {
        AntiReplayWindow window = new AntiReplayWindow(4096, true, 0);
        receive(window, 0x7_FFFF_FF00L);
        receive(window, 0x8_0000_0010L);
        assertEquals(0x7_FFFF_F020L, window.infer(0xFFFF_F020), "within 4096 before the wrap");
        assertEquals(EspStatus.OK, window.check(0x7_FFFF_F020L));
        assertEquals(0x8_FFFF_F010L, window.infer(0xFFFF_F010),
                "just below the window reads as far ahead (A2.1); the ICV with those high bits will fail");
        assertEquals(EspStatus.REPLAY, window.check(window.infer(0xFFFF_FF00)));
    }
}
