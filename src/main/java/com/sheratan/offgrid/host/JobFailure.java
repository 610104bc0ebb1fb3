package com.sheratan.offgrid.host;

/** A job the host refuses or could not run; the message is the {@code error} the caller sees. */
public class JobFailure extends RuntimeException {
    private final RunErrorCode code;

    public JobFailure(RunErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public JobFailure(RunErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public RunErrorCode code() {
        return code;
    }

    static JobFailure invalidArgs(String message) {
        return new JobFailure(RunErrorCode.INVALID_ARGS, message);
    }
}
