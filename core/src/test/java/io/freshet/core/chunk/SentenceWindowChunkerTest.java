package io.freshet.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Chunk;
import io.freshet.core.TokenCounter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentenceWindowChunkerTest {

    private static final TokenCounter WORDS = new WhitespaceTokenCounter();

    @Test
    void windowsOfSentencesOverlapWithinAParagraphAndNeverSpanTwo() {
        String body = "One is first. Two follows! Three asks? Four ends.\n\nFive starts anew. Six closes.";
        List<Chunk> chunks = new SentenceWindowChunker(3, 1, 200, WORDS).split(body);
        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "One is first. Two follows! Three asks?",
                "Three asks? Four ends.",
                "Five starts anew. Six closes.");
        for (Chunk c : chunks) {
            assertThat(body.substring(c.startOffset(), c.endOffset())).isEqualTo(c.text());
        }
    }

    @Test
    void windowsRespectTheTokenBoundAndCoverEverySentence() {
        long seed = new Random().nextLong();
        System.out.println("SentenceWindowChunkerTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 100; round++) {
            StringBuilder b = new StringBuilder();
            int sentences = 1 + random.nextInt(30);
            for (int s = 0; s < sentences; s++) {
                int words = 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 12);
                for (int w = 0; w < words; w++) {
                    b.append(w == 0 ? "" : " ").append("w").append(random.nextInt(100));
                }
                b.append(". ").append(random.nextInt(6) == 0 ? "\n\n" : "");
            }
            String body = b.toString();
            int max = 16 + random.nextInt(30);
            List<Chunk> chunks = new SentenceWindowChunker(1 + random.nextInt(4), 0, max, WORDS).split(body);
            int covered = 0;
            for (Chunk c : chunks) {
                assertThat(WORDS.count(c.text())).as("seed %d", seed).isLessThanOrEqualTo(max);
                assertThat(body.substring(c.startOffset(), c.endOffset())).isEqualTo(c.text());
                assertThat(body.substring(covered, c.startOffset()).isBlank()).as("nothing skipped, seed %d", seed).isTrue();
                covered = Math.max(covered, c.endOffset());
            }
            assertThat(body.substring(covered).isBlank()).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> new SentenceWindowChunker(0, 0, 200, WORDS)).hasMessageContaining("chunk.window-sentences");
        assertThatThrownBy(() -> new SentenceWindowChunker(3, 3, 200, WORDS)).hasMessageContaining("chunk.window-overlap");
        assertThatThrownBy(() -> ChunkerSpec.Strategy.of("fancy")).hasMessageContaining("chunk.strategy")
                .hasMessageContaining("fancy");
        assertThat(new ChunkerSpec(ChunkerSpec.Strategy.SENTENCES, 200, 32, 3, 1).describe())
                .isEqualTo("sentences(window=3,overlap=1,max-tokens=200)");
    }
}
