package io.freshet.serving.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/retrieve} (and the arguments of the MCP {@code retrieve} tool).
 *
 * @param query the question or search text
 * @param k how many chunks to return; null means the configured default
 * @param mode {@code hybrid} (default), {@code vector} or {@code keyword}
 * @param filters optional metadata filters; they narrow the caller's permissions, never widen them
 */
public record RetrieveRequest(String query, Integer k, String mode, Filters filters) {

    /**
     * Metadata filters.
     *
     * @param sources keep only chunks from these sources (tables or topics)
     * @param attributes keep only documents whose metadata column has one of the listed values; ANDed
     * @param updatedAfter keep only documents updated at or after this ISO-8601 instant
     * @param updatedBefore keep only documents updated at or before this ISO-8601 instant
     */
    public record Filters(
            List<String> sources,
            Map<String, List<String>> attributes,
            @JsonProperty("updated_after") String updatedAfter,
            @JsonProperty("updated_before") String updatedBefore) {}
}
