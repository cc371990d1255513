package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped etc/logback.xml set up in code (DefaultLogging) against the same file read by Logback's Joran. */
class DefaultLoggingTest {
    private static final Path SHIPPED = Path.of("src/main/dist/etc/logback.xml");
    private static final String[] LOGGERS = {Logger.ROOT_LOGGER_NAME, "org.mobilevpn", "Events", "org.eclipse.jetty",
        "org.apache.felix.webconsole", "org.mobilevpn.ike", "org.apache.felix.scr"};

    @Test
    void codeSetsUpWhatTheShippedFileDescribes(@TempDir Path home) throws Exception {
        LoggerContext joran = new LoggerContext();
        joran.putProperty("mobilevpn.home", home.toString());
        JoranConfigurator reader = new JoranConfigurator();
        reader.setContext(joran);
        reader.doConfigure(SHIPPED.toFile());
        LoggerContext code = new LoggerContext();
        DefaultLogging.configure(code, home.toString());
        try {
            assertEquals(describe(joran), describe(code));
        } finally {
            joran.stop();
            code.stop();
        }
    }

    @Test
    void onlyTheShippedBytesAreSetUpInCode(@TempDir Path dir) throws Exception {
        assertTrue(DefaultLogging.isShipped(SHIPPED), "the jar's copy is the distribution's etc/logback.xml");
        Path changed = dir.resolve("logback.xml");
        Files.writeString(changed, Files.readString(SHIPPED).replace("value=\"2MB\"", "value=\"1MB\""));
        assertFalse(DefaultLogging.isShipped(changed), "an operator's change goes to Joran");
        assertFalse(DefaultLogging.isShipped(dir.resolve("missing.xml")));
    }

    @Test
    void logbackFindsItAsAConfigurator() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == DefaultLogging.class));
    }

    /** Levels, appenders, filters, patterns and rolling of a configured context, as text. */
    private static String describe(LoggerContext context) {
        TreeMap<String, Object> d = new TreeMap<>();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            d.put(name + ".level", String.valueOf(logger.getLevel()) + " effective " + logger.getEffectiveLevel());
            List<String> appenders = new ArrayList<>();
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                appenders.add(appender(it.next()));
            }
            d.put(name + ".appenders", appenders);
            d.put(name + ".additive", logger.isAdditive());
        }
        return d.toString().replace(", ", ",\n");
    }

    private static String appender(Appender<ILoggingEvent> a) {
        StringBuilder s = new StringBuilder(a.getName() + " " + a.getClass().getName() + " started " + a.isStarted());
        a.getCopyOfAttachedFiltersList().forEach(f -> s.append(" filter ").append(f.getClass().getName())
                .append(" started ").append(f.isStarted()));
        if (a instanceof OutputStreamAppender<ILoggingEvent> o && o.getEncoder() instanceof PatternLayoutEncoder e) {
            s.append(" pattern [").append(e.getPattern()).append("]");
        }
        if (a instanceof ConsoleAppender<ILoggingEvent> c) {
            s.append(" target ").append(c.getTarget());
        }
        if (a instanceof RollingFileAppender<ILoggingEvent> r) {
            s.append(" file ").append(r.getFile());
            if (r.getRollingPolicy() instanceof FixedWindowRollingPolicy p) {
                s.append(" rolled to ").append(p.getFileNamePattern()).append(" ").append(p.getMinIndex()).append("..")
                        .append(p.getMaxIndex()).append(" started ").append(p.isStarted());
            }
            if (r.getTriggeringPolicy() instanceof SizeBasedTriggeringPolicy<ILoggingEvent> t) {
                s.append(" at ").append(t.getMaxFileSize()).append(" checked every ").append(t.getCheckIncrement())
                        .append(" started ").append(t.isStarted());
            }
        }
        return s.toString();
    }
}
