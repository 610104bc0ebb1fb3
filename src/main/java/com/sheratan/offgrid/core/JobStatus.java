package com.sheratan.offgrid.core;

/**
 * Where a job stands (SPEC section 5). {@link #value()} is the word the JSON answers carry and the
 * job store keeps in its {@code status} column: the same five strings stores have always held.
 */
public enum JobStatus {
    /** recorded, bound for the file queue, its queue file not written yet */
    PENDING("pending"),
    /** recorded and handed to the broker, no outcome yet */
    DISPATCHING("dispatching"),
    COMPLETED("completed"),
    FAILED("failed"),
    /** written to the file queue for the local worker */
    QUEUED("queued");

    /** {@link #values()} copies its array at every call; every stored status read goes through {@link #parse} */
    private static final JobStatus[] ALL = values();

    private final String value;

    JobStatus(String value) {
        this.value = value;
    }

    /** The status a stored or sent word names; a word no version of the core writes is refused. */
    public static JobStatus parse(String value) {
        for (JobStatus status : ALL) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + value + "'");
    }

    public String value() {
        return value;
    }

    /** The job has its outcome: a known job_id in this status is answered 200, not 202. */
    public boolean settled() {
        return this == COMPLETED || this == FAILED;
    }

    /** The word itself, so a log line reads as the API does. */
    @Override
    public String toString() {
        return value;
    }
}
