package io.freshet.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import io.freshet.core.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Embeds in-process with a LangChain4j ONNX model whose weights ship in a Maven jar: no network, no
 * download at run time. Vectors are L2-normalised so that dot product equals cosine similarity.
 *
 * <p>Loading a model takes about a second and a few tens of MB; share one instance per JVM.
 */
public final class OnnxEmbedder implements Embedder {

    private final EmbeddingModelId model;
    private final EmbeddingModel delegate;

    /**
     * @param model which shipped model to load
     * @param executor runs the model on batches; use a direct executor to keep embedding on the caller's
     *     thread (as a Flink operator should)
     */
    public OnnxEmbedder(EmbeddingModelId model, Executor executor) {
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executor, "executor");
        this.delegate = switch (model) {
            case ALL_MINILM_L6_V2 -> new AllMiniLmL6V2EmbeddingModel(executor);
            case BGE_SMALL_EN_V15 -> new BgeSmallEnV15EmbeddingModel(executor);
        };
    }

    /** Loads {@code model}, embedding on the calling thread. */
    public static OnnxEmbedder onCallerThread(EmbeddingModelId model) {
        return new OnnxEmbedder(model, Runnable::run);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            // LangChain4j rejects blank segments; a blank text still gets a (constant) vector.
            segments.add(TextSegment.from(t == null || t.isBlank() ? "." : t));
        }
        List<Embedding> embeddings = delegate.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(normalize(e.vector()));
        }
        return vectors;
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public String modelId() {
        return model.id();
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return v;
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
