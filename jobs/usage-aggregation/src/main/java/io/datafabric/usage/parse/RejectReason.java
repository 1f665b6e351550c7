package io.datafabric.usage.parse;

/** Why a line (or a contribution to a total) was not counted; {@link #code()} is stored. */
public enum RejectReason {
    MISSING_FIELD("missing-field"),
    EXTRA_FIELD("extra-field"),
    SIGN("sign"),
    NON_DIGIT("non-digit"),
    NUMBER_OVERFLOW("number-overflow"),
    LINE_TOO_LONG("line-too-long"),
    TOTAL_OVERFLOW("total-overflow"),
    FILE_TRUNCATED("file-truncated"),
    BAD_NOTIFICATION("bad-notification"),
    REJECT_ROWS_CAPPED("reject-rows-capped");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The value of {@code usage.rejects.reason}. */
    public String code() {
        return code;
    }
}
