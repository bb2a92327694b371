package io.freshet.core;

import java.util.List;

/** Splits a document body into chunks. Implementations are deterministic and keep every character's offset. */
@FunctionalInterface
public interface Chunker {
    /** Splits {@code text}; returns an empty list for blank text. */
    List<Chunk> split(String text);

    /** A stable description of the strategy and its settings, recorded in index lineage. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
