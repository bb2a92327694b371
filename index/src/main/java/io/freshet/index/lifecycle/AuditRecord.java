package io.freshet.index.lifecycle;

/**
 * One owner operation, appended to {@code audit.jsonl} in the index root (fsynced) before it takes effect.
 *
 * @param atMillis when
 * @param actor who (the owner's subject)
 * @param action {@code rollback}, {@code promote}, {@code pause} or {@code resume}
 * @param from what was served before ({@code g0001@2.57}, or {@code g0001} for its newest point)
 * @param to what is served after
 * @param ingestion {@code replay} or {@code paused}: what ingestion does after
 * @param reason why, as the owner gave it
 */
public record AuditRecord(long atMillis, String actor, String action, String from, String to, String ingestion,
        String reason) {}
