package io.freshet.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.Chunk;
import io.freshet.core.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarkdownChunkerTest {

    private static final TokenCounter WORDS = new WhitespaceTokenCounter();

    private static final String DOC = """
            Intro before any heading.

            # Install
            Get the archive.

            ## Linux
            Unpack it with tar.

            ```
            # not a heading: a shell comment
            tar xzf freshet.tgz
            ```

            ## macOS ##
            Use the package.

            # Operate
            Start it.
            """;

    @Test
    void chunksStayInsideSectionsAndCarryTheHeadingPath() {
        List<Chunk> chunks = new MarkdownChunker(200, 0, WORDS).split(DOC);
        assertThat(chunks).extracting(Chunk::section)
                .containsExactly("", "Install", "Install > Linux", "Install > macOS", "Operate");
        assertThat(chunks.get(2).text()).contains("# not a heading").contains("tar xzf");
        assertThat(chunks.get(3).text()).startsWith("## macOS");
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.ordinal()).isEqualTo(i);
            assertThat(DOC.substring(c.startOffset(), c.endOffset())).isEqualTo(c.text());
        }
    }

    @Test
    void anEditInOneSectionLeavesEveryOtherSectionsChunksAsTheyWere() {
        long seed = new Random().nextLong();
        System.out.println("MarkdownChunkerTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            List<String> sections = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                sections.add("## Part " + s + "\n" + words(random, 20 + random.nextInt(200)));
            }
            String before = String.join("\n\n", sections);
            int edited = random.nextInt(sections.size());
            sections.set(edited, sections.get(edited) + " " + words(random, 1 + random.nextInt(5)));
            String after = String.join("\n\n", sections);
            MarkdownChunker chunker = new MarkdownChunker(64, 8, WORDS);
            List<String> was = chunker.split(before).stream().filter(c -> !c.section().equals("Part " + edited))
                    .map(c -> c.section() + "|" + c.text()).toList();
            List<String> now = chunker.split(after).stream().filter(c -> !c.section().equals("Part " + edited))
                    .map(c -> c.section() + "|" + c.text()).toList();
            assertThat(now).as("seed %d round %d", seed, round).isEqualTo(was);
        }
    }

    @Test
    void textWithoutHeadingsIsChunkedAsTheRecursiveChunkerWould() {
        String body = "One paragraph.\n\nAnother paragraph with more words in it.";
        assertThat(new MarkdownChunker(16, 4, WORDS).split(body))
                .isEqualTo(new RecursiveChunker(16, 4, WORDS).split(body));
        assertThat(new MarkdownChunker(16, 4, WORDS).describe()).isEqualTo("markdown(max-tokens=16,overlap-tokens=4)");
    }

    private static String words(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : random.nextInt(15) == 0 ? ".\n\n" : " ").append("w").append(random.nextInt(500));
        }
        return b.toString();
    }

    @Test
    void headingsKeepTheirOwnHashesAreCutWhenLongAndNeverBacktrack() {
        assertThat(MarkdownChunker.headingText("C#")).isEqualTo("C#");
        assertThat(MarkdownChunker.headingText("macOS ##  ")).isEqualTo("macOS");
        assertThat(MarkdownChunker.headingText("x".repeat(1000))).hasSize(MarkdownChunker.MAX_HEADING_CHARS);
        String hostile = "# " + "#".repeat(200_000) + "x\nbody";
        long start = System.nanoTime();
        List<Chunk> chunks = new MarkdownChunker(64, 0, WORDS).split(hostile);
        assertThat(System.nanoTime() - start).as("linear in the line").isLessThan(5_000_000_000L);
        assertThat(chunks.get(0).section()).hasSize(MarkdownChunker.MAX_HEADING_CHARS);
    }
}
