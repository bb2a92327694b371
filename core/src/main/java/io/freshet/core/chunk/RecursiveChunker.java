package io.freshet.core.chunk;

import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token-bounded recursive chunking with overlap.
 *
 * <p>The body is cut into units at the coarsest boundary that keeps every unit within the token bound:
 * paragraphs, then lines, then sentences, then words, and as a last resort fixed runs of characters (a
 * single "word" longer than the bound, such as an encoded blob). Units are then packed greedily into
 * chunks of at most {@code maxTokens} tokens; each chunk after the first starts with the trailing units
 * of its predecessor, up to {@code overlapTokens} tokens, so a sentence cut at a boundary is still seen
 * whole by one chunk. A chunk's text is exactly the body between its first and last unit, so its offsets
 * point into the source text for citations.
 *
 * <p>A chunk's token count is the sum of its units' counts; separators add none with a word-piece
 * tokenizer.
 */
public final class RecursiveChunker implements Chunker {

    /** Smallest allowed chunk bound, in tokens. */
    public static final int MIN_MAX_TOKENS = 16;
    /** Largest allowed chunk bound, in tokens. */
    public static final int MAX_MAX_TOKENS = 8192;

    private static final Pattern[] LEVELS = {
        Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*"), // paragraphs
        Pattern.compile("\\n\\s*"), // lines
        Pattern.compile("(?<=[.!?;:])\\s+"), // sentences
        Pattern.compile("\\s+"), // words
    };

    private final int maxTokens;
    private final int overlapTokens;
    private final TokenCounter counter;

    /**
     * @param maxTokens the most tokens in one chunk, in [{@value #MIN_MAX_TOKENS}, {@value #MAX_MAX_TOKENS}]
     * @param overlapTokens tokens repeated from the previous chunk, in [0, maxTokens / 2]
     * @param counter counts tokens as the embedding model would
     */
    public RecursiveChunker(int maxTokens, int overlapTokens, TokenCounter counter) {
        if (maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
            throw new IllegalArgumentException("chunk.max-tokens must be in [" + MIN_MAX_TOKENS + ", "
                    + MAX_MAX_TOKENS + "]; got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException(
                    "chunk.overlap-tokens must be in [0, " + maxTokens / 2 + "]; got " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** A span of the body and its token count. */
    private record Unit(int start, int end, int tokens) {}

    @Override
    public List<Chunk> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Chunk> out = new ArrayList<>();
        splitRange(text, 0, text.length(), "", out);
        return out;
    }

    /**
     * Chunks {@code text[from, to)} as {@link #split} chunks a whole body, appending to {@code out} with ordinals
     * that continue its own and offsets into {@code text}; every chunk is in {@code section}.
     */
    void splitRange(String text, int from, int to, String section, List<Chunk> out) {
        List<Unit> units = new ArrayList<>();
        cut(text, from, to, 0, units);
        pack(text, units, section, out);
    }

    private void cut(String text, int from, int to, int level, List<Unit> out) {
        Matcher m = LEVELS[level].matcher(text).region(from, to);
        int pieceStart = from;
        while (true) {
            boolean found = m.find();
            int pieceEnd = found ? m.start() : to;
            addPiece(text, pieceStart, pieceEnd, level, out);
            if (!found) {
                return;
            }
            pieceStart = m.end();
        }
    }

    private void addPiece(String text, int start, int end, int level, List<Unit> out) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return;
        }
        int tokens = counter.count(text.substring(start, end));
        if (tokens <= maxTokens) {
            out.add(new Unit(start, end, tokens));
        } else if (level + 1 < LEVELS.length) {
            cut(text, start, end, level + 1, out);
        } else {
            // One "word" over the bound: a token covers at least one character, so runs of maxTokens
            // characters stay within it.
            for (int s = start; s < end; s += maxTokens) {
                int e = Math.min(end, s + maxTokens);
                out.add(new Unit(s, e, counter.count(text.substring(s, e))));
            }
        }
    }

    private void pack(String text, List<Unit> units, String section, List<Chunk> chunks) {
        int first = 0;
        while (first < units.size()) {
            int tokens = 0;
            int last = first;
            while (last < units.size() && tokens + units.get(last).tokens() <= maxTokens) {
                tokens += units.get(last).tokens();
                last++;
            }
            if (last == first) { // a unit alone is always within the bound; guard against a counter that disagrees
                last = first + 1;
            }
            int start = units.get(first).start();
            int end = units.get(last - 1).end();
            chunks.add(new Chunk(chunks.size(), text.substring(start, end), start, end, section));
            if (last == units.size()) {
                break;
            }
            first = overlapStart(units, first, last);
        }
    }

    /**
     * The first unit of the next chunk: as many trailing units of [first, last) as fit in the overlap and
     * still leave room for unit {@code last}, so every chunk makes progress.
     */
    private int overlapStart(List<Unit> units, int first, int last) {
        int budget = Math.min(overlapTokens, maxTokens - units.get(last).tokens());
        int next = last;
        int tokens = 0;
        while (next - 1 > first && tokens + units.get(next - 1).tokens() <= budget) {
            next--;
            tokens += units.get(next).tokens();
        }
        return next;
    }

    @Override
    public String describe() {
        return "recursive(max-tokens=" + maxTokens + ",overlap-tokens=" + overlapTokens + ")";
    }
}
