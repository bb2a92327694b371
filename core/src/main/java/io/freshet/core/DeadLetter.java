package io.freshet.core;

import java.util.Objects;

/**
 * A change event Freshet could not process, kept with why, so nothing is dropped silently.
 *
 * @param reason why it was rejected (never contains document text)
 * @param source where the event came from (table topic)
 * @param position the event's source position (LSN, Kafka partition/offset)
 * @param failedAtMillis when it was rejected, epoch milliseconds
 * @param payload the event as received, for replay after a fix; {@code null} when it could not be decoded
 */
public record DeadLetter(String reason, String source, String position, long failedAtMillis, String payload) {
    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
    }
}
