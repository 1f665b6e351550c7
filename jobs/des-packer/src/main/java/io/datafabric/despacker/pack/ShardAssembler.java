package io.datafabric.despacker.pack;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.config.SourceConfig;
import io.datafabric.despacker.metadata.DesMetadata;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.ShardCommittable;
import io.datafabric.despacker.model.VersionedTypeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packer, keyed by (source, shard): collects references to marked files into the open shard of
 * its key and closes it when it reaches {@code packer.target-size} bytes or {@code
 * packer.max-files} files, or when its oldest file has waited {@code packer.max-wait}
 * (processing-time timer, checked at least every 10 s so a changed {@code max-wait} applies to
 * shards restored from a savepoint), or at the end of a bounded run (an event-time timer at the end
 * of time, which only the end of input reaches). Closing writes the shard object (see {@link
 * ShardWriter}) under the deterministic key of (source, shard, sequence) and emits the committable;
 * the state holds references only, never file bytes.
 *
 * <p>The sequence is kept in state. A key without state (a new job) starts after the highest
 * sequence recorded in {@code des.shards}, so it never overwrites an object metadata points at. A
 * recovery restores the sequence of the last checkpoint: an object written after it, never
 * recorded, is written again under the same name (or left for {@code des gc}).
 */
public final class ShardAssembler extends KeyedProcessFunction<String, FileRef, ShardCommittable> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShardAssembler.class);
    private static final long END_OF_TIME = Long.MAX_VALUE;

    /**
     * The age of an open shard is checked at least this often, so a {@code packer.max-wait} changed
     * across a savepoint takes effect on shards restored from it.
     */
    static final long CHECK_INTERVAL_MILLIS = 10_000;

    private final PackerConfig config;

    private transient MapState<String, FileRef> files;
    private transient ValueState<Long> nextSeq;
    private transient ValueState<Long> openedAt;
    private transient ValueState<Long> openBytes;
    private transient ValueState<Long> openCount;
    private transient ValueState<Long> checkAt;
    private transient ShardWriter writer;
    private transient DesMetadata des;
    private transient Map<String, SourceStorage> storages;
    private transient Map<String, Long> openSince;
    private transient Counter packed;
    private transient Counter failed;
    private transient Counter bytes;
    private transient Counter shardsClosed;

    public ShardAssembler(PackerConfig config) {
        this.config = config;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        files =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-shard-files",
                                        Types.STRING,
                                        VersionedTypeInfo.fileRef()));
        nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-seq", Types.LONG));
        openedAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("opened-at", Types.LONG));
        openBytes =
                getRuntimeContext().getState(new ValueStateDescriptor<>("open-bytes", Types.LONG));
        openCount =
                getRuntimeContext().getState(new ValueStateDescriptor<>("open-count", Types.LONG));
        checkAt = getRuntimeContext().getState(new ValueStateDescriptor<>("check-at", Types.LONG));
        storages = new HashMap<>();
        for (SourceConfig s : config.sources()) {
            storages.put(s.name(), SourceStorage.of(s.storage()));
        }
        writer =
                new ShardWriter(
                        new ArchiveSink(config.archiveRoot()),
                        storages::get,
                        config.failurePoint());
        des = new DesMetadata(config.desJdbc());
        openSince = new ConcurrentHashMap<>();
        PartMetrics metrics = PartMetrics.of(getRuntimeContext().getMetricGroup(), "despacker");
        packed = metrics.counter("filesPacked");
        failed = metrics.counter("filesFailed");
        bytes = metrics.counter("bytesPacked");
        shardsClosed = metrics.counter("shardsClosed");
        metrics.meter("bytesPackedPerSecond", bytes);
        metrics.meter("filesPackedPerSecond", packed);
        metrics.gauge(
                "openShardAgeMillis",
                () -> {
                    long now = System.currentTimeMillis();
                    long oldest = now;
                    for (long since : openSince.values()) {
                        oldest = Math.min(oldest, since);
                    }
                    return now - oldest;
                });
        metrics.gauge("openShards", () -> openSince.size());
    }

    @Override
    public void processElement(FileRef ref, Context ctx, Collector<ShardCommittable> out)
            throws Exception {
        if (files.contains(ref.desName())) {
            return; // already in this shard (adopted again after a recovery)
        }
        Long opened = openedAt.value();
        if (opened == null) {
            long now = ctx.timerService().currentProcessingTime();
            openedAt.update(now);
            openBytes.update(0L);
            openCount.update(0L);
            openSince.put(ctx.getCurrentKey(), now);
            scheduleCheck(ctx.timerService(), now, now);
            ctx.timerService().registerEventTimeTimer(END_OF_TIME);
        }
        files.put(ref.desName(), ref);
        long size = openBytes.value() + Math.max(0, ref.size());
        openBytes.update(size);
        long count = openCount.value() + 1;
        openCount.update(count);
        if (size >= config.targetBytes() || count >= config.maxFiles()) {
            close(ctx.getCurrentKey(), ctx.timerService(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ShardCommittable> out)
            throws Exception {
        Long opened = openedAt.value();
        if (opened == null) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            close(ctx.getCurrentKey(), ctx.timerService(), out); // end of a bounded input
            return;
        }
        Long due = checkAt.value();
        if (due == null || timestamp != due) {
            return; // a timer of an earlier shard of this key
        }
        if (timestamp >= opened + config.maxWait().toMillis()) {
            close(ctx.getCurrentKey(), ctx.timerService(), out);
        } else {
            scheduleCheck(ctx.timerService(), opened, timestamp);
        }
    }

    /** Registers the next age check of the open shard: when it is due, at most 10 s from now. */
    private void scheduleCheck(
            org.apache.flink.streaming.api.TimerService timers, long opened, long now)
            throws Exception {
        long next = Math.min(opened + config.maxWait().toMillis(), now + CHECK_INTERVAL_MILLIS);
        checkAt.update(next);
        timers.registerProcessingTimeTimer(next);
    }

    private void close(
            String key,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<ShardCommittable> out)
            throws Exception {
        List<FileRef> refs = new ArrayList<>();
        for (FileRef ref : files.values()) {
            refs.add(ref);
        }
        FileRef first = refs.get(0);
        Long seq = nextSeq.value();
        if (seq == null) {
            seq = des.nextSequence(first.source(), first.shard());
        }
        String objectKey = config.objectKey(first.source(), first.shard(), seq).key();
        ShardCommittable shard =
                writer.write(
                        first.source(),
                        first.shard(),
                        seq,
                        objectKey,
                        config.objectUri(objectKey),
                        refs);
        nextSeq.update(shard.hasObject() ? seq + 1 : seq);
        Long due = checkAt.value();
        if (due != null) {
            timers.deleteProcessingTimeTimer(due);
        }
        timers.deleteEventTimeTimer(END_OF_TIME);
        checkAt.clear();
        files.clear();
        openedAt.clear();
        openBytes.clear();
        openCount.clear();
        openSince.remove(key);
        if (shard.hasObject()) {
            shardsClosed.inc();
            packed.inc(shard.files().size());
            bytes.inc(shard.objectSize());
            LOG.info(
                    "closed {}: {} files, {} bytes, {} failed",
                    objectKey,
                    shard.files().size(),
                    shard.objectSize(),
                    shard.failed().size());
        }
        failed.inc(shard.failed().size());
        for (FailedFile f : shard.failed()) {
            LOG.warn(
                    "source {}: {} ({}) left out of {}: {}",
                    f.ref().source(),
                    f.ref().path(),
                    f.ref().desName(),
                    objectKey,
                    f.reason());
        }
        out.collect(shard);
    }

    @Override
    public void close() {
        if (des != null) {
            des.close();
        }
        if (storages != null) {
            storages.values().forEach(SourceStorage::close);
        }
    }
}
