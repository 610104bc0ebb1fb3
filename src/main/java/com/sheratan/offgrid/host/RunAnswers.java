package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JobMeasure;
import com.sheratan.offgrid.contract.JobSpec;
import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.contract.JsonReply;
import com.sheratan.offgrid.contract.Receipt;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.security.ReceiptSigner;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;

/** The answers of {@code POST /run}: a completed job with its signed receipt, or a failure with its code. */
public final class RunAnswers {
    private static final Logger LOG = EscapingLogger.of(RunAnswers.class);

    private final String nodeId;
    private final PriceList prices;
    private final ReceiptSigner signer;
    private final Clock clock;

    public RunAnswers(String nodeId, PriceList prices, ReceiptSigner signer, Clock clock) {
        this.nodeId = nodeId;
        this.prices = prices;
        this.signer = signer;
        this.clock = clock;
    }

    /** {@code {ok:true, job_id, node_id, output, result, receipt}} with a receipt signed by this host. */
    public JsonAnswer completed(@ExchangeProperty(RunGate.RUN) RunRequest run, @Body JobOutcome outcome,
                                @ExchangeProperty(AttemptLedger.STARTED_MS) long startedMs) {
        JobSpec job = run.job();
        double units = JobMeasure.size(job.kind(), job.args());
        Double price = prices.priceFor(JobMeasure.type(job.kind()));
        String output = outcome.output() == null ? "" : outcome.output();
        Receipt receipt = signer.sign(new Receipt(Receipt.VERSION, nodeId, run.jobId(), job.attemptId(), job.kind(),
                units, PriceList.quote(price, units), startedMs, clock.millis(), Digests.sha256Hex(output),
                UUID.randomUUID().toString(), null, null, null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("job_id", run.jobId());
        body.put("node_id", nodeId);
        body.put("output", output);
        body.put("result", outcome.result());
        body.put("receipt", receipt);
        return JsonAnswer.ok(body);
    }

    /** {@code {ok:false, job_id, node_id, error_code, error}} with the HTTP status of the code. */
    public JsonAnswer failure(String jobId, RunErrorCode code, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("job_id", jobId);
        body.put("node_id", nodeId);
        body.put("error_code", code.name());
        body.put("error", error);
        return new JsonAnswer(code.httpStatus(), body);
    }

    /** The error handler's answer for whatever stopped the run; remembers the code for {@link AttemptLedger#settle}. */
    public JsonAnswer failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RunRequest run = exchange.getProperty(RunGate.RUN, RunRequest.class);
        String jobId = run == null ? null : run.jobId();
        String requestId = exchange.getMessage().getHeader(JsonReply.REQUEST_ID, "-", String.class);
        if (cause instanceof HostInactive inactive) {
            return new JsonAnswer(503, Map.of("error", "host_inactive", "node_id", nodeId, "detail", inactive.getMessage()));
        }
        RunErrorCode code;
        String message;
        if (cause instanceof JobFailure failure) {
            code = failure.code();
            message = failure.getMessage();
            LOG.info("job {} (req {}) on {}: {} ({})", jobId, requestId, nodeId, code, message);
        } else {
            code = RunErrorCode.FAILED;
            message = "the host could not run the job: " + (cause == null ? "unknown error" : cause.getMessage());
            LOG.error("job {} (req {}) on {} failed", jobId, requestId, nodeId, cause);
        }
        exchange.setProperty(AttemptLedger.ERROR_CODE, code);
        return failure(jobId, code, message);
    }
}
