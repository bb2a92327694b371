package io.freshet.index.schema;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * How the BM25 text fields are analysed. An index is analysed one way for its whole life, recorded in every
 * commit ({@link CommitData#ANALYZER}); queries are analysed the way the served commit was.
 */
public enum TextAnalysis {
    /** Unicode word breaking and lower-casing; no stemming, no stop words. Indexes written before the choice was recorded. */
    STANDARD,
    /**
     * Unicode word breaking, lower-casing, English possessives and stop words, Porter stemming: "mutations"
     * matches "mutation". On BEIR SciFact it lifts BM25 nDCG@10 from 0.631 to 0.671 (BENCHMARKS.md).
     */
    ENGLISH;

    /** What a new index uses. */
    public static final TextAnalysis DEFAULT = ENGLISH;

    /** A new analyzer instance (analyzers are thread-safe; share one per index). */
    public Analyzer analyzer() {
        return switch (this) {
            case STANDARD -> new StandardAnalyzer();
            case ENGLISH -> new EnglishAnalyzer();
        };
    }

    /** The name recorded in commit user data. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a recorded name; a commit without one predates the choice and was analysed with
     * {@link #STANDARD}.
     *
     * @throws IllegalArgumentException for a name this version does not know
     */
    public static TextAnalysis fromRecorded(String id) {
        if (id == null || id.isEmpty()) {
            return STANDARD;
        }
        for (TextAnalysis a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("index text analysis '" + id + "' is unknown to this Freshet version");
    }
}
