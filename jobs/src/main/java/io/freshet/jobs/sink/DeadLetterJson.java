package io.freshet.jobs.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.DeadLetter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON form of a dead letter, the same in the file and in the Kafka topic:
 * {@code {"reason", "source", "position", "failed_at" (ISO-8601), "payload"}}.
 */
public final class DeadLetterJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterJson() {}

    /** Encodes one dead letter as a single line of JSON (no newline). */
    public static String encode(DeadLetter letter) {
        try {
            return JSON.writeValueAsString(JSON.createObjectNode()
                    .put("reason", letter.reason())
                    .put("source", letter.source())
                    .put("position", letter.position())
                    .put("failed_at", Instant.ofEpochMilli(letter.failedAtMillis()).toString())
                    .put("payload", letter.payload()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
