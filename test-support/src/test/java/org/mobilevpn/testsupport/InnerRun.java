package org.mobilevpn.testsupport;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/** Runs a test class through the JUnit Platform and records what happened to each test and container. */
final class InnerRun implements TestExecutionListener {

    /** One finished or skipped test/container: display name, status, message of its throwable. */
    record Outcome(String name, String status, String message) {
    }

    final List<Outcome> outcomes = new ArrayList<>();

    static InnerRun of(Class<?> testClass) {
        InnerRun run = new InnerRun();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), run);
        return run;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        outcomes.add(new Outcome(id.getDisplayName(), "SKIPPED", reason));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        outcomes.add(new Outcome(id.getDisplayName(), result.getStatus().name(),
                result.getThrowable().map(Throwable::getMessage).orElse("")));
    }

    Outcome outcome(String name) {
        return outcomes.stream().filter(o -> o.name().equals(name) || o.name().endsWith("$" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no outcome for " + name + " in " + outcomes));
    }
}
