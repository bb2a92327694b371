package io.freshet.jobs.ingest;

import io.freshet.core.Chunker;
import io.freshet.core.Embedder;
import io.freshet.core.chunk.RecursiveChunker;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.ModelTokenCounter;
import io.freshet.embedding.OnnxEmbedder;

/**
 * The production chunker and embedder: recursive token-bounded chunking counted with the model's own
 * tokenizer, and the shipped in-process ONNX model.
 *
 * @param model the embedding model
 * @param maxTokens chunk bound in tokens
 * @param overlapTokens chunk overlap in tokens
 */
public record DefaultComponents(EmbeddingModelId model, int maxTokens, int overlapTokens)
        implements ChunkEmbedOperator.Components {

    public DefaultComponents {
        // Validate eagerly, on the client, with the same checks the chunker makes.
        new RecursiveChunker(maxTokens, overlapTokens, text -> 0);
    }

    @Override
    public Chunker chunker() {
        return new RecursiveChunker(maxTokens, overlapTokens, new ModelTokenCounter());
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
        return new RecursiveChunker(maxTokens, overlapTokens, text -> 0).describe();
    }
}
