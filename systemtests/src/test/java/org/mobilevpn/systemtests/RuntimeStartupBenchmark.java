package org.mobilevpn.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * Time from {@code bin/mobilevpn --daemon} to every bundle active and every component satisfied,
 * on a fresh copy (empty framework cache) and on restarts (cache kept), and time to stop on SIGTERM.
 * Not part of {@code mvn verify}; run it with
 * {@code mvn -B verify -pl systemtests -Dit.test=RuntimeStartupBenchmark}.
 */
@SystemTest(tag = "rtbench", requires = {"java"})
class RuntimeStartupBenchmark {

    private static final int RUNS = 5;

    @Test
    void startAndStopTimes(SystemTestContext ctx) {
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Long> stop = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            RuntimeProcess runtime = ctx.register(RuntimeProcess.start(ctx.netns("c" + i), ctx.outputDir("cold" + i)));
            cold.add(runtime.awaitHealthy(Duration.ofSeconds(120)).toMillis());
            stop.add(timedStop(runtime));
            runtime.restart();
            warm.add(runtime.awaitHealthy(Duration.ofSeconds(120)).toMillis());
            stop.add(timedStop(runtime));
        }
        System.out.printf("startup to healthy, fresh copy: median %d ms %s%n", median(cold), cold);
        System.out.printf("startup to healthy, restart:    median %d ms %s%n", median(warm), warm);
        System.out.printf("SIGTERM to exit:                median %d ms %s%n", median(stop), stop);
    }

    private static long timedStop(RuntimeProcess runtime) {
        long start = System.nanoTime();
        int status = runtime.stop(Duration.ofSeconds(10));
        if (status != 0) {
            throw new AssertionError("exit status " + status);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
