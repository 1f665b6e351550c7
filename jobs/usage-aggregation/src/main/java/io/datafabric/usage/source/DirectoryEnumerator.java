package io.datafabric.usage.source;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.usage.lease.InputKeys;
import io.datafabric.usage.lease.InputLease;
import io.datafabric.usage.lease.InputLeasedException;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.DiscoveredFile;
import io.datafabric.usage.read.FileNameContract;
import io.datafabric.usage.read.FileRegistry;
import io.datafabric.usage.read.KnownFile;
import io.datafabric.usage.read.RecentPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the directory's lease in {@code usage.input_leases} (and renews it while it runs), then
 * lists the input directory (in the coordinator's worker thread), asks PostgreSQL about paths it
 * has not seen lately, plans their splits and hands them to readers as they ask.
 */
final class DirectoryEnumerator implements SplitEnumerator<FileSplit, EnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryEnumerator.class);

    private final SplitEnumeratorContext<FileSplit> context;
    private final DirectorySourceOptions options;
    private final String owner;
    private final ArrayDeque<FileSplit> pending;
    private final RecentPaths recent;
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private final FileRegistry registry;
    private volatile InputLease lease;
    private boolean initialScanDone;
    private volatile int pendingCount;
    private volatile long oldestPendingMtime = -1;

    DirectoryEnumerator(
            SplitEnumeratorContext<FileSplit> context,
            DirectorySourceOptions options,
            EnumeratorState restored) {
        this.context = context;
        this.options = options;
        this.owner = restored.owner();
        this.pending = new ArrayDeque<>(restored.pending());
        this.recent = new RecentPaths(options.recentPathsMax(), options.recentPathsMinAgeMillis());
        for (Map.Entry<String, Long> e : restored.recent()) {
            recent.add(e.getKey(), e.getValue());
        }
        this.initialScanDone = restored.initialScanDone();
        this.registry = new FileRegistry(options.jdbc());
        updateGauges();
        if (context.metricGroup() != null) {
            PartMetrics metrics = PartMetrics.of(context.metricGroup(), "usage");
            metrics.gauge("pendingSplits", () -> pendingCount);
            metrics.gauge(
                    "oldestPendingFileAgeSeconds",
                    () -> {
                        long m = oldestPendingMtime;
                        return m < 0 ? 0 : (System.currentTimeMillis() - m) / 1000;
                    });
        }
    }

    @Override
    public void start() {
        context.callAsync(this::takeLease, this::onLease);
    }

    /**
     * Worker thread: waits at most one time to live for a lease another lineage stopped renewing.
     */
    private InputLease takeLease() throws Exception {
        Path dir = new Path(options.directory());
        String key = InputKeys.directory(dir.makeQualified(dir.getFileSystem()).toString());
        InputLease taken =
                new InputLease(
                        options.jdbc(), key, owner, Duration.ofMillis(options.leaseTtlMillis()));
        taken.acquire();
        return taken;
    }

    /** Coordinator thread: fails the job when another deployment reads the directory. */
    private void onLease(InputLease taken, Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    "usage job on " + options.directory() + " cannot start: " + error.getMessage(),
                    error);
        }
        lease = taken;
        long every = taken.renewIntervalMillis();
        context.callAsync(
                () -> {
                    taken.renew();
                    return null;
                },
                this::onRenewal,
                every,
                every);
        startScanning();
    }

    private void onRenewal(Object ignored, Throwable error) {
        if (error instanceof InputLeasedException) {
            throw new FlinkRuntimeException(error.getMessage(), error);
        }
        if (error != null) {
            LOG.warn("renewing the lease of {} failed; trying again", options.directory(), error);
        }
    }

    private void startScanning() {
        if (options.bounded()) {
            if (!initialScanDone) {
                context.callAsync(this::scan, this::onScan);
            }
        } else {
            context.callAsync(this::scan, this::onScan, 0, options.scanIntervalMillis());
        }
    }

    /** Worker thread: list, filter, look up, plan. Reads {@link #recent} only. */
    private Map<String, List<FileSplit>> scan() throws Exception {
        Path dir = new Path(options.directory());
        FileSystem fs = dir.getFileSystem();
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            statuses = null;
        }
        if (statuses == null) {
            throw new IOException("input directory " + dir + " does not exist");
        }
        Map<String, DiscoveredFile> candidates = new LinkedHashMap<>();
        for (FileStatus st : statuses) {
            if (st.isDir() || !FileNameContract.isComplete(st.getPath().getName())) {
                continue;
            }
            String path = st.getPath().makeQualified(fs).toString();
            if (!recent.contains(path)) {
                candidates.put(
                        path, new DiscoveredFile(path, st.getLen(), st.getModificationTime()));
            }
        }
        Map<String, KnownFile> known = registry.lookup(candidates.keySet());
        Map<String, List<FileSplit>> plans = new LinkedHashMap<>();
        candidates.values().stream()
                .sorted(
                        (a, b) ->
                                a.mtimeMillis() != b.mtimeMillis()
                                        ? Long.compare(a.mtimeMillis(), b.mtimeMillis())
                                        : a.path().compareTo(b.path()))
                .forEach(
                        f ->
                                plans.put(
                                        f.path(),
                                        options.planner().plan(f, known.get(f.path()), owner)));
        return plans;
    }

    /** Coordinator thread. */
    private void onScan(Map<String, List<FileSplit>> plans, Throwable error) {
        if (error != null) {
            if (options.bounded()) {
                throw new FlinkRuntimeException(
                        "listing " + options.directory() + " failed", error);
            }
            LOG.warn(
                    "listing {} failed; trying again at the next scan", options.directory(), error);
            return;
        }
        long now = System.currentTimeMillis();
        int files = 0;
        for (Map.Entry<String, List<FileSplit>> e : plans.entrySet()) {
            if (recent.add(e.getKey(), now)) {
                pending.addAll(e.getValue());
                if (!e.getValue().isEmpty()) {
                    files++;
                }
            }
        }
        recent.evict(now);
        if (files > 0) {
            LOG.info("planned {} new usage files from {}", files, options.directory());
        }
        initialScanDone = true;
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waiting.add(subtaskId);
        assignPending();
    }

    @Override
    public void addSplitsBack(List<FileSplit> splits, int subtaskId) {
        List<FileSplit> back = new ArrayList<>(splits);
        for (int i = back.size() - 1; i >= 0; i--) {
            pending.addFirst(back.get(i));
        }
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // readers ask for splits themselves
    }

    private void assignPending() {
        Iterator<Integer> it = waiting.iterator();
        while (it.hasNext()) {
            int reader = it.next();
            if (!context.registeredReaders().containsKey(reader)) {
                it.remove();
                continue;
            }
            FileSplit next = pending.poll();
            if (next != null) {
                context.assignSplit(next, reader);
                it.remove();
            } else if (options.bounded() && initialScanDone) {
                context.signalNoMoreSplits(reader);
                it.remove();
            } else {
                break;
            }
        }
        updateGauges();
    }

    private void updateGauges() {
        pendingCount = pending.size();
        long oldest = -1;
        for (FileSplit s : pending) {
            if (oldest < 0 || s.mtimeMillis() < oldest) {
                oldest = s.mtimeMillis();
            }
        }
        oldestPendingMtime = oldest;
    }

    @Override
    public EnumeratorState snapshotState(long checkpointId) {
        return new EnumeratorState(owner, List.copyOf(pending), recent.entries(), initialScanDone);
    }

    @Override
    public void close() {
        registry.close();
        InputLease held = lease;
        if (held != null) {
            try {
                held.release();
            } catch (Exception e) {
                LOG.warn(
                        "could not give up the lease of {}; it expires by itself", held.input(), e);
            }
        }
    }
}
