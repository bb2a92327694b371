package io.freshet.core;

import java.util.List;

/** Turns texts into L2-normalised vectors. Implementations are thread-safe. */
public interface Embedder {
    /** Embeds each text (a passage to be indexed); the result has one vector per input, in order. */
    List<float[]> embed(List<String> texts);

    /**
     * Embeds a search query. Models trained with a query instruction (bge) add it here; by default a query
     * is embedded like a passage.
     */
    default float[] embedQuery(String query) {
        return embed(List.of(query)).get(0);
    }

    /** Vector dimension. */
    int dimension();

    /** Stable model id, recorded with every vector (e.g. {@code all-minilm-l6-v2}). */
    String modelId();
}
