package org.mobilevpn.testsupport;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;

/**
 * The OSGi {@link Logger} for code under test outside a framework, where the components would get theirs
 * from DS: it keeps every line as {@code "LEVEL message"} in {@link #lines} (placeholders {@code {}}
 * filled, a trailing exception appended) and prints nothing, so a test can check what was logged and that
 * no secret was. All levels are enabled unless the logger is made with fewer.
 */
public final class TestLogger implements Logger {
    private static final Set<String> ALL = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    /** Every line logged so far, oldest first. */
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final Set<String> enabled;
    private final Consumer<String> echo;

    /** A logger with every level enabled. */
    public TestLogger() {
        this(ALL, line -> { });
    }

    private TestLogger(Set<String> enabled, Consumer<String> echo) {
        this.enabled = enabled;
        this.echo = echo;
    }

    /** A logger that records only INFO and above (isDebugEnabled() is false), as a runtime's default. */
    public static TestLogger infoAndAbove() {
        return new TestLogger(Set.of("INFO", "WARN", "ERROR"), line -> { });
    }

    /** A logger that also writes each line, with the time, to a file of the test's output (DEBUG only if asked). */
    public static TestLogger writingTo(PrintWriter file, boolean debug) {
        return new TestLogger(debug ? ALL : Set.of("INFO", "WARN", "ERROR"), line -> file.println(LocalTime.now() + " " + line));
    }

    @Override
    public String getName() {
        return "test";
    }

    @Override public boolean isTraceEnabled() { return enabled("TRACE"); }
    @Override public void trace(String message) { log("TRACE", message); }
    @Override public void trace(String format, Object arg) { log("TRACE", format, arg); }
    @Override public void trace(String format, Object arg1, Object arg2) { log("TRACE", format, arg1, arg2); }
    @Override public void trace(String format, Object... arguments) { log("TRACE", format, arguments); }
    @Override public <E extends Exception> void trace(LoggerConsumer<E> consumer) throws E {
        if (enabled("TRACE")) {
            consumer.accept(this);
        }
    }
    @Override public boolean isDebugEnabled() { return enabled("DEBUG"); }
    @Override public void debug(String message) { log("DEBUG", message); }
    @Override public void debug(String format, Object arg) { log("DEBUG", format, arg); }
    @Override public void debug(String format, Object arg1, Object arg2) { log("DEBUG", format, arg1, arg2); }
    @Override public void debug(String format, Object... arguments) { log("DEBUG", format, arguments); }
    @Override public <E extends Exception> void debug(LoggerConsumer<E> consumer) throws E {
        if (enabled("DEBUG")) {
            consumer.accept(this);
        }
    }
    @Override public boolean isInfoEnabled() { return enabled("INFO"); }
    @Override public void info(String message) { log("INFO", message); }
    @Override public void info(String format, Object arg) { log("INFO", format, arg); }
    @Override public void info(String format, Object arg1, Object arg2) { log("INFO", format, arg1, arg2); }
    @Override public void info(String format, Object... arguments) { log("INFO", format, arguments); }
    @Override public <E extends Exception> void info(LoggerConsumer<E> consumer) throws E {
        if (enabled("INFO")) {
            consumer.accept(this);
        }
    }
    @Override public boolean isWarnEnabled() { return enabled("WARN"); }
    @Override public void warn(String message) { log("WARN", message); }
    @Override public void warn(String format, Object arg) { log("WARN", format, arg); }
    @Override public void warn(String format, Object arg1, Object arg2) { log("WARN", format, arg1, arg2); }
    @Override public void warn(String format, Object... arguments) { log("WARN", format, arguments); }
    @Override public <E extends Exception> void warn(LoggerConsumer<E> consumer) throws E {
        if (enabled("WARN")) {
            consumer.accept(this);
        }
    }
    @Override public boolean isErrorEnabled() { return enabled("ERROR"); }
    @Override public void error(String message) { log("ERROR", message); }
    @Override public void error(String format, Object arg) { log("ERROR", format, arg); }
    @Override public void error(String format, Object arg1, Object arg2) { log("ERROR", format, arg1, arg2); }
    @Override public void error(String format, Object... arguments) { log("ERROR", format, arguments); }
    @Override public <E extends Exception> void error(LoggerConsumer<E> consumer) throws E {
        if (enabled("ERROR")) {
            consumer.accept(this);
        }
    }

    @Override public void audit(String message) { log("AUDIT", message); }
    @Override public void audit(String format, Object arg) { log("AUDIT", format, arg); }
    @Override public void audit(String format, Object arg1, Object arg2) { log("AUDIT", format, arg1, arg2); }
    @Override public void audit(String format, Object... arguments) { log("AUDIT", format, arguments); }

    private boolean enabled(String level) {
        return enabled.contains(level);
    }

    private void log(String level, String format, Object... arguments) {
        if (!level.equals("AUDIT") && !enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(level).append(' ');
        int next = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0 && next < arguments.length; at = format.indexOf("{}", from)) {
            line.append(format, from, at).append(arguments[next++]);
            from = at + 2;
        }
        line.append(format.substring(from));
        if (next < arguments.length && arguments[arguments.length - 1] instanceof Throwable t) {
            line.append(' ').append(t);
        }
        lines.add(line.toString());
        echo.accept(line.toString());
    }
}
