package io.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.app.local.DocumentsTable;
import io.freshet.core.SourceDocument;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped sample corpus is what the README and {@code freshet up} promise. */
class SampleCorpusTest {

    @Test
    void corpusIsValidVariedAndHoldsTheDemoDocuments() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, SourceDocument> docs = new HashMap<>();
        Set<Set<String>> distinctAcls = new HashSet<>();
        try (var r = new BufferedReader(new InputStreamReader(
                getClass().getClassLoader().getResourceAsStream(DocumentsTable.SAMPLE_CORPUS), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode d = json.readTree(line);
                List<String> acl = new ArrayList<>();
                d.get("acl").forEach(e -> acl.add(e.asText()));
                SourceDocument doc = new SourceDocument(d.get("id").asText(), d.get("title").asText(),
                        d.get("body").asText(), acl, d.get("tenant").asText(),
                        Instant.parse(d.get("updated_at").asText()).toEpochMilli());
                assertThat(docs.put(doc.id(), doc)).as("duplicate id %s", doc.id()).isNull();
                assertThat(doc.acl()).as("ACL of %s", doc.id()).isNotEmpty();
                distinctAcls.add(Set.copyOf(acl));
            }
        }
        assertThat(docs).hasSizeGreaterThanOrEqualTo(300);
        assertThat(docs.values().stream().map(SourceDocument::tenant).distinct()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(distinctAcls).hasSizeGreaterThan(10);
        assertThat(docs.get("acme-hr-0001").acl()).containsExactlyInAnyOrder("group:hr", "group:execs");
        assertThat(docs.get("acme-hr-0001").title()).isEqualTo("Parental leave policy");
        assertThat(docs.get("acme-eng-0001").acl()).containsExactly("group:eng");
    }
}
