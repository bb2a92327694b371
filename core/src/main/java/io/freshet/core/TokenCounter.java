package io.freshet.core;

/** Counts the tokens a model would see in a text, so chunks can be bounded in model tokens. */
@FunctionalInterface
public interface TokenCounter {
    /** The number of tokens in {@code text}. */
    int count(String text);
}
