package com.sheratan.offgrid.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/**
 * The logger every class of the product writes through: a control character in a logged value (a
 * {@code kind}, a {@code job_id} a broker or host was sent, a parser's message quoting the input)
 * is written as an escape ({@code \n}, {@code \r}, {@code \t}, {@code \0}, {@code \}{@code uXXXX}),
 * so a value can never start a forged log line or hide text behind a NUL. The message pattern is
 * escaped too; a throwable's stack trace is written as the backend writes it.
 */
public final class EscapingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient Logger delegate;

    private EscapingLogger(Logger delegate) {
        this.delegate = delegate;
        this.name = delegate.getName();
    }

    public static Logger of(Class<?> type) {
        return new EscapingLogger(LoggerFactory.getLogger(type));
    }

    /** {@code value} as text with every control character (and the Unicode line separators) escaped. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        int count = arguments == null ? 0 : arguments.length;
        Object[] escaped = new Object[count + (throwable == null ? 0 : 1)];
        for (int i = 0; i < count; i++) {
            Object argument = arguments[i];
            escaped[i] = argument == null || argument instanceof Number || argument instanceof Boolean
                    ? argument : escape(argument);
        }
        if (throwable != null) {
            escaped[count] = throwable; // the backend takes a last Throwable argument as the stack trace to print
        }
        String pattern = messagePattern == null ? null : escape(messagePattern);
        switch (level) {
            case ERROR -> delegate.error(pattern, escaped);
            case WARN -> delegate.warn(pattern, escaped);
            case INFO -> delegate.info(pattern, escaped);
            case DEBUG -> delegate.debug(pattern, escaped);
            default -> delegate.trace(pattern, escaped);
        }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return delegate.isTraceEnabled(marker);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return delegate.isDebugEnabled(marker);
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return delegate.isInfoEnabled(marker);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return delegate.isWarnEnabled(marker);
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return delegate.isErrorEnabled(marker);
    }
}
