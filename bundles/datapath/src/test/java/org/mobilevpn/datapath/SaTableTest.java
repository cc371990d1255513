package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Copy-on-write SA tables: a published table never changes, a rekey holds old and new inbound SAs. */
class SaTableTest {

    @Test
    void addingMakesANewTableAndLeavesTheOldOneAlone() {
        FakeTransforms.Dec a = new FakeTransforms.Dec(0xc0000001, 1);
        InboundSaTable t1 = InboundSaTable.EMPTY.with(a, null);
        InboundSaTable t2 = t1.with(new FakeTransforms.Dec(0x00001000, 2), null);
        assertEquals(1, t1.size());
        assertEquals(2, t2.size());
        assertTrue(t1.find(0x00001000) < 0, "the table a packet thread holds is immutable");
        assertSame(a, t2.decryptor(t2.find(0xc0000001)));
    }

    @Test
    void spisAboveTwoToThe31AreFoundAsSignedInts() {
        InboundSaTable t = InboundSaTable.EMPTY;
        int[] spis = {0xffffffff, 0x80000000, 0x7fffffff, 0x100, 0xc0de0001};
        for (int s : spis) {
            t = t.with(new FakeTransforms.Dec(s, 1), null);
        }
        for (int s : spis) {
            assertEquals(s, t.decryptor(t.find(s)).spi());
        }
        assertTrue(t.find(0x101) < 0);
    }

    @Test
    void duplicateInboundSpiIsRefused() {
        InboundSaTable t = InboundSaTable.EMPTY.with(new FakeTransforms.Dec(0x1234, 1), null);
        assertThrows(IllegalArgumentException.class, () -> t.with(new FakeTransforms.Dec(0x1234, 2), null));
    }

    @Test
    void rekeyKeepsOldInboundUntilItIsRemoved() {
        FakeTransforms.Dec old = new FakeTransforms.Dec(0xaaaa0001, 7);
        FakeTransforms.Dec fresh = new FakeTransforms.Dec(0xaaaa0002, 7);
        InboundSaTable t = InboundSaTable.EMPTY.with(old, null).with(fresh, null);
        assertTrue(t.find(old.spi()) >= 0 && t.find(fresh.spi()) >= 0, "both accepted during the rekey");

        InboundSaTable after = t.filter((d, tun) -> d.spi() != old.spi());
        assertEquals(List.of(old), t.rejected((d, tun) -> d.spi() != old.spi()));
        assertTrue(after.find(old.spi()) < 0);
        assertTrue(after.find(fresh.spi()) >= 0);
        assertTrue(t.find(old.spi()) >= 0, "the previous table is unchanged");
    }

    @Test
    void outboundRekeyReplacesPerChildSa() {
        FakeTransforms.Enc e1 = new FakeTransforms.Enc(0x1001, 1);
        FakeTransforms.Enc e2 = new FakeTransforms.Enc(0x2001, 2);
        FakeTransforms.Enc e1b = new FakeTransforms.Enc(0x1002, 1);
        OutboundSaTable t = OutboundSaTable.EMPTY.with(e2).with(e1);
        OutboundSaTable rekeyed = t.with(e1b);
        assertSame(e1, t.find(1));
        assertSame(e1b, rekeyed.find(1));
        assertSame(e2, rekeyed.find(2));
        assertNull(rekeyed.without(1).find(1));
        assertSame(e2, rekeyed.without(1).find(2));
        assertNull(OutboundSaTable.EMPTY.find(1));
    }
}
