package io.freshet.core.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshet.core.SourceDocument;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiDetectorTest {

    private final PiiDetector detector = PiiDetector.all();

    @Test
    void precisionAndRecallPerTypeOnALabeledSet() {
        String pinned = System.getenv("FRESHET_TEST_SEED");
        long seed = pinned != null ? Long.parseLong(pinned) : new Random().nextLong();
        List<LabeledPiiSet.Text> texts = LabeledPiiSet.generate(seed, 400);
        Map<PiiType, int[]> counts = new EnumMap<>(PiiType.class); // tp, fp, fn
        for (PiiType t : PiiType.values()) {
            counts.put(t, new int[3]);
        }
        StringBuilder misses = new StringBuilder();
        for (LabeledPiiSet.Text t : texts) {
            Set<PiiMatch> expected = new HashSet<>(t.labels());
            Set<PiiMatch> found = new HashSet<>(detector.find(t.text()));
            for (PiiMatch m : found) {
                counts.get(m.type())[expected.contains(m) ? 0 : 1]++;
                if (!expected.contains(m) && misses.length() < 2000) {
                    misses.append("FP ").append(m.type()).append(" '").append(t.text(), m.start(), m.end()).append("'\n");
                }
            }
            for (PiiMatch m : expected) {
                if (!found.contains(m)) {
                    counts.get(m.type())[2]++;
                    if (misses.length() < 2000) {
                        misses.append("FN ").append(m.type()).append(" '").append(t.text(), m.start(), m.end()).append("'\n");
                    }
                }
            }
        }
        System.out.printf("PII detection on %d generated texts (seed %d):%n  %-6s %5s %4s %4s %9s %7s%n", texts.size(),
                seed, "type", "tp", "fp", "fn", "precision", "recall");
        for (Map.Entry<PiiType, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            double precision = c[0] / (double) Math.max(1, c[0] + c[1]);
            double recall = c[0] / (double) Math.max(1, c[0] + c[2]);
            System.out.printf("  %-6s %5d %4d %4d %9.3f %7.3f%n", e.getKey().configName(), c[0], c[1], c[2], precision, recall);
            assertThat(c[0]).as("positives of %s in the set", e.getKey()).isGreaterThan(50);
            assertThat(precision).as("%s precision (seed %d)%n%s", e.getKey(), seed, misses).isGreaterThanOrEqualTo(0.95);
            assertThat(recall).as("%s recall (seed %d)%n%s", e.getKey(), seed, misses).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void validatorsAcceptRealValuesAndRejectLookAlikes() {
        assertThat(types("card 4111 1111 1111 1111 and 4111-1111-1111-1112")).containsExactly(PiiType.CARD);
        assertThat(types("Amex 378282246310005, not 1234567812345670")).containsExactly(PiiType.CARD);
        assertThat(types("IBAN GB82 WEST 1234 5698 7654 32 or DE89370400440532013000")).containsExactly(PiiType.IBAN, PiiType.IBAN);
        assertThat(types("not an IBAN: GB83 WEST 1234 5698 7654 32")).isEmpty();
        assertThat(types("SSN 078-05-1120; not 000-05-1120, 666-05-1120, 900-05-1120 or 078-00-1120")).containsExactly(PiiType.SSN);
        assertThat(types("hosts 10.0.0.1 and 2001:db8::1, not 10.0.0.256 or 12:30:45")).containsExactly(PiiType.IP, PiiType.IP);
        assertThat(types("call +1 (415) 555-2671 or 020 7946 0958; not 2026-11-22, 94105-1234 or 1998-2004"))
                .containsExactly(PiiType.PHONE, PiiType.PHONE);
        assertThat(types("write to Jane.Doe+news@mail.example.co.uk today")).containsExactly(PiiType.EMAIL);
        assertThat(new PiiDetector(EnumSet.of(PiiType.EMAIL)).find("jane@example.com 4111111111111111")).hasSize(1);
    }

    @Test
    void neighbouringTokensDoNotHideAValue() {
        assertThat(spans("Qty 2 4111 1111 1111 1111 shipped")).containsExactly("CARD 4111 1111 1111 1111");
        assertThat(spans("card 4111 1111 1111 1111 12 27")).containsExactly("CARD 4111 1111 1111 1111");
        assertThat(spans("pay DE89 3704 0044 0532 0130 00 BIC COBADEFF")).containsExactly("IBAN DE89 3704 0044 0532 0130 00");
        assertThat(spans("from server 10.0.0.1.")).containsExactly("IP 10.0.0.1");
    }

    @Test
    void adversarialInputEndsWithoutBlowingTheStack() {
        assertThat(detector.find("x@" + "a.".repeat(50_000))).isEmpty();
        assertThat(detector.find("a@b.cd ".repeat(150_000))).hasSize(150_000);
        assertThat(detector.find("1 ".repeat(200_000))).isEmpty();
    }

    @Test
    void scrubbingRawJsonSeesValuesAfterEscapes() {
        PiiPolicy policy = new PiiPolicy(RedactionMode.REDACT, EnumSet.allOf(PiiType.class), Map.of());
        String raw = "{\"body\":\"call\\n+1 415 555 2671\\tor\\nDE89370400440532013000\\u00a0jane@example.com\"}";
        assertThat(policy.scrub(raw)).doesNotContain("2671").doesNotContain("DE89").doesNotContain("jane@")
                .contains("[PHONE]", "[IBAN]", "[EMAIL]");
        PiiPolicy overlapping = new PiiPolicy(RedactionMode.REDACT, EnumSet.allOf(PiiType.class),
                Map.of("documents", RedactionMode.OFF, "public.documents", RedactionMode.DROP));
        assertThat(overlapping.mode("freshet.public.documents")).as("the longest matching key").isEqualTo(RedactionMode.DROP);
        assertThat(overlapping.mode("other.documents")).isEqualTo(RedactionMode.OFF);
        assertThat(RedactionMode.of("false")).as("YAML reads an unquoted off as false").isEqualTo(RedactionMode.OFF);
    }

    private List<String> spans(String text) {
        return detector.find(text).stream().map(m -> m.type() + " " + text.substring(m.start(), m.end())).toList();
    }

    @Test
    void policiesRedactMaskOrDropPerSource() {
        SourceDocument doc = new SourceDocument("d1", "Note for jane@example.com",
                "Card 4111 1111 1111 1111, SSN 078-05-1120, call 415-555-2671.", List.of("user:jane@example.com"),
                "acme", 5, Map.of("owner", "jane@example.com"));
        PiiPolicy policy = new PiiPolicy(RedactionMode.REDACT, EnumSet.allOf(PiiType.class),
                Map.of("public.hr", RedactionMode.DROP, "freshet.public.wiki", RedactionMode.MASK,
                        "public.open", RedactionMode.OFF));

        PiiPolicy.Result redacted = policy.apply(doc, "freshet.public.documents");
        assertThat(redacted.document().title()).isEqualTo("Note for [EMAIL]");
        assertThat(redacted.document().body()).isEqualTo("Card [CARD], SSN [SSN], call [PHONE].");
        assertThat(redacted.document().metadata()).containsEntry("owner", "[EMAIL]")
                .containsEntry(PiiPolicy.REDACTED_KEY, "email,phone,card,ssn");
        assertThat(redacted.document().acl()).as("identities are not content").containsExactly("user:jane@example.com");
        assertThat(redacted.counts()).containsEntry(PiiType.EMAIL, 2).containsEntry(PiiType.CARD, 1);

        PiiPolicy.Result masked = policy.apply(doc, "freshet.public.wiki");
        assertThat(masked.document().body()).isEqualTo("Card **** **** **** 1111, SSN ***-**-1120, call ***-***-2671.");
        assertThat(masked.document().title()).isEqualTo("Note for ****@*******.***");

        PiiPolicy.Result dropped = policy.apply(doc, "freshet.public.hr");
        assertThat(dropped.dropped()).isTrue();
        assertThat(dropped.document()).isNull();
        assertThat(policy.apply(doc, "topic.public.open").document()).isSameAs(doc);
        SourceDocument clean = new SourceDocument("d2", "Plain", "Nothing personal here.", List.of(), "acme", 1);
        assertThat(policy.apply(clean, "freshet.public.hr").document()).isSameAs(clean);

        assertThat(policy.scrub("bad row {\"email\": \"jane@example.com\"}")).isEqualTo("bad row {\"email\": \"[EMAIL]\"}");
        assertThat(PiiPolicy.OFF.scrub("jane@example.com")).isEqualTo("jane@example.com");
        assertThat(PiiPolicy.OFF.enabled()).isFalse();
        assertThatThrownBy(() -> RedactionMode.of("hide")).hasMessageContaining("'hide'");
        assertThatThrownBy(() -> PiiType.of("passport")).hasMessageContaining("'passport'");
    }

    private List<PiiType> types(String text) {
        return detector.find(text).stream().map(PiiMatch::type).toList();
    }
}
