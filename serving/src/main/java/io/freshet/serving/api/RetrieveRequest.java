package io.freshet.serving.api;

/**
 * Body of {@code POST /v1/retrieve}.
 *
 * @param query the question or search text
 * @param k how many chunks to return; {@code null} means {@link io.freshet.serving.RetrievalService#DEFAULT_K}
 */
public record RetrieveRequest(String query, Integer k) {}
