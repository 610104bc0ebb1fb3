package com.sheratan.offgrid.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleLogger;

/**
 * An slf4j-simple logger (its levels from {@code simplelogger.properties}) that writes, in the
 * {@code json} log format, one JSON object per line to standard error: {@code time}, {@code level},
 * {@code role}, {@code logger}, {@code message}, {@code thread}, and where known {@code req_id},
 * {@code job_id} and {@code error} (the stack trace). The role is the MDC's {@code role} (set while a
 * role starts, inherited by the threads it makes), else the Camel context's name during routing, else
 * what the process was started as.
 */
final class FormattedLogger extends SimpleLogger {
    private static final long serialVersionUID = 1L;
    private final transient FormattedLoggerFactory factory;

    FormattedLogger(String name, FormattedLoggerFactory factory) {
        super(name);
        this.factory = factory;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        if (factory.json()) {
            writeJson(level, messagePattern, arguments, throwable);
        } else {
            super.handleNormalizedLoggingCall(level, marker, messagePattern, arguments, throwable);
        }
    }

    @Override
    public void log(LoggingEvent event) {
        if (factory.json()) {
            if (isLevelEnabled(event.getLevel().toInt())) {
                writeJson(event.getLevel(), event.getMessage(), event.getArgumentArray(), event.getThrowable());
            }
        } else {
            super.log(event);
        }
    }

    private void writeJson(Level level, String pattern, Object[] arguments, Throwable throwable) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("time", Instant.now().toString());
        line.put("level", level.name());
        line.put("role", role());
        line.put("logger", name);
        line.put("message", MessageFormatter.basicArrayFormat(pattern, arguments));
        line.put("thread", Thread.currentThread().getName());
        putKnown(line, LogContext.REQ_ID);
        putKnown(line, LogContext.JOB_ID);
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            line.put("error", trace.toString());
        }
        System.err.println(line);
    }

    private String role() {
        String role = MDC.get(LogContext.ROLE);
        if (role == null) {
            role = MDC.get("camel.contextId");
        }
        return role != null ? role : factory.defaultRole();
    }

    private static void putKnown(ObjectNode line, String key) {
        String value = MDC.get(key);
        if (value != null) {
            line.put(key, value);
        }
    }
}
