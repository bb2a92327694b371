package io.freshet.core.chunk;

import io.freshet.core.Chunker;
import io.freshet.core.TokenCounter;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which chunking strategy, with its settings: what configuration selects ({@code chunk.*}) and index lineage
 * records ({@link #describe()}). Validated when made, so a bad value fails before any work.
 *
 * @param strategy the strategy
 * @param maxTokens the most tokens in one chunk
 * @param overlapTokens tokens shared by consecutive chunks ({@link Strategy#RECURSIVE}, {@link Strategy#MARKDOWN})
 * @param windowSentences sentences per chunk ({@link Strategy#SENTENCES})
 * @param windowOverlap sentences shared by consecutive windows ({@link Strategy#SENTENCES})
 */
public record ChunkerSpec(Strategy strategy, int maxTokens, int overlapTokens, int windowSentences, int windowOverlap)
        implements Serializable {

    /** The chunking strategies. */
    public enum Strategy {
        /** Token-bounded recursive with overlap ({@link RecursiveChunker}); the default. */
        RECURSIVE,
        /** Markdown sections, the heading path kept with each chunk ({@link MarkdownChunker}). */
        MARKDOWN,
        /** Sentence windows within paragraphs ({@link SentenceWindowChunker}). */
        SENTENCES;

        /** The strategy named {@code name} (case-insensitive); the error lists the names. */
        public static Strategy of(String name) {
            for (Strategy s : values()) {
                if (s.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("chunk.strategy must be recursive, markdown or sentences; got '" + name + "'");
        }
    }

    public ChunkerSpec {
        Objects.requireNonNull(strategy, "strategy");
        build(strategy, maxTokens, overlapTokens, windowSentences, windowOverlap, text -> 0); // validates every bound
    }

    /** The default strategy with these bounds. */
    public static ChunkerSpec recursive(int maxTokens, int overlapTokens) {
        return new ChunkerSpec(Strategy.RECURSIVE, maxTokens, overlapTokens, 3, 1);
    }

    /** The chunker, counting tokens with {@code counter}. */
    public Chunker create(TokenCounter counter) {
        return build(strategy, maxTokens, overlapTokens, windowSentences, windowOverlap, counter);
    }

    private static Chunker build(Strategy strategy, int maxTokens, int overlapTokens, int windowSentences,
            int windowOverlap, TokenCounter counter) {
        return switch (strategy) {
            case RECURSIVE -> new RecursiveChunker(maxTokens, overlapTokens, counter);
            case MARKDOWN -> new MarkdownChunker(maxTokens, overlapTokens, counter);
            case SENTENCES -> new SentenceWindowChunker(windowSentences, windowOverlap, maxTokens, counter);
        };
    }

    /** A stable description of the chunker, recorded in index lineage and compared by {@code freshet eval}. */
    public String describe() {
        return create(text -> 0).describe();
    }
}
