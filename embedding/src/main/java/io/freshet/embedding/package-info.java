/**
 * {@link io.freshet.core.Embedder} implementations. {@link io.freshet.embedding.OnnxEmbedder} runs a
 * LangChain4j in-process ONNX model shipped in its Maven jar; the GPU workers over Arrow Flight will live
 * here too.
 */
package io.freshet.embedding;
