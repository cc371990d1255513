package org.mobilevpn.datapath;

import java.util.Arrays;
import org.mobilevpn.api.esp.EspEncryptor;

/**
 * Immutable map from Child SA id to the encryptor currently used for it: one outbound SA per
 * Child SA; a rekey replaces it in a new table (copy on write, published through a volatile field).
 */
final class OutboundSaTable {
    static final OutboundSaTable EMPTY = new OutboundSaTable(new int[0], new EspEncryptor[0]);

    private final int[] childSaIds;
    private final EspEncryptor[] encryptors;

    private OutboundSaTable(int[] childSaIds, EspEncryptor[] encryptors) {
        this.childSaIds = childSaIds;
        this.encryptors = encryptors;
    }

    /** The encryptor for a Child SA, or null. */
    EspEncryptor find(int childSaId) {
        int i = Arrays.binarySearch(childSaIds, childSaId);
        return i >= 0 ? encryptors[i] : null;
    }

    /** A table where {@code e} serves its Child SA; the encryptor it replaces, if any, is not closed here. */
    OutboundSaTable with(EspEncryptor e) {
        int i = Arrays.binarySearch(childSaIds, e.childSaId());
        if (i >= 0) {
            EspEncryptor[] es = encryptors.clone();
            es[i] = e;
            return new OutboundSaTable(childSaIds, es);
        }
        int ins = -i - 1;
        int n = childSaIds.length;
        int[] ids = new int[n + 1];
        EspEncryptor[] es = new EspEncryptor[n + 1];
        System.arraycopy(childSaIds, 0, ids, 0, ins);
        System.arraycopy(encryptors, 0, es, 0, ins);
        ids[ins] = e.childSaId();
        es[ins] = e;
        System.arraycopy(childSaIds, ins, ids, ins + 1, n - ins);
        System.arraycopy(encryptors, ins, es, ins + 1, n - ins);
        return new OutboundSaTable(ids, es);
    }

    OutboundSaTable without(int childSaId) {
        int i = Arrays.binarySearch(childSaIds, childSaId);
        if (i < 0) {
            return this;
        }
        int n = childSaIds.length;
        int[] ids = new int[n - 1];
        EspEncryptor[] es = new EspEncryptor[n - 1];
        System.arraycopy(childSaIds, 0, ids, 0, i);
        System.arraycopy(encryptors, 0, es, 0, i);
        System.arraycopy(childSaIds, i + 1, ids, i, n - i - 1);
        System.arraycopy(encryptors, i + 1, es, i, n - i - 1);
        return new OutboundSaTable(ids, es);
    }

    EspEncryptor[] all() {
        return encryptors.clone();
    }
}
