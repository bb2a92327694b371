package io.freshet.jobs.ingest;

import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.DeadLetter;
import io.freshet.core.IndexAction;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import io.freshet.core.pii.PiiPolicy;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming ingest job: change events from a source, interpreted by the table mapping, keyed by
 * document id (so each document's changes stay in order), chunked and embedded, and written to the index.
 *
 * <pre>
 *   source ─▶ parse-changes ─▶ [dedup] ─▶ copy-markers ─▶ keyBy(doc id) ─▶ [redact-pii] ─▶ chunk-embed ─▶ route-to-shards ─▶ lucene-sink (a shard per subtask)
 *                  └─(malformed)─▶ dead-letter-sink ◀─(embedding failed)─┘
 *   (a snapshot's marker reaches every chunk-embed subtask and, from each, every shard, in order with the documents)
 * </pre>
 *
 * The source and the sink are injected, so tests and other deployments can swap them.
 */
public final class IngestJob {

    private final Source<RawChange, ?, ?> source;
    private final TableMapping mapping;
    private final ChunkEmbedOperator.Components components;
    private final Sink<IndexAction> sink;
    private final Sink<DeadLetter> deadLetters;
    private final int embedParallelism;
    private final int shards;
    private PiiPolicy pii = PiiPolicy.OFF;
    private ChunkEmbedOperator.Settings embedding = DEFAULT_EMBEDDING;
    private DedupFunction.Policy dedup = DedupFunction.Policy.OFF;

    /** Micro-batches of up to 32 inputs or 20 ms, 30 s per call, 5 attempts backing off from 1 s, 10,000 waiting. */
    public static final ChunkEmbedOperator.Settings DEFAULT_EMBEDDING = new ChunkEmbedOperator.Settings(
            new EmbeddingBatcher.Settings(32, Duration.ofMillis(20), Duration.ofSeconds(30), 5, Duration.ofSeconds(1)),
            10_000);

    public IngestJob(
            Source<RawChange, ?, ?> source,
            TableMapping mapping,
            ChunkEmbedOperator.Components components,
            Sink<IndexAction> sink,
            Sink<DeadLetter> deadLetters,
            int embedParallelism,
            int shards) {
        this.source = Objects.requireNonNull(source, "source");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.components = Objects.requireNonNull(components, "components");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        if (embedParallelism < 1) {
            throw new IllegalArgumentException("job.embed-parallelism must be >= 1; got " + embedParallelism);
        }
        this.embedParallelism = embedParallelism;
        if (shards < 1) {
            throw new IllegalArgumentException("index.shards must be >= 1; got " + shards);
        }
        this.shards = shards;
    }

    /** Redacts personal data as {@code policy} says before anything is embedded or indexed (default: off). */
    public IngestJob redaction(PiiPolicy policy) {
        this.pii = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Finds duplicate documents across ids as {@code policy} says, before anything is embedded (default: off). */
    public IngestJob dedup(DedupFunction.Policy policy) {
        this.dedup = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** How chunk-embed batches, times out and retries embeddings, and how many documents may wait. */
    public IngestJob embedding(ChunkEmbedOperator.Settings settings) {
        this.embedding = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * How long a network buffer between the job's steps waits to fill before it is sent (Flink's default is 100
     * ms at each of up to three exchanges): a change, a revocation above all, should not wait for company.
     */
    static final long FLUSH_MILLIS = 10;

    /** Wires the job graph into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<RawChange> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "change-source")
                .uid("change-source")
                .setParallelism(1);
        SingleOutputStreamOperator<SourceChange> changes = raw.process(new ParseChangeFunction(mapping, pii))
                .returns(TypeInformation.of(SourceChange.class))
                .name("parse-changes")
                .uid("parse-changes")
                .setParallelism(1)
                .setBufferTimeout(FLUSH_MILLIS);
        DataStream<SourceChange> distinct = changes;
        if (dedup.enabled()) { // across all documents, so in one place, in source order
            distinct = changes.keyBy(c -> DedupFunction.KEY)
                    .process(new DedupFunction(dedup))
                    .returns(TypeInformation.of(SourceChange.class))
                    .name("dedup")
                    .uid("dedup")
                    .setParallelism(1)
                    .setBufferTimeout(FLUSH_MILLIS);
        }
        // keyed by document id; a snapshot's marker reaches every chunk-embed subtask in order with its documents
        int embedKeyGroups = MarkerRouting.keyGroups(env, embedParallelism);
        KeyedStream<SourceChange, String> keyed = MarkerRouting.toEmbedders(distinct, embedKeyGroups, FLUSH_MILLIS);
        if (pii.enabled()) {
            // a one-to-one map at the same parallelism keeps each document on its subtask
            keyed = DataStreamUtils.reinterpretAsKeyedStream(keyed.map(new RedactPiiFunction(pii))
                    .returns(TypeInformation.of(SourceChange.class))
                    .name("redact-pii")
                    .uid("redact-pii")
                    .setParallelism(embedParallelism)
                    .setMaxParallelism(embedKeyGroups), SourceChange::documentId);
        }
        SingleOutputStreamOperator<IndexAction> actions = keyed
                .transform("chunk-embed", TypeInformation.of(IndexAction.class),
                        new ChunkEmbedOperator.Factory(components, embedding))
                .uid("chunk-embed")
                .setParallelism(embedParallelism)
                .setMaxParallelism(embedKeyGroups);
        // each document lives in one shard (sink subtask); each chunk-embed subtask's reconcile marker goes to every
        // shard, in order with that subtask's documents
        MarkerRouting.toShards(actions, shards, FLUSH_MILLIS)
                .sinkTo(sink).name("lucene-sink").uid("lucene-sink").setParallelism(shards);
        changes.getSideOutput(ParseChangeFunction.DEAD_LETTERS)
                .union(actions.getSideOutput(ChunkEmbedOperator.DEAD_LETTERS))
                .sinkTo(deadLetters)
                .name("dead-letter-sink")
                .uid("dead-letter-sink")
                .setParallelism(1);
    }
}
