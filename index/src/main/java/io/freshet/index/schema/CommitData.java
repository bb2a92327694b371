package io.freshet.index.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The user data Freshet writes with every Lucene commit, so that what is on disk says where it came from.
 *
 * <table>
 *   <caption>Commit user-data keys</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@value #WATERMARK}</td><td>freshness watermark: source commit time (epoch ms) of the newest
 *       change included</td></tr>
 *   <tr><td>{@value #POSITION}</td><td>source position (LSN, Kafka offset) of the newest change
 *       included</td></tr>
 *   <tr><td>{@value #MODEL}</td><td>embedding model id</td></tr>
 *   <tr><td>{@value #CHUNKER}</td><td>chunker configuration</td></tr>
 *   <tr><td>{@value #COMMITTED_AT}</td><td>wall-clock time of the commit, epoch ms</td></tr>
 *   <tr><td>{@value #ANALYZER}</td><td>text analysis of the BM25 fields ({@link TextAnalysis}); absent in
 *       indexes written before it was recorded, which were analysed with {@code standard}</td></tr>
 * </table>
 *
 * @param watermarkMillis source time of the newest change in the commit (0 when none yet)
 * @param position source position of that change (empty when none yet)
 * @param model embedding model id
 * @param chunker chunker configuration
 * @param committedAtMillis when the commit was made
 * @param analysis text analysis of the BM25 fields
 */
public record CommitData(String position, long watermarkMillis, String model, String chunker, long committedAtMillis,
        TextAnalysis analysis) {

    public static final String WATERMARK = "freshet.watermark";
    public static final String POSITION = "freshet.source-position";
    public static final String MODEL = "freshet.embedding-model";
    public static final String CHUNKER = "freshet.chunker";
    public static final String COMMITTED_AT = "freshet.committed-at";
    public static final String ANALYZER = "freshet.analyzer";

    /** Commit data of an index nothing has been written to. */
    public static final CommitData EMPTY = new CommitData("", 0L, "", "", 0L, TextAnalysis.DEFAULT);

    public CommitData {
        position = Objects.requireNonNullElse(position, "");
        model = Objects.requireNonNullElse(model, "");
        chunker = Objects.requireNonNullElse(chunker, "");
        analysis = Objects.requireNonNullElse(analysis, TextAnalysis.DEFAULT);
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
        return m;
    }

    /** Reads commit data back; missing keys read as empty (and a missing analyzer as {@code standard}). */
    public static CommitData fromUserData(Map<String, String> m) {
        return new CommitData(
                m.getOrDefault(POSITION, ""),
                parseLong(m.get(WATERMARK)),
                m.getOrDefault(MODEL, ""),
                m.getOrDefault(CHUNKER, ""),
                parseLong(m.get(COMMITTED_AT)),
                TextAnalysis.fromRecorded(m.get(ANALYZER)));
    }

    private static long parseLong(String s) {
        return s == null || s.isEmpty() ? 0L : Long.parseLong(s);
    }
}
