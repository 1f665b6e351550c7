package io.datafabric.drms.control;

/**
 * The end of one task attempt, as written to {@code drms.tasks}. A failed attempt that will be
 * retried is {@code retrying}; the last one is {@code failed}.
 *
 * @param id the row id {@link TaskJournal#started} returned
 * @param status {@code succeeded}, {@code retrying} or {@code failed}
 * @param kind what the attempt actually ran ({@code incremental}, {@code snapshot}, {@code
 *     converge}); may differ from what was requested, e.g. a requested snapshot that found the
 *     target already loaded under the same rules runs incrementally
 * @param rows rows written or removed in the target
 * @param cursorFrom the edge's cursor before (JSON), or null
 * @param cursorTo the edge's cursor after (JSON), or null
 * @param checksum {@code count:checksum} both sides agreed on, or null
 * @param attempt 1 for the first attempt
 * @param error the failure, or null
 * @param converged (bounded runs) the edge caught up and its whole slice matched
 */
public record TaskRecord(
        long id,
        String status,
        String kind,
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        int attempt,
        String error,
        boolean converged) {}
