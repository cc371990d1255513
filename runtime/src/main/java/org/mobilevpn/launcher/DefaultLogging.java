package org.mobilevpn.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The runtime's logging as the distribution's etc/logback.xml describes it, set up in code when that file is
 * still the one the distribution shipped: Logback then skips reading it with Joran (an XML parser, Joran's model
 * and its reflection on each element), which cost 0.15-0.2 s of CPU and 550 classes in a JVM that only logs, 317
 * classes and 2-3 MiB of RSS in the runtime, at every start (docs/benchmarks.md, start-up session 5). An operator's own file (any byte changed, or another file named by
 * {@code -Dlogback.configurationFile}) is read by Joran as before; so is the shipped one when this jar does not
 * carry a copy of it. The launcher jar registers this class with Logback's {@link Configurator} service, which
 * Logback asks before its own XML configurator. DefaultLoggingTest holds the two to the same appenders, layouts
 * and levels.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    /** The distribution's etc/logback.xml, copied into the launcher jar by the build. */
    static final String SHIPPED = "/org/mobilevpn/launcher/logback.xml";
    private static final String ONE_LINE_MESSAGE = "%replace(%msg){'[\\r\\n]+', ' | '}";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String file = System.getProperty(Launcher.LOGBACK_CONFIGURATION);
        try {
            if (file == null || !isShipped(Path.of(file))) {
                return ExecutionStatus.INVOKE_NEXT_IF_ANY;
            }
        } catch (InvalidPathException e) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // a URL or a resource name: Joran reads it
        }
        configure(context, System.getProperty("mobilevpn.home", "."));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether {@code file} holds the same bytes as the etc/logback.xml this jar was built with. */
    static boolean isShipped(Path file) {
        try (InputStream shipped = DefaultLogging.class.getResourceAsStream(SHIPPED)) {
            return shipped != null && Arrays.equals(shipped.readAllBytes(), Files.readAllBytes(file));
        } catch (IOException e) {
            return false; // unreadable: Joran says what is wrong with it
        }
    }

    /** etc/logback.xml's appenders and levels, with its properties LOG_DIR, LOG_MAX_FILE_SIZE and LOG_FILES. */
    static void configure(LoggerContext context, String home) {
        String logDir = home + "/data/log";
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setTarget("System.err");
        start(context, stderr, "STDERR", "%-5level %logger - " + ONE_LINE_MESSAGE
                + "%replace( %ex{short}){'[\\r\\n\\t]+', ' '}%nopex%n");

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setFile(logDir + "/mobilevpn.log");
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setFileNamePattern(logDir + "/mobilevpn.%i.log");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(4);
        rolling.setParent(file);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("2MB"));
        trigger.setCheckIncrement(Duration.buildBySeconds(1));
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        rolling.start();
        trigger.start();
        start(context, file, "FILE", "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - " + ONE_LINE_MESSAGE
                + "%n%ex");

        context.getLogger("org.mobilevpn").setLevel(Level.TRACE);
        context.getLogger("Events").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("org.apache.felix.webconsole").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        root.addAppender(file);
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name,
            String pattern) {
        appender.setContext(context);
        appender.setName(name);
        OsgiLogEventContext filter = new OsgiLogEventContext();
        filter.setContext(context);
        filter.start();
        appender.addFilter(filter);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
    }
}
