package org.mobilevpn.esp.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * GHASH (NIST SP 800-38D §6.4) by the JDK's own GHASH ({@code com.sun.crypto.provider.GHASH}), whose block
 * function HotSpot replaces with a carry-less multiplication intrinsic (PCLMULQDQ on x86-64, PMULL on
 * AArch64; {@code -XX:+UseGHASHIntrinsics}, on by default where the CPU has it). A carry-less multiplication
 * instruction takes its operands in registers, so there is no secret-dependent memory access or branch, and
 * it is several times faster than {@link TableGhash} (docs/benchmarks.md, ESP transforms). The JDK's
 * AES/GCM cipher uses the same code, but Java 17 lets it take a new IV only through {@code Cipher.init},
 * which allocates ~1.1 KB per packet; this class calls the GHASH alone, which allocates nothing.
 *
 * <p>The class is not exported by {@code java.base}: it is reached through method handles and needs
 * {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (bin/mobilevpn passes it). It is used only
 * when that works, the JVM does not say it runs without the intrinsic (whose Java fallback is slower than ours,
 * though constant-time as well), and it gives the same hash as {@link ConstantTimeGhash} on a fixed input
 * ({@link #UNAVAILABLE} says why not otherwise); a later JDK that changes the class makes it unavailable, never
 * wrong.
 */
public final class JdkClmulGhash extends Ghash {

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final String JDK_GHASH = "com.sun.crypto.provider.GHASH";
    private static final MethodHandle NEW;
    private static final MethodHandle UPDATE;
    private static final MethodHandle STATE;
    private static final MethodHandle SUBKEY_TABLE;
    /** Why this GHASH cannot be used here, or {@code null} when it can. */
    public static final String UNAVAILABLE;

    static {
        MethodHandle create = null;
        MethodHandle update = null;
        MethodHandle state = null;
        MethodHandle subkey = null;
        String problem;
        try {
            Class<?> c = Class.forName(JDK_GHASH, false, null);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            create = lookup.findConstructor(c, MethodType.methodType(void.class, byte[].class))
                    .asType(MethodType.methodType(Object.class, byte[].class));
            update = lookup.findVirtual(c, "update", MethodType.methodType(int.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            state = lookup.findGetter(c, "state", long[].class).asType(MethodType.methodType(long[].class, Object.class));
            subkey = lookup.findGetter(c, "subkeyHtbl", long[].class).asType(MethodType.methodType(long[].class, Object.class));
            problem = intrinsicProblem();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problem = "the JDK's " + JDK_GHASH + " is not reachable (" + e + "); it needs "
                    + "--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED";
        }
        NEW = create;
        UPDATE = update;
        STATE = state;
        SUBKEY_TABLE = subkey;
        UNAVAILABLE = problem == null ? knownAnswerProblem() : problem;
    }

    private final Object ghash;
    private final long[] state;
    private final long[] subkeyTable;
    /** One block of our own (a partial block with its zero padding, or the lengths block). */
    private final byte[] block = new byte[16];

    /**
     * @param h the hash subkey H = E(K, 0<sup>128</sup>), 16 bytes; not kept by this object (the JDK's GHASH
     *          keeps its own copy, wiped by {@link #wipe})
     * @throws IllegalStateException when {@link #UNAVAILABLE} is not null
     */
    public JdkClmulGhash(byte[] h) {
        this(started(available(h)));
    }

    private JdkClmulGhash(Object ghash) {
        this.ghash = ghash;
        try {
            state = (long[]) STATE.invokeExact(ghash);
            subkeyTable = (long[]) SUBKEY_TABLE.invokeExact(ghash);
        } catch (Throwable e) {
            throw new IllegalStateException("the JDK's GHASH keeps its state elsewhere: " + e, e);
        }
    }

    private static byte[] available(byte[] h) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        subkeyWords(h); // checks the length as the other GHASHes do
        return h;
    }

    private static Object started(byte[] h) {
        try {
            return (Object) NEW.invokeExact(h);
        } catch (Throwable e) {
            throw new IllegalStateException("the JDK's GHASH failed to start: " + e, e);
        }
    }

    @Override
    void multiplyBlocks(byte[] b, int offset, int blocks) {
        try {
            int done = (int) UPDATE.invokeExact(ghash, b, offset, blocks << 4);
            assert done == blocks << 4;
        } catch (Throwable e) {
            throw new IllegalStateException("the JDK's GHASH failed: " + e, e); // only bounds, which callers keep
        }
    }

    @Override
    void multiplyBlock(long xHi, long xLo) {
        BIG_ENDIAN_LONG.set(block, 0, xHi);
        BIG_ENDIAN_LONG.set(block, 8, xLo);
        multiplyBlocks(block, 0, 1);
    }

    @Override
    public void reset() {
        state[0] = 0;
        state[1] = 0;
    }

    @Override
    public long high() {
        return state[0];
    }

    @Override
    public long low() {
        return state[1];
    }

    @Override
    public void wipe() {
        Arrays.fill(subkeyTable, 0);
        Arrays.fill(block, (byte) 0);
        reset();
    }

    /**
     * Null unless the JVM says it runs the JDK's GHASH without the intrinsic, whose Java fallback is slower than
     * {@link ConstantTimeGhash}: {@code UseGHASHIntrinsics} is a diagnostic option, readable only where they are
     * unlocked; {@code UseCLMUL} (x86-64) says whether the CPU's instruction is used. Where neither can be read
     * (AArch64), the JDK's GHASH is used: still constant-time, with PMULL wherever the CPU has it.
     */
    private static String intrinsicProblem() {
        for (String option : new String[] {"UseGHASHIntrinsics", "UseCLMUL"}) {
            String value = vmOption(option);
            if (value != null) {
                return "true".equals(value) ? null : "the JVM runs without the GHASH intrinsic (" + option + " = " + value + ")";
            }
        }
        return null;
    }

    /**
     * The value of a HotSpot option, or null where the JVM does not show it. Asked of the diagnostic MXBean
     * directly, not through the platform MBean server: making that server registers every platform MBean and
     * loads about 670 more classes (JMX, open types, JFR's beans), metadata the runtime keeps for nothing.
     */
    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null; // not this JVM's option, or no HotSpot diagnostic bean
        }
    }

    /** Null when the JDK's GHASH hashes a fixed input as {@link ConstantTimeGhash} does, else the difference. */
    private static String knownAnswerProblem() {
        byte[] h = new byte[16];
        byte[] data = new byte[67]; // four whole blocks and a partial one
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (31 * i + 7);
            h[i & 15] ^= (byte) (13 * i + 1);
        }
        try {
            JdkClmulGhash jdk = new JdkClmulGhash(started(h));
            ConstantTimeGhash ours = new ConstantTimeGhash(h);
            for (Ghash g : new Ghash[] {jdk, ours}) {
                g.reset();
                g.updatePadded(data, 0, data.length);
                g.updateLengths(3, data.length - 3);
            }
            boolean same = jdk.high() == ours.high() && jdk.low() == ours.low();
            jdk.wipe();
            ours.wipe();
            return same ? null : "the JDK's GHASH disagrees with ours on a known input";
        } catch (RuntimeException e) {
            return "the JDK's GHASH failed its known-answer check: " + e;
        }
    }
}
