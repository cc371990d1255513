package org.mobilevpn.ike.engine;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterAll;

/**
 * The ike bundle's fuzz targets, fuzzed in one JVM: Jazzer fuzzes a single {@code @FuzzTest} per JVM, and
 * starting a JVM with Jazzer's agent, its hooks and the instrumentation costs more than the few seconds a
 * target gets in every build, so targets of a like speed share one. An input's last
 * byte chooses the target ({@link FuzzedDataProvider} takes numbers from the end), the rest is the target's
 * input; coverage guides the choice as it guides everything else. {@link EstablishedSessionFuzzTest} has a JVM of
 * its own: with a handshake per input it is some hundred times slower than these two and, sharing a loop, took
 * nearly all of its time (in 6 s: 59 sessions, 192 datagrams, 5 fragment sets; alone, each of these two runs
 * over 100,000).
 *
 * <p>Inputs and findings (a committed seed is a target's input with the target's number appended):
 * src/test/resources/org/mobilevpn/ike/engine/IkeFuzzTargetsInputs/fuzz.
 */
class IkeFuzzTargets {
    private static final String[] NAMES = {"IkeDatagramFuzzTest", "FragmentReassemblerFuzzTest"};
    private static final AtomicLongArray RUNS = new AtomicLongArray(NAMES.length);
    private final IkeDatagramFuzzTest datagram = new IkeDatagramFuzzTest();
    private final FragmentReassemblerFuzzTest fragments = new FragmentReassemblerFuzzTest();

    @FuzzTest
    void fuzz(FuzzedDataProvider in) throws Exception {
        int target = in.consumeInt(0, NAMES.length - 1);
        RUNS.incrementAndGet(target);
        if (target == 0) {
            datagram.datagram(in.consumeRemainingAsBytes());
        } else {
            fragments.fragments(in);
        }
    }

    /** How many inputs each target ran: the figure a fuzzing report gives per target. */
    @AfterAll
    static void runsPerTarget() {
        for (int i = 0; i < NAMES.length; i++) {
            System.out.printf("fuzz target %s: %d inputs%n", NAMES[i], RUNS.get(i));
        }
    }
}
