package io.datafabric.drms.graph;

import java.util.Locale;

/** Where a consumer stands: only approved consumers replicate. */
public enum ConsumerStatus {
    PENDING,
    APPROVED,
    REJECTED,
    PAUSED;

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConsumerStatus ofSqlName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
