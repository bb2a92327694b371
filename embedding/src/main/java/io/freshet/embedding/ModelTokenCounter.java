package io.freshet.embedding;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.freshet.core.TokenCounter;

/**
 * Counts word-piece tokens with the tokenizer of the BERT-family models Freshet ships (both use the same
 * uncased WordPiece vocabulary), so chunk bounds match what the model sees.
 */
public final class ModelTokenCounter implements TokenCounter {

    private final HuggingFaceTokenCountEstimator estimator = new HuggingFaceTokenCountEstimator();

    @Override
    public int count(String text) {
        return estimator.estimateTokenCountInText(text);
    }
}
