package org.mobilevpn.esp.crypto;

/** Which GHASH multiplication an {@link AesGcm} uses; the trade-off is measured in docs/benchmarks.md. */
public enum GhashVariant {
    /** {@link TableGhash}: 64 KB of tables per key, table look-ups indexed by secret-dependent data. */
    TABLES,
    /** {@link ConstantTimeGhash}: integer multiplications only, no secret-dependent memory access. */
    CONSTANT_TIME,
    /**
     * {@link JdkClmulGhash}: the JDK's GHASH on the CPU's carry-less multiplication, no secret-dependent memory
     * access, the fastest; only where {@link JdkClmulGhash#UNAVAILABLE} is null.
     */
    CLMUL;

    Ghash create(byte[] h) {
        switch (this) {
            case TABLES:
                return new TableGhash(h);
            case CONSTANT_TIME:
                return new ConstantTimeGhash(h);
            default:
                return new JdkClmulGhash(h);
        }
    }
}
