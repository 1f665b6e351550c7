package io.datafabric.usage.source;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import io.datafabric.usage.read.SplitPlanner;
import java.io.Serializable;

/**
 * Everything the directory source needs.
 *
 * @param directory a local path or file system URI ({@code s3://bucket/prefix})
 * @param bounded read the complete files present at start, then finish
 * @param scanIntervalMillis pause between directory listings (unbounded mode)
 * @param recentPathsMax paths remembered in the enumerator state
 * @param recentPathsMinAgeMillis a path is not forgotten before it is this old
 * @param leaseTtlMillis time to live of the directory's lease in {@code usage.input_leases}
 * @param listener sees the readers' progress (tests), or null
 */
public record DirectorySourceOptions(
        String directory,
        boolean bounded,
        long scanIntervalMillis,
        JdbcSettings jdbc,
        SplitPlanner planner,
        ReadOptions read,
        int recentPathsMax,
        long recentPathsMinAgeMillis,
        long leaseTtlMillis,
        ReadProgressListener listener)
        implements Serializable {}
