package io.freshet.core.chunk;

import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.TokenCounter;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentence windows: each chunk is {@code window} consecutive sentences of one paragraph, the next window
 * starting {@code window - overlap} sentences later, so every sentence is embedded with its neighbours as
 * context. Windows never span paragraphs, so an edit changes only its own paragraph's windows. A window over
 * the token bound is cut short (at least one sentence), and a sentence over the bound alone is cut as
 * {@link RecursiveChunker} would.
 */
public final class SentenceWindowChunker implements Chunker {

    private static final Pattern PARAGRAPH = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*");

    private final int window;
    private final int overlap;
    private final int maxTokens;
    private final TokenCounter counter;
    private final RecursiveChunker longSentences;

    /**
     * @param window sentences per chunk, in [1, 50]
     * @param overlap sentences shared by consecutive windows, in [0, window - 1]
     * @param maxTokens the most tokens in one chunk, as for {@link RecursiveChunker}
     */
    public SentenceWindowChunker(int window, int overlap, int maxTokens, TokenCounter counter) {
        if (window < 1 || window > 50) {
            throw new IllegalArgumentException("chunk.window-sentences must be in [1, 50]; got " + window);
        }
        if (overlap < 0 || overlap >= window) {
            throw new IllegalArgumentException("chunk.window-overlap must be in [0, " + (window - 1) + "]; got " + overlap);
        }
        this.longSentences = new RecursiveChunker(maxTokens, 0, counter);
        this.window = window;
        this.overlap = overlap;
        this.maxTokens = maxTokens;
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    private record Sentence(int start, int end, int tokens) {}

    @Override
    public List<Chunk> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Chunk> out = new ArrayList<>();
        Matcher m = PARAGRAPH.matcher(text);
        int from = 0;
        while (m.find()) {
            paragraph(text, from, m.start(), out);
            from = m.end();
        }
        paragraph(text, from, text.length(), out);
        return out;
    }

    private void paragraph(String text, int from, int to, List<Chunk> out) {
        List<Sentence> sentences = sentences(text, from, to);
        int i = 0;
        while (i < sentences.size()) {
            Sentence first = sentences.get(i);
            if (first.tokens() > maxTokens) { // one sentence over the bound: cut it alone
                longSentences.splitRange(text, first.start(), first.end(), "", out);
                i++;
                continue;
            }
            int end = i;
            int tokens = 0;
            while (end < sentences.size() && end - i < window && tokens + sentences.get(end).tokens() <= maxTokens) {
                tokens += sentences.get(end).tokens();
                end++;
            }
            int start = first.start();
            int stop = sentences.get(end - 1).end();
            out.add(new Chunk(out.size(), text.substring(start, stop), start, stop));
            if (end == sentences.size()) {
                return;
            }
            i = Math.max(i + 1, end - overlap);
        }
    }

    private List<Sentence> sentences(String text, int from, int to) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text.substring(from, to));
        List<Sentence> out = new ArrayList<>();
        int s = it.first();
        for (int e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
            int a = from + s;
            int b = from + e;
            while (a < b && Character.isWhitespace(text.charAt(a))) {
                a++;
            }
            while (b > a && Character.isWhitespace(text.charAt(b - 1))) {
                b--;
            }
            if (a < b) {
                out.add(new Sentence(a, b, counter.count(text.substring(a, b))));
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "sentences(window=" + window + ",overlap=" + overlap + ",max-tokens=" + maxTokens + ")";
    }
}
