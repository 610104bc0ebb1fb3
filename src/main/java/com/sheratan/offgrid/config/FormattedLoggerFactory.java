package com.sheratan.offgrid.config;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLoggerFactory;

/**
 * Makes the product's loggers ({@link FormattedLogger}) and holds the log format they write:
 * {@code text} (slf4j-simple's lines) until the launcher has read the settings and calls
 * {@link #apply}, which may switch the whole process to {@code json}.
 */
public final class FormattedLoggerFactory extends SimpleLoggerFactory {
    public static final String SETTING = "offgrid.log-format";

    private volatile boolean json;
    private volatile String defaultRole = "";

    @Override
    protected Logger createLogger(String name) {
        return new FormattedLogger(name, this);
    }

    boolean json() {
        return json;
    }

    /** Whether this process writes its log as JSON lines (after {@link #apply} asked for it). */
    public static boolean writesJson() {
        return LoggerFactory.getILoggerFactory() instanceof FormattedLoggerFactory factory && factory.json;
    }

    /** The role a line names when its thread has none in the MDC: what the process was started as. */
    String defaultRole() {
        return defaultRole;
    }

    /**
     * Sets the process's log format ({@code text} or {@code json}, any case) and the role its lines
     * name by default; an unknown format throws with the reason. Does nothing but check the value when
     * the process logs through another backend (plain slf4j-simple in tests).
     */
    public static void apply(String format, String role) {
        String value = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
        if (!value.equals("text") && !value.equals("json")) {
            throw new RoleStartException("setting '" + SETTING + "' (OFFGRID_LOG_FORMAT) must be text or json,"
                    + " was '" + format + "'");
        }
        if (LoggerFactory.getILoggerFactory() instanceof FormattedLoggerFactory factory) {
            factory.defaultRole = role;
            factory.json = value.equals("json");
        }
    }
}
