package io.freshet.connectors.debezium.source.reader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.freshet.connectors.debezium.source.FreshStartHook;
import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import io.freshet.core.RawChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Debezium embedded engine for the split it is assigned and emits its change events as
 * {@link RawChange}s. The engine thread converts each record and blocks on a bounded hand-over queue, so a
 * slow pipeline back-pressures Debezium instead of buffering without bound.
 *
 * <p>Exactly-once hand-off: the offsets of the last emitted record are the reader's checkpoint state, and
 * Debezium is told a record is processed only when a checkpoint holding it completes. Only then does the
 * connector confirm the position to the database (for PostgreSQL, the replication slot's confirmed LSN),
 * so the database never recycles a change Freshet does not yet hold durably. A restored job resumes from
 * the checkpointed offsets, which are never behind the confirmed position.
 */
public final class DebeziumSourceReader implements SourceReader<RawChange, DebeziumSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(DebeziumSourceReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records buffered between the engine thread and the reader. */
    public static final int HANDOVER_CAPACITY = 1024;
    private static final long ENGINE_STOP_TIMEOUT_SECONDS = 30;

    private final Properties engineProperties;
    private final FreshStartHook freshStartHook;
    private final SourceReaderContext context;
    private final FutureCompletingBlockingQueue<DebeziumRecord> queue =
            new FutureCompletingBlockingQueue<>(HANDOVER_CAPACITY);
    private final AtomicReference<Throwable> engineFailure = new AtomicReference<>();
    private final Counter changesEmitted;
    private final Counter offsetsConfirmed;
    /** The last emitted record as of each checkpoint not yet known complete. */
    private final TreeMap<Long, DebeziumRecord> pendingConfirmations = new TreeMap<>();
    private DebeziumRecord lastEmitted;

    private DebeziumSplit split;
    private final Map<String, String> offsets = new HashMap<>();
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService engineExecutor;
    private volatile boolean closing;
    private boolean noMoreSplits;

    /** Start of the snapshot whose rows are being emitted (source clock), or 0 while streaming. */
    private long snapshotStart;
    /** Started without offsets: the first snapshot (or, for an empty one, the first change) reconciles. */
    private boolean freshStart;

    public DebeziumSourceReader(Properties engineProperties, FreshStartHook freshStartHook, SourceReaderContext context) {
        this.engineProperties = engineProperties;
        this.freshStartHook = freshStartHook;
        this.context = context;
        this.changesEmitted = context.metricGroup().counter("changesEmitted");
        this.offsetsConfirmed = context.metricGroup().counter("offsetsConfirmed");
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public void addSplits(List<DebeziumSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (split != null || splits.size() > 1) {
            throw new IllegalStateException("A Debezium source reader runs exactly one split; got " + splits);
        }
        split = splits.get(0);
        offsets.putAll(split.offsets());
        freshStart = offsets.isEmpty();
        if (freshStart) {
            try {
                freshStartHook.beforeFreshStart(engineProperties);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted preparing a fresh start", e);
            } catch (Exception e) {
                throw new IllegalStateException("Could not prepare the source for a fresh snapshot", e);
            }
        }
        startEngine();
    }

    private void startEngine() {
        Properties props = new Properties();
        props.putAll(engineProperties);
        props.setProperty("offset.storage", FlinkOffsetBackingStore.class.getName());
        // Offsets are marked processed only at checkpoint completion; flush them to the connector right then.
        props.setProperty("offset.flush.interval.ms", "0");
        try {
            props.setProperty(FlinkOffsetBackingStore.INITIAL_OFFSETS, JSON.writeValueAsString(offsets));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize Debezium offsets", e);
        }
        String namespace = props.getProperty("name", "freshet");
        OffsetSerde serde = new OffsetSerde(namespace);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying((records, committer) -> {
                    for (RecordChangeEvent<SourceRecord> event : records) {
                        if (!queue.put(0, serde.toHandover(event, committer))) {
                            return; // woken up because the reader is closing
                        }
                    }
                    // Nothing is marked processed here: see notifyCheckpointComplete.
                })
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        engineFailure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                        queue.notifyAvailable();
                    }
                })
                .build();
        engineExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "debezium-engine-" + context.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
        engineExecutor.execute(engine);
        LOG.info("Started Debezium engine {} from {} stored offset(s)", namespace, offsets.size());
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawChange> output) {
        Throwable failure = engineFailure.get();
        if (failure != null) {
            throw new IllegalStateException("Debezium engine failed", failure);
        }
        DebeziumRecord next = queue.poll();
        if (next == null) {
            return noMoreSplits && split == null ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        emit(next, output);
        offsets.put(next.offsetKey(), next.offsetValue());
        lastEmitted = next;
        return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    /**
     * Emits a record, tagging snapshot rows with their snapshot's start, and after the last row of a snapshot
     * (or at the first streamed record after it) a snapshot-completed marker, so the index can drop documents
     * the snapshot showed to be gone.
     */
    private void emit(DebeziumRecord next, ReaderOutput<RawChange> output) {
        RawChange change = next.change();
        boolean snapshotRow = next.snapshotPhase() != DebeziumRecord.SnapshotPhase.STREAMING;
        if (!snapshotRow && snapshotStart != 0) {
            completeSnapshot(next, output); // the snapshot ended without a marked last row
        }
        if (snapshotRow && snapshotStart == 0 && change != null) {
            snapshotStart = next.sourceMillis();
        }
        if (!snapshotRow && freshStart && change != null && snapshotsEnabled()) {
            // A fresh start whose snapshot read no rows: everything indexed before is gone.
            snapshotStart = next.sourceMillis();
            completeSnapshot(next, output);
        }
        if (change != null) {
            output.collect(snapshotRow ? RawChange.snapshotRow(change.source(), change.position(), change.valueJson(),
                    snapshotStart) : change);
            changesEmitted.inc();
        }
        if (next.snapshotPhase() == DebeziumRecord.SnapshotPhase.LAST_OF_SNAPSHOT && snapshotStart != 0) {
            completeSnapshot(next, output);
        }
    }

    private void completeSnapshot(DebeziumRecord at, ReaderOutput<RawChange> output) {
        String source = at.change() != null ? at.change().source() : "snapshot";
        output.collect(RawChange.snapshotCompleted(source, at.offsetValue(), snapshotStart));
        LOG.info("Snapshot started at {} completed", snapshotStart);
        snapshotStart = 0;
        freshStart = false;
    }

    private boolean snapshotsEnabled() {
        String mode = engineProperties.getProperty("snapshot.mode", "initial");
        return !mode.equals("never") && !mode.equals("no_data") && !mode.equals("recovery");
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return queue.getAvailabilityFuture();
    }

    @Override
    public List<DebeziumSplit> snapshotState(long checkpointId) {
        if (split == null) {
            return List.of();
        }
        boolean midSnapshot = lastEmitted == null
                ? freshStart
                : lastEmitted.snapshotPhase() == DebeziumRecord.SnapshotPhase.IN_SNAPSHOT || snapshotStart != 0;
        if (midSnapshot) {
            // Mid-snapshot offsets cannot resume consistently: a restore from this checkpoint starts over.
            return List.of(new DebeziumSplit(split.splitId(), Map.of()));
        }
        if (lastEmitted != null) {
            pendingConfirmations.put(checkpointId, lastEmitted);
        }
        return List.of(new DebeziumSplit(split.splitId(), offsets));
    }

    /**
     * Tells Debezium that everything up to the last record of the completed checkpoint is processed, which
     * lets the connector confirm that position to the database. A failure here is not fatal: the next
     * completed checkpoint confirms a later position.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        var completed = pendingConfirmations.headMap(checkpointId, true);
        if (completed.isEmpty()) {
            return;
        }
        DebeziumRecord last = completed.lastEntry().getValue();
        completed.clear();
        try {
            last.committer().markProcessed(last.event());
            last.committer().markBatchFinished();
            offsetsConfirmed.inc();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Could not confirm offsets of checkpoint {} to Debezium; the next checkpoint will", checkpointId, e);
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        queue.notifyAvailable();
    }

    @Override
    public void close() throws Exception {
        closing = true;
        queue.wakeUpPuttingThread(0);
        if (engine != null) {
            engine.close();
        }
        if (engineExecutor != null) {
            engineExecutor.shutdown();
            if (!engineExecutor.awaitTermination(ENGINE_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Debezium engine did not stop within {} s", ENGINE_STOP_TIMEOUT_SECONDS);
                engineExecutor.shutdownNow();
            }
        }
    }

    /** Serializes records and offsets on the engine thread, exactly as Kafka Connect's offset writer does. */
    private static final class OffsetSerde {
        private final String namespace;
        private final JsonConverter offsetConverter = new JsonConverter();
        private final JsonConverter valueConverter = new JsonConverter();

        OffsetSerde(String namespace) {
            this.namespace = namespace;
            offsetConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
            valueConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        }

        DebeziumRecord toHandover(
                RecordChangeEvent<SourceRecord> event,
                io.debezium.engine.DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {
            SourceRecord record = event.record();
            String key = string(offsetConverter.fromConnectData(
                    namespace, null, Arrays.asList(namespace, record.sourcePartition())));
            String offset = string(offsetConverter.fromConnectData(namespace, null, record.sourceOffset()));
            RawChange change = null;
            long sourceMillis = System.currentTimeMillis();
            if (isChangeEvent(record)) {
                String value = string(valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value()));
                change = new RawChange(record.topic(), offset, value);
                sourceMillis = sourceMillis(record, sourceMillis);
            }
            return new DebeziumRecord(change, key, offset, phase(record.sourceOffset()), sourceMillis, event, committer);
        }

        private static DebeziumRecord.SnapshotPhase phase(Map<String, ?> offset) {
            Object snapshot = offset == null ? null : offset.get("snapshot");
            if (snapshot == null || "false".equals(String.valueOf(snapshot))) {
                return DebeziumRecord.SnapshotPhase.STREAMING;
            }
            if (Boolean.TRUE.equals(offset.get("last_snapshot_record"))
                    || Boolean.TRUE.equals(offset.get("snapshot_completed"))) {
                return DebeziumRecord.SnapshotPhase.LAST_OF_SNAPSHOT;
            }
            return DebeziumRecord.SnapshotPhase.IN_SNAPSHOT;
        }

        private static long sourceMillis(SourceRecord record, long fallback) {
            if (record.value() instanceof org.apache.kafka.connect.data.Struct value
                    && value.schema().field("source") != null
                    && value.get("source") instanceof org.apache.kafka.connect.data.Struct source
                    && source.schema().field("ts_ms") != null
                    && source.get("ts_ms") instanceof Long ts) {
                return ts;
            }
            return fallback;
        }

        private static boolean isChangeEvent(SourceRecord record) {
            return record.value() != null
                    && record.valueSchema() != null
                    && record.valueSchema().name() != null
                    && record.valueSchema().name().endsWith(".Envelope");
        }

        private static String string(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
