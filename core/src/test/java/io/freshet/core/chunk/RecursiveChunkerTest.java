package io.freshet.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.Chunk;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecursiveChunkerTest {

    private static final WhitespaceTokenCounter WORDS = new WhitespaceTokenCounter();

    @Test
    void shortTextIsOneChunkWithExactOffsets() {
        String body = "  Hello world. This is short.  ";
        List<Chunk> chunks = new RecursiveChunker(16, 4, WORDS).split(body);
        assertThat(chunks).hasSize(1);
        Chunk c = chunks.get(0);
        assertThat(c.text()).isEqualTo("Hello world. This is short.");
        assertThat(body.substring(c.startOffset(), c.endOffset())).isEqualTo(c.text());
    }

    @Test
    void blankTextHasNoChunks() {
        assertThat(new RecursiveChunker(16, 0, WORDS).split("  \n\n ")).isEmpty();
        assertThat(new RecursiveChunker(16, 0, WORDS).split(null)).isEmpty();
    }

    @Test
    void paragraphsStayWholeWhenTheyFit() {
        String p1 = "one two three four five six seven eight.";
        String p2 = "nine ten eleven twelve thirteen fourteen fifteen sixteen.";
        String body = p1 + "\n\n" + p2;
        List<Chunk> chunks = new RecursiveChunker(16, 0, WORDS).split(body);
        assertThat(chunks).extracting(Chunk::text).containsExactly(body);
        List<Chunk> split = new RecursiveChunker(16, 0, WORDS).split(body + "\n\n" + p1);
        assertThat(split).extracting(Chunk::text).containsExactly(body, p1);
    }

    @Test
    void longParagraphIsCutAtSentencesThenWords() {
        String sentence = "alpha beta gamma delta epsilon zeta eta theta iota kappa."; // 10 words
        String body = (sentence + " ").repeat(5).trim();
        List<Chunk> chunks = new RecursiveChunker(20, 0, WORDS).split(body);
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0).text()).isEqualTo(sentence + " " + sentence);
        assertThat(chunks).allSatisfy(c -> assertThat(c.text()).endsWith("."));
    }

    @Test
    void overlapRepeatsTrailingUnits() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            b.append("w").append(i).append(' ');
        }
        List<Chunk> chunks = new RecursiveChunker(16, 4, WORDS).split(b.toString());
        assertThat(chunks.get(0).text()).startsWith("w0 ").endsWith("w15");
        assertThat(chunks.get(1).text()).startsWith("w12 ");
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("w39");
    }

    @Test
    void overlongWordIsCutIntoRuns() {
        String blob = "x".repeat(100);
        List<Chunk> chunks = new RecursiveChunker(16, 0, text -> text.length()).split(blob);
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(16));
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(blob);
    }

    @Test
    void randomTextsRespectBoundsOffsetsAndCoverage() {
        long seed = new Random().nextLong();
        System.out.println("RecursiveChunkerTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int max = 16 + random.nextInt(64);
            int overlap = random.nextInt(max / 2 + 1);
            String body = randomText(random);
            RecursiveChunker chunker = new RecursiveChunker(max, overlap, WORDS);
            List<Chunk> chunks = chunker.split(body);
            int coveredTo = 0;
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                assertThat(c.ordinal()).as("seed %d", seed).isEqualTo(i);
                assertThat(body.substring(c.startOffset(), c.endOffset())).isEqualTo(c.text());
                assertThat(WORDS.count(c.text())).as("seed %d", seed).isLessThanOrEqualTo(max);
                assertThat(c.startOffset() <= coveredTo || body.substring(coveredTo, c.startOffset()).isBlank())
                        .as("no text skipped before chunk %d (seed %d)", i, seed)
                        .isTrue();
                assertThat(c.endOffset()).isGreaterThan(coveredTo);
                coveredTo = c.endOffset();
            }
            assertThat(body.substring(coveredTo).isBlank()).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void rejectsBadConfigurationNamingTheValue() {
        assertThatThrownBy(() -> new RecursiveChunker(8, 0, WORDS))
                .hasMessageContaining("chunk.max-tokens")
                .hasMessageContaining("got 8");
        assertThatThrownBy(() -> new RecursiveChunker(64, 40, WORDS))
                .hasMessageContaining("chunk.overlap-tokens")
                .hasMessageContaining("got 40");
    }

    private static String randomText(Random random) {
        StringBuilder b = new StringBuilder();
        int paragraphs = random.nextInt(6);
        for (int p = 0; p < paragraphs; p++) {
            int sentences = 1 + random.nextInt(8);
            for (int s = 0; s < sentences; s++) {
                int words = 1 + random.nextInt(30);
                for (int w = 0; w < words; w++) {
                    b.append("w").append(random.nextInt(1000));
                    b.append(random.nextInt(10) == 0 ? "\n" : " ");
                }
                b.append(". ");
            }
            b.append(random.nextBoolean() ? "\n\n" : "\n \n");
        }
        return b.toString();
    }
}
