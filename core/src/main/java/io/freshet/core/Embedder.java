package io.freshet.core;

import java.util.List;

/** Turns texts into L2-normalised vectors. Implementations are thread-safe. */
public interface Embedder {
    /** Embeds each text; the result has one vector per input, in order. */
    List<float[]> embed(List<String> texts);

    /** Vector dimension. */
    int dimension();

    /** Stable model id, recorded with every vector (e.g. {@code all-minilm-l6-v2}). */
    String modelId();
}
