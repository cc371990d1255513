package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The GHASH implementations against each other, and what wiping leaves behind. */
class GhashTest {

    @Test
    void theJdkGhashIsReachableWithTheOptionsTheRuntimeStartsWith() {
        // The build passes bin/mobilevpn's --add-opens to the tests: without it this would name what is missing.
        assertNull(JdkClmulGhash.UNAVAILABLE);
    }

    @Test
    void allAgreeOnRandomKeysAndInputs() {
        Random random = new Random(38);
        for (int i = 0; i < 500; i++) {
            byte[] h = new byte[16];
            random.nextBytes(h);
            if (i == 0) {
                h = new byte[16];
                h[15] = 1; // H = x^127: every product needs the reduction
            }
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            int offset = random.nextInt(data.length + 1);
            int aad = random.nextInt(data.length - offset + 1);
            Ghash a = new TableGhash(h);
            for (Ghash b : new Ghash[] {new ConstantTimeGhash(h), new JdkClmulGhash(h)}) {
                for (Ghash g : new Ghash[] {a, b}) { // AAD and text at an offset, each padded: as GCM feeds them
                    g.reset();
                    g.updatePadded(data, offset, aad);
                    g.updatePadded(data, offset + aad, data.length - offset - aad);
                    g.updateLengths(aad, data.length - offset - aad);
                }
                assertEquals(a.high(), b.high(), "high word, case " + i + ", " + b.getClass().getSimpleName());
                assertEquals(a.low(), b.low(), "low word, case " + i + ", " + b.getClass().getSimpleName());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GhashVariant.class)
    void wipeLeavesNothingOfTheHashSubkey(GhashVariant variant) {
        byte[] h = new byte[16];
        new Random(7).nextBytes(h);
        Ghash ghash = variant.create(h);
        byte[] block = new byte[16];
        block[0] = (byte) 0x80; // the field element 1: its product with H is H itself
        ghash.reset();
        ghash.updatePadded(block, 0, 16);
        assertNotEquals(0, ghash.high() | ghash.low());
        ghash.wipe();
        assertEquals(0, ghash.high() | ghash.low(), "running value cleared");
        ghash.updatePadded(block, 0, 16);
        assertEquals(0, ghash.high() | ghash.low(), "after wipe every product is 0: no trace of H is left");
    }
}
