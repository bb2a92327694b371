package io.freshet.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.app.cli.FreshetCli;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freshet eval} end to end on a tiny dataset with the fast model: report, reuse, gate, ACLs, bad input. */
class EvalCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path data;
    String out;
    String err;

    @BeforeEach
    void dataset() throws Exception {
        data = tmp.resolve("tiny");
        TinyBeir.write(data);
    }

    private int eval(String... args) {
        List<String> all = new ArrayList<>(List.of("eval", "--dataset", data.toString(),
                "--config", Path.of("../conf/freshet.yaml").toAbsolutePath().toString()));
        if (!List.of(args).contains("--model")) {
            all.addAll(List.of("--model", "all-minilm-l6-v2-q")); // the fast model
        }
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code freshet <args>}; its exit code, with its output in {@link #out} and {@link #err}. */
    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new CommandLine(new FreshetCli()).execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesTheReportReusesTheIndexAndGatesOnABaseline() throws Exception {
        Path report = tmp.resolve("report.json");
        Path index = tmp.resolve("index");
        assertThat(eval("--json", report.toString(), "--index-dir", index.toString())).as(out + err).isZero();
        assertThat(out).contains("ingest 9/9 documents").contains("keyword nDCG@10").contains("hybrid  nDCG@10");

        JsonNode r = JSON.readTree(report.toFile());
        assertThat(r.path("dataset").asText()).isEqualTo("tiny");
        assertThat(r.path("split").asText()).isEqualTo("test");
        assertThat(r.path("config").path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(r.path("config").path("chunker").asText()).startsWith("recursive(");
        assertThat(r.path("config").path("fusion").path("rank_constant").asInt()).isEqualTo(60);
        assertThat(r.path("queries").asInt()).isEqualTo(3);
        assertThat(r.has("acl")).isFalse();
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            JsonNode m = r.path("modes").path(mode);
            assertThat(m.path("ndcg@10").asDouble()).as(mode).isGreaterThan(0.9);
            assertThat(m.path("recall@10").asDouble()).as(mode).isEqualTo(1.0);
            assertThat(m.path("recall@100").asDouble()).as(mode).isEqualTo(1.0);
            assertThat(m.path("mrr@10").asDouble()).as(mode).isGreaterThan(0.9);
            assertThat(m.path("p50_ms").asDouble()).as(mode).isPositive();
            assertThat(m.path("p95_ms").asDouble()).as(mode).isGreaterThanOrEqualTo(m.path("p50_ms").asDouble());
            assertThat(m.path("degraded").asInt()).as(mode).isZero();
        }

        // same corpus and configuration: the scratch index is reused, and the comparison is all zeros
        assertThat(eval("--index-dir", index.toString(), "--compare", report.toString(), "--max-ndcg-drop", "0.01"))
                .as(out + err).isZero();
        assertThat(out).contains("reusing the scratch index").contains("hybrid   ndcg@10").contains("+0.0000");

        // a baseline 0.05 better in one mode fails the gate, naming the mode
        ObjectNode better = (ObjectNode) JSON.readTree(report.toFile());
        ObjectNode vector = (ObjectNode) better.path("modes").path("vector");
        vector.put("ndcg@10", vector.path("ndcg@10").asDouble() + 0.05);
        Path baseline = tmp.resolve("baseline.json");
        JSON.writeValue(baseline.toFile(), better);
        assertThat(eval("--index-dir", index.toString(), "--mode", "vector", "--compare", baseline.toString(),
                "--max-ndcg-drop", "0.01")).isEqualTo(3);
        assertThat(err).contains("quality gate failed: vector nDCG@10");
        // a mode of the baseline left out is a failure too, not a silent pass
        assertThat(eval("--index-dir", index.toString(), "--mode", "keyword", "--compare", report.toString(),
                "--max-ndcg-drop", "0.01")).isEqualTo(3);
        assertThat(err).contains("mode vector of the earlier report was not evaluated");
    }

    @Test
    void evaluatesAsAPrincipalAndCountsNothingOutsideItsAcl() throws Exception {
        Path acl = tmp.resolve("acl.tsv");
        StringBuilder lines = new StringBuilder("# doc<TAB>entries\n");
        for (String[] d : TinyBeir.DOCS) {
            String entries = switch (d[0]) {
                case "d2" -> "group:hr";
                case "d8" -> "group:eng,deny:user:eval";
                default -> "group:eng";
            };
            lines.append(d[0]).append('\t').append(entries).append('\n');
        }
        Files.writeString(acl, lines);
        Path report = tmp.resolve("acl.json");
        assertThat(eval("--acl-file", acl.toString(), "--as-groups", "eng", "--json", report.toString()))
                .as(out + err).isZero();
        JsonNode r = JSON.readTree(report.toFile());
        assertThat(r.path("acl").path("principal")).extracting(JsonNode::asText).containsExactly("user:eval", "group:eng");
        assertThat(r.path("acl").path("visible_documents").asInt()).isEqualTo(7); // not d2 (hr), not d8 (deny)
        assertThat(r.path("acl").path("returned_outside_acl").asLong()).isZero();
        assertThat(r.path("queries").asInt()).isEqualTo(1); // only q1's answer is visible
        assertThat(out).contains("7 of 9 documents visible, 0 returned outside the ACL");

        assertThat(eval("--acl-random-seed", "7", "--acl-groups", "3", "--mode", "keyword,hybrid")).as(out + err).isZero();
        assertThat(out).contains("0 returned outside the ACL");
    }

    @Test
    void attachesTheReportToAGenerationForThePromotionGate() throws Exception {
        Path index = tmp.resolve("index-root");
        IndexRoot root = new IndexRoot(index);
        // a generation built by the configured pipeline with the fast model
        Generation g = root.generationForIngest(1, "all-minilm-l6-v2-q", "recursive(max-tokens=200,overlap-tokens=32)");
        assertThat(eval("--generation", g.id(), "--index", index.toString(), "--mode", "keyword,hybrid"))
                .as(out + err).isZero();
        assertThat(out).contains("report attached to generation g0001; quality gate passed on tiny/test");
        assertThat(root.evaluation(g).orElseThrow().path("modes").has("hybrid")).isTrue();
        assertThat(root.gate(g).orElseThrow().passed()).isTrue();

        assertThat(run("index", "list", "--index", index.toString())).as(out + err).isZero();
        assertThat(out).contains("quality gate: passed on tiny/test");

        assertThat(eval("--generation", g.id(), "--index", index.toString(), "--model", "bge-small-en-v1.5")).isEqualTo(2);
        assertThat(err).contains("--model bge-small-en-v1.5 is not the model of generation g0001");
        assertThat(eval("--generation", "g0042", "--index", index.toString())).isEqualTo(2);
        assertThat(err).contains("no generation 'g0042'");
        assertThat(eval("--index", index.toString())).isEqualTo(2);
        assertThat(err).contains("--index needs --generation");
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertThat(eval("--depth", "5")).isEqualTo(2);
        assertThat(err).contains("--depth must be in [100, 1000]").contains("got 5");
        assertThat(eval("--mode", "semantic")).isEqualTo(2);
        assertThat(err).contains("'semantic'");
        assertThat(eval("--model", "gpt-9")).isEqualTo(2);
        assertThat(err).contains("'gpt-9'");
        assertThat(eval("--max-ndcg-drop", "0.01")).isEqualTo(2);
        assertThat(err).contains("--max-ndcg-drop needs --compare");
        assertThat(eval("--long-input", "chop")).isEqualTo(2);
        assertThat(err).contains("'chop'");
        assertThat(eval("--doc-score", "avg")).isEqualTo(2);
        assertThat(err).contains("--doc-score must be max or sum");
        assertThat(eval("--compare", tmp.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err).contains("nope.json does not exist");
        Files.writeString(tmp.resolve("not-report.json"), "{\"x\": 1}");
        assertThat(eval("--compare", tmp.resolve("not-report.json").toString())).isEqualTo(2);
        assertThat(err).contains("is not a freshet eval report");
        Path full = Files.createDirectories(tmp.resolve("somebody-else"));
        Files.writeString(full.resolve("precious.txt"), "keep me");
        assertThat(eval("--index-dir", full.toString())).isEqualTo(2);
        assertThat(err).contains("is not empty and is not a Freshet evaluation index");
        assertThat(full.resolve("precious.txt")).exists();
        Path missing = tmp.resolve("missing");
        data = missing;
        assertThat(eval()).isEqualTo(2);
        assertThat(err).contains("not a BEIR dataset").contains("corpus.jsonl is missing");
    }
}
