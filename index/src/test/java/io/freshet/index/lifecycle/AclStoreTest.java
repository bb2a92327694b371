package io.freshet.index.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.ChangeOp;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.index.CancelledThread;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclStoreTest {

    @TempDir
    Path dir;

    private static SourceChange change(List<String> acl, long time) {
        return new SourceChange(ChangeOp.UPDATE, "d1", new SourceDocument("d1", "T", "body", acl, "acme", time), "src",
                "p" + time, time);
    }

    @Test
    void permissionsAheadOfTheirContentStayInEveryOverlayUntilTheContentLands() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        Principal eng = new Principal("erin", Set.of("eng"), "acme");
        long later = System.currentTimeMillis() + 3_600_000; // an overlay for content committed an hour from now
        try (AclStore.Writer writer = new AclStore.Writer(AclStore.shardDir(root, 0))) {
            SourceChange created = change(List.of("group:eng", "group:ops"), 50);
            writer.apply(new IndexAction("d1", created.document(), List.of(), "src", "p50", 50, "m"));
            assertThat(writer.hasPending()).isTrue();
            assertThat(writer.hasUrgent()).as("a new document's entry waits for the checkpoint").isFalse();
            writer.commit();
            assertThat(AclStore.Overlay.load(root, 0).ids()).as("its content carries exactly these: no overlay needs it")
                    .isEmpty();
            writer.apply(IndexAction.permissions(change(List.of("group:ops"), 200)));
            assertThat(writer.hasUrgent()).as("a revocation is committed soon").isTrue();
            writer.commit();
            assertThat(writer.hasUrgent()).isFalse();
            AclStore.Overlay ahead = AclStore.Overlay.load(root, later);
            assertThat(ahead.ids()).containsExactly("d1");
            assertThat(ahead.refused(eng)).containsExactly("d1");

            writer.apply(IndexAction.permissions(change(List.of("group:eng"), 100))); // older: ignored
            writer.commit();
            assertThat(AclStore.Overlay.load(root, later).refused(eng)).containsExactly("d1");

            SourceChange landed = change(List.of("group:ops"), 200);
            writer.apply(new IndexAction("d1", landed.document(), List.of(), "src", "p200", 200, "m"));
            writer.commit();
            assertThat(AclStore.Overlay.load(root, later).ids()).as("the content carries them now").isEmpty();
            assertThat(AclStore.Overlay.load(root, 0).refused(eng)).containsExactly("d1");
        }
    }

    @Test
    void aWriterClosedOnAnInterruptedThreadDiscardsWhatItDidNotCommitWithoutThrowing() throws Exception {
        IndexRoot root = new IndexRoot(dir);
        Principal erin = new Principal("erin", Set.of("eng"), "acme");
        AclStore.Writer writer = new AclStore.Writer(AclStore.shardDir(root, 0));
        writer.apply(new IndexAction("d1", change(List.of("group:eng"), 50).document(), List.of(), "src", "p50", 50, "m"));
        writer.commit();
        writer.apply(IndexAction.permissions(change(List.of("group:ops"), 200)));
        CancelledThread.close(writer);
        assertThat(AclStore.Overlay.load(root, 0).refused(erin)).as("the revocation was not committed").isEmpty();

        try (AclStore.Writer reopened = new AclStore.Writer(AclStore.shardDir(root, 0))) {
            reopened.apply(IndexAction.permissions(change(List.of("group:hr"), 300)));
            reopened.commit();
        }
        assertThat(AclStore.Overlay.load(root, 0).refused(erin)).as("the store opens and takes changes again")
                .containsExactly("d1");
    }
}
