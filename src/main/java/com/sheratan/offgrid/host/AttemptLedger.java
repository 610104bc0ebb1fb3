package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import com.sheratan.offgrid.security.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;

/**
 * Makes each {@code attempt_id} execute once. An attempt is claimed in memory while it runs (a second
 * call then gets {@code IN_PROGRESS}); its answer is then kept as {@code <state-dir>/attempts/<attempt>.json}
 * ({@link AtomicFile}: all or nothing), so a repeated call — also after a restart of the host — gets the
 * first answer. An attempt that was running when the host died left no answer and may run again; so
 * may one whose record the machine had not yet written to disk when it lost power (a record is not
 * fsync'd: that would cap the runs per second at the disk's fsync rate).
 * Answers are kept for {@code offgrid.host.attempt-keep-hours} and then pruned ({@link #prune}).
 */
public final class AttemptLedger {
    private static final Logger LOG = EscapingLogger.of(AttemptLedger.class);
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    static final String CLAIMED = "offgridAttemptClaimed";
    static final String STARTED_MS = "offgridStartedMs";
    static final String ERROR_CODE = "offgridErrorCode";

    private final Path folder;
    private final RunAnswers answers;
    private final Clock clock;
    private final Duration keep;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final AtomicLong done = new AtomicLong();

    public AttemptLedger(Path folder, RunAnswers answers, Clock clock, Duration keep) {
        this.folder = folder;
        this.answers = answers;
        this.clock = clock;
        this.keep = keep;
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, "*.tmp")) {
                for (Path tmp : leftovers) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the attempt folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The answer this attempt already has ({@code IN_PROGRESS} while it runs), or {@code null} when
     * the caller now owns the attempt and must {@link #settle} it. A record that cannot be read is a
     * {@code FAILED} {@link JobFailure}; the attempt is released, not kept as running, and the record
     * is left as it is (not overwritten), so a repeat reads it again.
     */
    public JsonAnswer claim(@ExchangeProperty(RunGate.RUN) RunRequest run, Exchange exchange) {
        String attemptId = run.job().attemptId();
        if (running.putIfAbsent(attemptId, Boolean.TRUE) != null) {
            return inProgress(run);
        }
        JsonAnswer kept;
        try {
            kept = read(attemptId);
        } catch (UncheckedIOException unreadable) {
            // not ours to run (it may have run already) and not running: let the next call look again
            running.remove(attemptId);
            throw new JobFailure(RunErrorCode.FAILED, unreadable.getMessage()
                    + "; the attempt is not run again on this host", unreadable);
        }
        if (kept != null) {
            running.remove(attemptId);
            LOG.info("attempt {} of job {} already ran; answering with its first result", attemptId, run.jobId());
            return kept;
        }
        exchange.setProperty(CLAIMED, true);
        exchange.setProperty(STARTED_MS, clock.millis());
        return null;
    }

    /**
     * Ends a claimed attempt: a completed job, {@code INVALID_ARGS} or {@code FAILED} is kept as the
     * attempt's answer; a refusal before the job ran (deadline, inactive, kind) leaves it unclaimed.
     */
    public void settle(Exchange exchange) {
        if (!exchange.getProperty(CLAIMED, false, Boolean.class)) {
            return;
        }
        RunRequest run = exchange.getProperty(RunGate.RUN, RunRequest.class);
        RunErrorCode code = exchange.getProperty(ERROR_CODE, RunErrorCode.class);
        JsonAnswer answer = exchange.getMessage().getBody(JsonAnswer.class);
        String attemptId = run.job().attemptId();
        try {
            boolean ran = answer != null && (code == null && answer.status() == 200 || code != null && code.endsAttempt());
            if (ran) {
                write(attemptId, answer);
                done.incrementAndGet();
            }
        } finally {
            running.remove(attemptId);
            exchange.removeProperty(CLAIMED);
        }
    }

    /**
     * Forgets the answers of attempts that finished longer than {@code keep} ago. A repeat of such an
     * attempt meets the deadline check instead, so nothing runs twice while deadlines are shorter than that.
     */
    public int prune() {
        long cutoff = clock.millis() - keep.toMillis();
        int removed = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(folder, "*.json")) {
            for (Path record : records) {
                if (Files.getLastModifiedTime(record).toMillis() < cutoff && Files.deleteIfExists(record)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("could not prune the attempt records in {}: {}", folder, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("forgot {} attempt records older than {} h in {}", removed, keep.toHours(), folder);
        }
        return removed;
    }

    public int running() {
        return running.size();
    }

    public long done() {
        return done.get();
    }

    private JsonAnswer inProgress(RunRequest run) {
        return answers.failure(run.jobId(), RunErrorCode.IN_PROGRESS,
                "attempt " + run.job().attemptId() + " is still running on this host; ask again later");
    }

    private JsonAnswer read(String attemptId) {
        Path file = fileFor(attemptId);
        if (!Files.exists(file)) {
            // the usual case, a new attempt: one stat instead of a NoSuchFileException per run
            return null;
        }
        try {
            JsonNode kept = Json.mapper().readTree(Files.readAllBytes(file));
            if (kept == null || !kept.path("status").isInt() || !kept.has("body")) {
                throw new IOException("it is not {\"status\": <int>, \"body\": …}");
            }
            return new JsonAnswer(kept.get("status").intValue(), kept.get("body"));
        } catch (NoSuchFileException e) {
            return null; // pruned since the check
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the record of attempt " + attemptId + ": " + e.getMessage(), e);
        }
    }

    private void write(String attemptId, JsonAnswer answer) {
        Path file = fileFor(attemptId);
        try {
            AtomicFile.write(file, Json.mapper().writeValueAsBytes(answer), AtomicFile.Sync.NOT_SYNCED);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the record of attempt " + attemptId + " in " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    private Path fileFor(String attemptId) {
        String name = PLAIN_ID.matcher(attemptId).matches() ? attemptId : "sha256-" + Digests.sha256Hex(attemptId);
        return folder.resolve(name + ".json");
    }
}
