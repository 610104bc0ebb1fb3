package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A valid job as it came in. {@code replay} marks a file-queue document dropped back into the inbox:
 * it may dispatch a job the store already holds as {@code queued}.
 */
public record IncomingJob(String jobId, String kind, ObjectNode document, boolean replay) {
}
