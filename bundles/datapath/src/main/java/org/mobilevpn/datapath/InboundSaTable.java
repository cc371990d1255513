package org.mobilevpn.datapath;

import java.util.Arrays;
import org.mobilevpn.api.esp.EspDecryptor;

/**
 * Immutable map from inbound SPI to its decryptor and tunnel: sorted SPIs, binary search, no
 * allocation per lookup. Changes make a new table that the pump picks up through a volatile
 * field, so a packet thread sees either the old or the new table, never a half-built one.
 */
final class InboundSaTable {
    static final InboundSaTable EMPTY = new InboundSaTable(new int[0], new EspDecryptor[0], new EspTunnel[0]);

    private final int[] spis;
    private final EspDecryptor[] decryptors;
    private final EspTunnel[] tunnels;

    private InboundSaTable(int[] spis, EspDecryptor[] decryptors, EspTunnel[] tunnels) {
        this.spis = spis;
        this.decryptors = decryptors;
        this.tunnels = tunnels;
    }

    /** Index of {@code spi}, or a negative number. */
    int find(int spi) {
        return Arrays.binarySearch(spis, spi);
    }

    EspDecryptor decryptor(int index) {
        return decryptors[index];
    }

    EspTunnel tunnel(int index) {
        return tunnels[index];
    }

    int size() {
        return spis.length;
    }

    /** A table with this SA added; the SPI must not be present yet. */
    InboundSaTable with(EspDecryptor d, EspTunnel t) {
        int at = find(d.spi());
        if (at >= 0) {
            throw new IllegalArgumentException(String.format("inbound SPI %08x is installed already", d.spi()));
        }
        int ins = -at - 1;
        int n = spis.length;
        int[] s = new int[n + 1];
        EspDecryptor[] ds = new EspDecryptor[n + 1];
        EspTunnel[] ts = new EspTunnel[n + 1];
        System.arraycopy(spis, 0, s, 0, ins);
        System.arraycopy(decryptors, 0, ds, 0, ins);
        System.arraycopy(tunnels, 0, ts, 0, ins);
        s[ins] = d.spi();
        ds[ins] = d;
        ts[ins] = t;
        System.arraycopy(spis, ins, s, ins + 1, n - ins);
        System.arraycopy(decryptors, ins, ds, ins + 1, n - ins);
        System.arraycopy(tunnels, ins, ts, ins + 1, n - ins);
        return new InboundSaTable(s, ds, ts);
    }

    /** A table without the entries {@code keep} rejects. */
    InboundSaTable filter(java.util.function.BiPredicate<EspDecryptor, EspTunnel> keep) {
        int n = 0;
        int[] s = new int[spis.length];
        EspDecryptor[] ds = new EspDecryptor[spis.length];
        EspTunnel[] ts = new EspTunnel[spis.length];
        for (int i = 0; i < spis.length; i++) {
            if (keep.test(decryptors[i], tunnels[i])) {
                s[n] = spis[i];
                ds[n] = decryptors[i];
                ts[n] = tunnels[i];
                n++;
            }
        }
        return new InboundSaTable(Arrays.copyOf(s, n), Arrays.copyOf(ds, n), Arrays.copyOf(ts, n));
    }

    /** The decryptors {@code keep} rejects (to close after the swap). */
    java.util.List<EspDecryptor> rejected(java.util.function.BiPredicate<EspDecryptor, EspTunnel> keep) {
        java.util.List<EspDecryptor> out = new java.util.ArrayList<>();
        for (int i = 0; i < spis.length; i++) {
            if (!keep.test(decryptors[i], tunnels[i])) {
                out.add(decryptors[i]);
            }
        }
        return out;
    }

    /** Every entry, for counters. */
    void forEach(java.util.function.BiConsumer<EspDecryptor, EspTunnel> action) {
        for (int i = 0; i < spis.length; i++) {
            action.accept(decryptors[i], tunnels[i]);
        }
    }
}
