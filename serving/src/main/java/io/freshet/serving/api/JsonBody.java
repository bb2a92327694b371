package io.freshet.serving.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a request body as JSON, refusing an empty or malformed one with a 400 {@code invalid_json}. */
public final class JsonBody {

    private JsonBody() {}

    /**
     * {@code body} as a {@code type}.
     *
     * @param expected what the body should be, for the error message (e.g. "a JSON object with a 'query'")
     */
    public static <T> T read(ObjectMapper json, String body, Class<T> type, String expected) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("invalid_json", "request body must be " + expected);
        }
        T value;
        try {
            value = json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "request body is not valid JSON for this API: "
                    + e.getOriginalMessage());
        }
        if (value == null) {
            throw ApiException.badRequest("invalid_json", "request body must be " + expected);
        }
        return value;
    }
}
