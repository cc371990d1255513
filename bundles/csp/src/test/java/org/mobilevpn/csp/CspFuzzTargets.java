package org.mobilevpn.csp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterAll;

/**
 * The csp bundle's fuzz targets, fuzzed in one JVM: Jazzer fuzzes a single {@code @FuzzTest} per JVM, and
 * starting a JVM with Jazzer's agent, its hooks and the instrumentation costs more than the few seconds a
 * target gets in every build, so targets of a like speed share one. An input's last
 * byte chooses the target ({@link FuzzedDataProvider} takes numbers from the end), the rest is the target's
 * input (the JSON reader's as UTF-8 text).
 *
 * <p>Inputs and findings (a committed seed is a target's input with the target's number appended):
 * src/test/resources/org/mobilevpn/csp/CspFuzzTargetsInputs/fuzz.
 */
class CspFuzzTargets {
    private static final String[] NAMES = {"ProfileParserFuzzTest", "BoundedJsonReaderFuzzTest"};
    private static final AtomicLongArray RUNS = new AtomicLongArray(NAMES.length);
    private final ProfileParserFuzzTest profile = new ProfileParserFuzzTest();
    private final BoundedJsonReaderFuzzTest json = new BoundedJsonReaderFuzzTest();

    @FuzzTest
    void fuzz(FuzzedDataProvider in) {
        int target = in.consumeInt(0, NAMES.length - 1);
        RUNS.incrementAndGet(target);
        if (target == 0) {
            profile.profile(in);
        } else {
            json.document(new String(in.consumeRemainingAsBytes(), StandardCharsets.UTF_8));
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
