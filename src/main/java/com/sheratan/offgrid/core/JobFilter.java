package com.sheratan.offgrid.core;

import java.util.Optional;

/** What {@code GET /api/jobs?status=&method=&mission_id=} asks for; an empty field lets every job through. */
public record JobFilter(Optional<String> status, Optional<String> method, Optional<String> missionId) {
    public static final JobFilter ALL = new JobFilter(Optional.empty(), Optional.empty(), Optional.empty());
}
