package io.freshet.jobs.ingest;

import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.chunk.ChunkerSpec;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.ModelTokenCounter;
import io.freshet.embedding.OnnxEmbedder;
import java.util.Objects;

/**
 * The production chunker and embedder: the configured chunking strategy, its tokens counted with the model's
 * own tokenizer, and the shipped in-process ONNX model.
 *
 * @param model the embedding model
 * @param chunking the chunking strategy and its bounds (validated when made)
 */
public record DefaultComponents(EmbeddingModelId model, ChunkerSpec chunking) implements ChunkEmbedOperator.Components {

    public DefaultComponents {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(chunking, "chunking");
    }

    /** The default recursive chunker with these bounds. */
    public DefaultComponents(EmbeddingModelId model, int maxTokens, int overlapTokens) {
        this(model, ChunkerSpec.recursive(maxTokens, overlapTokens));
    }

    @Override
    public Chunker chunker() {
        return chunking.create(new ModelTokenCounter());
    }

    @Override
    public Embedder embedder() {
        return OnnxEmbedder.onCallerThread(model);
    }

    @Override
    public String modelVersion() {
        return model.version();
    }

    /** The chunker configuration, as recorded in index lineage. */
    public String chunkerDescription() {
        return chunking.describe();
    }
}
