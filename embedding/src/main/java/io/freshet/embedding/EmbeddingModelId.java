package io.freshet.embedding;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The in-process embedding models Freshet ships, by the id used in configuration and index lineage. */
public enum EmbeddingModelId {
    /** sentence-transformers/all-MiniLM-L6-v2, 384 dimensions: fast. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", 384),
    /** BAAI/bge-small-en-v1.5, 384 dimensions: better quality, about the same cost. */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", 384);

    private final String id;
    private final int dimension;

    EmbeddingModelId(String id, int dimension) {
        this.id = id;
        this.dimension = dimension;
    }

    /** The id used in configuration ({@code embedding.model}) and recorded with every vector. */
    public String id() {
        return id;
    }

    /** Vector dimension. */
    public int dimension() {
        return dimension;
    }

    /**
     * Looks a model up by its configuration id.
     *
     * @throws IllegalArgumentException naming the bad value and the known ids
     */
    public static EmbeddingModelId of(String id) {
        for (EmbeddingModelId m : values()) {
            if (m.id.equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("embedding.model must be one of "
                + Arrays.stream(values()).map(EmbeddingModelId::id).collect(Collectors.joining(", "))
                + "; got '" + id + "'");
    }
}
