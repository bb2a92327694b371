package io.freshet.core;

import java.util.Objects;

/**
 * A chunk with its embedding.
 *
 * @param chunk the chunk
 * @param vector its embedding, L2-normalised
 */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
    public EmbeddedChunk {
        Objects.requireNonNull(chunk, "chunk");
        if (vector == null || vector.length == 0) {
            throw new IllegalArgumentException("chunk " + chunk.ordinal() + " has no vector");
        }
    }
}
