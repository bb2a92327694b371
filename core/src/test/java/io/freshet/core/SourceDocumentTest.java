package io.freshet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceDocumentTest {

    @Test
    void contentHashCoversTextTenantAndAclAsASet() {
        SourceDocument a = new SourceDocument("d", "t", "b", List.of("group:x", "user:y"), "acme", 1);
        assertThat(a.contentHash()).hasSize(64)
                .isEqualTo(new SourceDocument("d", "t", "b", List.of("user:y", "group:x"), "acme", 99).contentHash());
        assertThat(a.contentHash())
                .isNotEqualTo(new SourceDocument("d", "t", "b2", List.of("group:x", "user:y"), "acme", 1).contentHash())
                .isNotEqualTo(new SourceDocument("d", "t", "b", List.of("group:x"), "acme", 1).contentHash())
                .isNotEqualTo(new SourceDocument("d", "tb", "", List.of("group:x", "user:y"), "acme", 1).contentHash());
    }

    @Test
    void invalidInputIsNamed() {
        assertThatThrownBy(() -> new SourceDocument(" ", "t", "b", List.of(), "acme", 0)).hasMessageContaining("id");
        assertThatThrownBy(() -> new SourceDocument("d", "t", "b", List.of("eng"), "acme", 0)).hasMessageContaining("'eng'");
        assertThatThrownBy(() -> new SourceDocument("d", "t", "b", List.of(), "", 0)).hasMessageContaining("tenant");
    }
}
