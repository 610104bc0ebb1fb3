package com.sheratan.offgrid.config;

import org.slf4j.ILoggerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * The product's SLF4J backend: slf4j-simple's loggers, configured by {@code simplelogger.properties} as
 * before, that write one JSON object per line instead once {@code offgrid.log-format=json}
 * ({@code OFFGRID_LOG_FORMAT=json}, SPEC 14). The application selects it at start with the system
 * property {@code slf4j.provider} ({@code App}); a program that does not gets plain slf4j-simple.
 * Its MDC carries the role, {@code job_id} and {@code req_id} the JSON lines show.
 */
public final class LogProvider extends SimpleServiceProvider {
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private FormattedLoggerFactory factory;

    @Override
    public void initialize() {
        factory = new FormattedLoggerFactory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
