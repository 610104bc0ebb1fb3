package com.sheratan.offgrid.core;

/** The file queue cannot be written (disk full, no permission): the job is not queued and must not be reported so. */
public class FileQueueUnavailableException extends Exception {
    public FileQueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
