package org.mobilevpn.esp.crypto;

/** Which GHASH multiplication an {@link AesGcm} uses; the trade-off is measured in docs/benchmarks.md. */
public enum GhashVariant {
    /** {@link TableGhash}: 64 KB of tables per key, fastest, table look-ups indexed by secret-dependent data. */
    TABLES,
    /** {@link ConstantTimeGhash}: integer multiplications only, no secret-dependent memory access. */
    CONSTANT_TIME;

    Ghash create(byte[] h) {
        return this == TABLES ? new TableGhash(h) : new ConstantTimeGhash(h);
    }
}
