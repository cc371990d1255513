package org.mobilevpn.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * A Logback appender filter that lets every event through, after giving an event without a logger
 * context the appender's own. The Felix Logback integration (1.0.6, its latest release) builds the
 * events of OSGi Log records without a context; Logback 1.5 and later read the MDC through that context
 * when an appender prepares the event, and fail with a NullPointerException, so that no OSGi record
 * would be written. etc/logback.xml puts this filter on each appender.
 */
public final class OsgiLogEventContext extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event instanceof LoggingEvent e && getContext() instanceof LoggerContext c) {
            e.setLoggerContext(c); // there is one context: for an event that had it, nothing changes
        }
        return FilterReply.NEUTRAL;
    }
}
