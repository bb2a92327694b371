package io.freshet.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsCorpusQueriesAndGradedQrels() throws Exception {
        TinyBeir.write(dir);
        BeirDataset ds = BeirDataset.read(dir, "test");
        assertThat(ds.name()).isEqualTo(dir.getFileName().toString());
        assertThat(ds.corpus()).hasSize(TinyBeir.DOCS.length);
        assertThat(ds.queries()).containsOnlyKeys("q1", "q2", "q3"); // q-unjudged has no qrels
        assertThat(ds.relevant("q1")).containsEntry("d1", 1).doesNotContainKey("d9");
        assertThat(ds.corpusSha256()).hasSize(64);
    }

    @Test
    void malformedInputIsNamedWithFileAndLine() throws Exception {
        TinyBeir.write(dir);
        assertThatThrownBy(() -> BeirDataset.read(dir, "dev")).hasMessageContaining("dev.tsv is missing");
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\tyes\n");
        assertThatThrownBy(() -> BeirDataset.read(dir, "test")).hasMessageContaining("line 2").hasMessageContaining("'yes'");
        Files.writeString(dir.resolve("qrels/test.tsv"), "q1 d1 1\n");
        assertThatThrownBy(() -> BeirDataset.read(dir, "test")).hasMessageContaining("query-id<TAB>corpus-id<TAB>score");
        Files.writeString(dir.resolve("qrels/test.tsv"), "qX\td1\t1\n");
        assertThatThrownBy(() -> BeirDataset.read(dir, "test")).hasMessageContaining("missing from").hasMessageContaining("qX");
        TinyBeir.write(dir);
        Files.writeString(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"ok\"}\n{not json\n");
        assertThatThrownBy(() -> BeirDataset.read(dir, "test")).hasMessageContaining("corpus.jsonl line 2 is not JSON");
        Files.writeString(dir.resolve("corpus.jsonl"), "{\"title\": \"no id\"}\n");
        assertThatThrownBy(() -> BeirDataset.read(dir, "test")).hasMessageContaining("line 1 has no '_id'");
    }
}
