package io.freshet.core.chunk;

import io.freshet.core.TokenCounter;

/**
 * Counts whitespace-separated words. A fallback for tests and for models without a tokenizer; real
 * pipelines count with the embedding model's own tokenizer.
 */
public final class WhitespaceTokenCounter implements TokenCounter {
    @Override
    public int count(String text) {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean ws = Character.isWhitespace(text.charAt(i));
            if (!ws && !inWord) {
                n++;
            }
            inWord = !ws;
        }
        return n;
    }
}
