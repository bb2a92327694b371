package io.freshet.index.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The user data Freshet writes with every Lucene commit, so that what is on disk says where it came from.
 *
 * <table>
 *   <caption>Commit user-data keys</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@value #CHECKPOINT}</td><td>the Flink checkpoint this commit was prepared for; 0 for the commit
 *       that opens a run (no checkpoint yet), -1 for a commit not made by a Flink sink</td></tr>
 *   <tr><td>{@value #RUN_ID}</td><td>the ingest run that wrote the commit: the Flink job id of the job that
 *       started without state, kept across restores from its checkpoints</td></tr>
 *   <tr><td>{@value #RUN_SEQ}</td><td>the run's number within the index generation (1, 2, ...); commit point
 *       ids are {@code <run-seq>.<checkpoint>}</td></tr>
 *   <tr><td>{@value #POSITIONS}</td><td>source positions as a JSON object: for each Kafka topic/partition
 *       ({@code "topic/0"}) the offset of the newest change included; for a Debezium source
 *       ({@code "debezium"}) the connector offset (LSN and transaction) of the newest change included</td></tr>
 *   <tr><td>{@value #POSITION}</td><td>source position of the newest change included, as delivered</td></tr>
 *   <tr><td>{@value #WATERMARK}</td><td>freshness watermark: source commit time (epoch ms) of the newest
 *       change included</td></tr>
 *   <tr><td>{@value #MODEL}</td><td>embedding model id</td></tr>
 *   <tr><td>{@value #MODEL_VERSION}</td><td>embedding model version: sha256 prefix of the model's weights</td></tr>
 *   <tr><td>{@value #CHUNKER}</td><td>chunker configuration</td></tr>
 *   <tr><td>{@value #CHUNKER_HASH}</td><td>sha256 prefix of the chunker configuration</td></tr>
 *   <tr><td>{@value #DOCUMENTS}</td><td>documents in the index (in this shard) after the commit</td></tr>
 *   <tr><td>{@value #CHUNKS}</td><td>chunks in the index (in this shard) after the commit</td></tr>
 *   <tr><td>{@value #COMMITTED_AT}</td><td>wall-clock time of the commit, epoch ms</td></tr>
 *   <tr><td>{@value #ANALYZER}</td><td>text analysis of the BM25 fields ({@link TextAnalysis}); absent in
 *       indexes written before it was recorded, which were analysed with {@code standard}</td></tr>
 * </table>
 *
 * <p>Keys missing from older commits read as empty, 0 or -1.
 *
 * @param position source position of the newest change (empty when none yet)
 * @param watermarkMillis source time of the newest change in the commit (0 when none yet)
 * @param model embedding model id
 * @param chunker chunker configuration
 * @param committedAtMillis when the commit was made
 * @param analysis text analysis of the BM25 fields
 * @param checkpointId the Flink checkpoint (0: a run's opening commit; -1: not written by a Flink sink)
 * @param runId the ingest run (empty when not written by a Flink sink)
 * @param runSeq the run's number in its generation (0 when not written by a Flink sink)
 * @param positions source positions of the newest changes, per source partition
 * @param documents documents after the commit
 * @param chunks chunks after the commit
 * @param modelVersion embedding model version
 * @param chunkerHash hash of the chunker configuration
 */
public record CommitData(String position, long watermarkMillis, String model, String chunker, long committedAtMillis,
        TextAnalysis analysis, long checkpointId, String runId, int runSeq, Map<String, String> positions,
        long documents, long chunks, String modelVersion, String chunkerHash) {

    public static final String CHECKPOINT = "freshet.checkpoint-id";
    public static final String RUN_ID = "freshet.run-id";
    public static final String RUN_SEQ = "freshet.run-seq";
    public static final String POSITIONS = "freshet.source-positions";
    public static final String WATERMARK = "freshet.watermark";
    public static final String POSITION = "freshet.source-position";
    public static final String MODEL = "freshet.embedding-model";
    public static final String MODEL_VERSION = "freshet.embedding-model-version";
    public static final String CHUNKER = "freshet.chunker";
    public static final String CHUNKER_HASH = "freshet.chunker-hash";
    public static final String DOCUMENTS = "freshet.documents";
    public static final String CHUNKS = "freshet.chunks";
    public static final String COMMITTED_AT = "freshet.committed-at";
    public static final String ANALYZER = "freshet.analyzer";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Commit data of an index nothing has been written to. */
    public static final CommitData EMPTY = new CommitData("", 0L, "", "", 0L, TextAnalysis.DEFAULT);

    public CommitData {
        position = Objects.requireNonNullElse(position, "");
        model = Objects.requireNonNullElse(model, "");
        chunker = Objects.requireNonNullElse(chunker, "");
        analysis = Objects.requireNonNullElse(analysis, TextAnalysis.DEFAULT);
        runId = Objects.requireNonNullElse(runId, "");
        positions = positions == null ? Map.of() : Map.copyOf(positions);
        modelVersion = Objects.requireNonNullElse(modelVersion, "");
        chunkerHash = Objects.requireNonNullElse(chunkerHash, "");
    }

    /** Lineage of a commit not written by a Flink sink (a scratch or test index). */
    public CommitData(String position, long watermarkMillis, String model, String chunker, long committedAtMillis,
            TextAnalysis analysis) {
        this(position, watermarkMillis, model, chunker, committedAtMillis, analysis, -1L, "", 0, Map.of(), 0L, 0L,
                "", "");
    }

    /** The map to pass to {@code IndexWriter.setLiveCommitData}. */
    public Map<String, String> toUserData() {
        Map<String, String> m = new HashMap<>();
        m.put(WATERMARK, Long.toString(watermarkMillis));
        m.put(POSITION, position);
        m.put(MODEL, model);
        m.put(CHUNKER, chunker);
        m.put(COMMITTED_AT, Long.toString(committedAtMillis));
        m.put(ANALYZER, analysis.id());
        m.put(CHECKPOINT, Long.toString(checkpointId));
        m.put(RUN_ID, runId);
        m.put(RUN_SEQ, Integer.toString(runSeq));
        m.put(POSITIONS, positionsJson(positions));
        m.put(DOCUMENTS, Long.toString(documents));
        m.put(CHUNKS, Long.toString(chunks));
        m.put(MODEL_VERSION, modelVersion);
        m.put(CHUNKER_HASH, chunkerHash);
        return m;
    }

    /** Reads commit data back; missing keys read as empty (and a missing analyzer as {@code standard}). */
    public static CommitData fromUserData(Map<String, String> m) {
        return new CommitData(
                m.getOrDefault(POSITION, ""),
                parseLong(m.get(WATERMARK), 0L),
                m.getOrDefault(MODEL, ""),
                m.getOrDefault(CHUNKER, ""),
                parseLong(m.get(COMMITTED_AT), 0L),
                TextAnalysis.fromRecorded(m.get(ANALYZER)),
                parseLong(m.get(CHECKPOINT), -1L),
                m.getOrDefault(RUN_ID, ""),
                (int) parseLong(m.get(RUN_SEQ), 0L),
                parsePositions(m.get(POSITIONS)),
                parseLong(m.get(DOCUMENTS), 0L),
                parseLong(m.get(CHUNKS), 0L),
                m.getOrDefault(MODEL_VERSION, ""),
                m.getOrDefault(CHUNKER_HASH, ""));
    }

    /** Encodes source positions as the JSON object stored under {@value #POSITIONS}. */
    public static String positionsJson(Map<String, String> positions) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(positions));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes {@link #positionsJson}; empty or missing reads as no positions. */
    public static Map<String, String> parsePositions(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("commit user data " + POSITIONS + " is not a JSON object of strings: " + json, e);
        }
    }

    private static long parseLong(String s, long missing) {
        return s == null || s.isEmpty() ? missing : Long.parseLong(s);
    }
}
