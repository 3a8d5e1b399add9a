package io.spawnkit.supervisor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A minimal SLF4J 2 provider for the tests: every logging call is kept as a {@link Record} with the
 * logger's name, the level, the formatted message and the MDC's {@code helper} value at the time.
 * Messages of the supervisor's own logger are also printed to stderr, to help read a failure.
 */
public final class CapturingLogs implements SLF4JServiceProvider {
    /** One logging call. */
    public record Record(String logger, Level level, String message, String mdcHelper, Throwable error) {}

    static final List<Record> RECORDS = new CopyOnWriteArrayList<>();

    private final BasicMDCAdapter mdc = new BasicMDCAdapter();
    private final BasicMarkerFactory markers = new BasicMarkerFactory();
    private final ILoggerFactory factory = CapturingLogger::new;

    /** The records of {@code logger}, in order. */
    static List<Record> of(String logger) {
        return RECORDS.stream().filter(r -> r.logger().equals(logger)).toList();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                Throwable throwable) {
            String message = arguments == null || arguments.length == 0
                    ? messagePattern
                    : MessageFormatter.basicArrayFormat(messagePattern, arguments);
            RECORDS.add(new Record(name, level, message, mdc.get("helper"), throwable));
            if (name.equals(Supervisor.class.getName()) && level.toInt() >= Level.WARN.toInt()) {
                System.err.println("[" + level + "] " + message);
                if (throwable != null) {
                    throwable.printStackTrace();
                }
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }
}
