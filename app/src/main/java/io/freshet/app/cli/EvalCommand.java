package io.freshet.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.freshet.app.config.LocalOptions;
import io.freshet.app.config.ServingOptions;
import io.freshet.app.eval.AclAssignment;
import io.freshet.app.eval.BeirDataset;
import io.freshet.app.eval.EvalReport;
import io.freshet.app.eval.Evaluator;
import io.freshet.core.Principal;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.app.local.IngestLauncher;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.lifecycle.GateResult;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.QualityGate;
import io.freshet.index.schema.VectorFormat;
import io.freshet.index.search.RetrievalMode;
import io.freshet.jobs.config.ChunkOptions;
import io.freshet.jobs.config.EmbeddingOptions;
import io.freshet.jobs.config.IndexOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet eval}: measures retrieval quality on a BEIR-format dataset with the production pipeline and
 * retrieval code, optionally comparing with (and gating on) an earlier report.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate retrieval quality on a BEIR-format dataset (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).",
                "The corpus is chunked, embedded and indexed with the configured pipeline (conf/freshet.yaml, --set) into "
                        + "a scratch index; every query runs through the service's retrieval code.",
                "Exit status: 0 done, 2 bad arguments, 3 quality gate failed (--max-ndcg-drop) or a document was "
                        + "returned outside the principal's ACL."})
public final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> METRICS = List.of("ndcg@10", "recall@10", "recall@100", "mrr@10", "p50_ms", "p95_ms");

    @Mixin
    ConfigMixin configOptions;

    @Option(names = "--dataset", required = true, description = "BEIR dataset directory.")
    Path dataset;

    @Option(names = "--split", description = "Qrels split (default: ${DEFAULT-VALUE}).")
    String split = "test";

    @Option(names = "--mode", split = ",", description = "Modes to evaluate (default: keyword,vector,hybrid).")
    List<String> modes = List.of("keyword", "vector", "hybrid");

    @Option(names = "--json", description = "Write the report as JSON to this file.")
    Path json;

    @Option(names = "--compare", description = "An earlier report: print the difference of every metric.")
    Path compare;

    @Option(names = "--max-ndcg-drop", description = "With --compare: fail (exit 3) when any mode's nDCG@10 is more "
            + "than this below the earlier report's.")
    Double maxNdcgDrop;

    @Option(names = "--generation", description = "Evaluate the pipeline configuration of this index generation "
            + "(its embedding model; the configured chunker must be its chunker) and attach the report to it, for the "
            + "promotion quality gate (freshet index promote).")
    String generation;

    @Option(names = "--index", description = "Index root holding --generation (default: index.dir under local.work-dir).")
    Path indexRoot;

    @Option(names = "--model", description = "Embedding model (default: embedding.model of the configuration).")
    String model;

    @Option(names = "--long-input", description = "Inputs longer than the model's trained length: truncate (default) "
            + "or average-windows (LangChain4j's behaviour, to measure its cost).")
    String longInput = "truncate";

    @Option(names = "--vector-format", description = "hnsw (default) or int8-hnsw.")
    String vectorFormat = "hnsw";

    @Option(names = "--doc-score", description = "Chunk scores to document score: max (default) or sum.")
    String docScore = "max";

    @Option(names = "--depth", description = "Chunks retrieved per query, in [100, 1000] (default: ${DEFAULT-VALUE}).")
    int depth = 300;

    @Option(names = "--index-dir", description = "Keep the scratch index here and reuse it while the corpus and "
            + "pipeline configuration are unchanged (default: a temporary directory).")
    Path indexDir;

    @Option(names = "--acl-file", description = "ACLs to give the corpus: lines document-id<TAB>entry[,entry...].")
    Path aclFile;

    @Option(names = "--acl-random-seed", description = "Give each document one of --acl-groups random groups g0.. "
            + "(1 in 50 also denies --as-user).")
    Long aclSeed;

    @Option(names = "--acl-groups", description = "Groups for --acl-random-seed (default: ${DEFAULT-VALUE}).")
    int aclGroups = 4;

    @Option(names = "--as-user", description = "Evaluate as this user (default: ${DEFAULT-VALUE}).")
    String asUser = "eval";

    @Option(names = "--as-groups", split = ",", description = "Evaluate as a member of these groups (default: "
            + "everyone without ACLs, g0 with --acl-random-seed).")
    List<String> asGroups;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Evaluator.Settings settings;
        BeirDataset data;
        JsonNode previous = null;
        IndexRoot root = null;
        Generation target = null;
        QualityGate gate = null;
        try {
            if (aclFile != null && aclSeed != null) {
                throw new IllegalArgumentException("use only one of --acl-file and --acl-random-seed");
            }
            if (maxNdcgDrop != null && (compare == null || !(maxNdcgDrop >= 0))) {
                throw new IllegalArgumentException("--max-ndcg-drop needs --compare and a value >= 0; got " + maxNdcgDrop);
            }
            if (compare != null) {
                previous = readReport(compare);
            }
            Configuration config = configOptions.load();
            String modelName = model != null ? model : config.get(EmbeddingOptions.MODEL);
            if (generation != null) {
                Path workDir = ConfigMixin.home().resolve(config.get(LocalOptions.WORK_DIR)).toAbsolutePath().normalize();
                root = new IndexRoot(indexRoot != null ? indexRoot : IngestLauncher.indexDir(config, workDir));
                target = root.generation(generation);
                if (model != null && !model.equals(target.info().model())) {
                    throw new IllegalArgumentException("--model " + model + " is not the model of generation "
                            + target.id() + " (" + target.info().model() + "); leave --model out");
                }
                modelName = target.info().model();
                gate = IndexOptions.gate(config);
            } else if (indexRoot != null) {
                throw new IllegalArgumentException("--index needs --generation");
            }
            data = BeirDataset.read(dataset, split);
            AclAssignment acl = aclFile != null ? AclAssignment.fromFile(aclFile)
                    : aclSeed != null ? AclAssignment.random(aclSeed, data.corpus().stream().map(BeirDataset.Doc::id).toList(),
                            aclGroups, asUser)
                    : AclAssignment.everyone();
            List<String> groups = asGroups != null ? asGroups
                    : aclSeed != null ? List.of("g0") : aclFile != null ? List.of() : List.of("everyone");
            Principal principal = new Principal(asUser, Set.copyOf(groups), Evaluator.TENANT);
            settings = new Evaluator.Settings(
                    EmbeddingModelId.of(modelName),
                    OnnxEmbedder.LongInput.of(longInput),
                    ChunkOptions.spec(config),
                    ServingOptions.fusion(config), VectorFormat.parse(vectorFormat), Evaluator.DocScore.of(docScore),
                    depth, parseModes(modes), indexDir, acl, principal);
            if (target != null && !settings.chunker().equals(target.info().chunker())) {
                throw new IllegalArgumentException("the configured chunker " + settings.chunker() + " is not generation "
                        + target.id() + "'s " + target.info().chunker() + "; set chunk.* to match");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("freshet eval: " + e.getMessage());
            return 2;
        }
        EvalReport report;
        try {
            report = Evaluator.run(data, settings, out);
        } catch (IllegalArgumentException e) {
            System.err.println("freshet eval: " + e.getMessage());
            return 2;
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(json.toFile(), report);
            out.println("eval: report written to " + json);
        }
        if (target != null) {
            GateResult result = root.attachEvaluation(target.id(), JSON.valueToTree(report), gate);
            out.println("eval: report attached to generation " + target.id() + "; quality gate " + result.summary());
            result.checks().forEach(c -> out.println("  " + c));
        }
        int status = 0;
        if (report.acl() != null) {
            out.printf("eval: as %s: %,d of %,d documents visible, %d returned outside the ACL%n",
                    String.join(" ", report.acl().principal()), report.acl().visibleDocuments(), data.corpus().size(),
                    report.acl().returnedOutsideAcl());
            if (report.acl().returnedOutsideAcl() > 0) {
                System.err.println("freshet eval: PERMISSION VIOLATION: " + report.acl().returnedOutsideAcl()
                        + " documents returned outside the principal's ACL");
                status = 3;
            }
        }
        if (previous != null) {
            List<String> failures = printComparison(previous, JSON.valueToTree(report), out);
            if (!failures.isEmpty()) {
                failures.forEach(f -> System.err.println("freshet eval: quality gate failed: " + f));
                status = 3;
            }
        }
        return status;
    }

    private static List<RetrievalMode> parseModes(List<String> names) {
        Set<RetrievalMode> out = new LinkedHashSet<>();
        for (String n : names) {
            if (!n.isBlank()) {
                out.add(RetrievalMode.parse(n.trim()));
            }
        }
        return List.copyOf(out);
    }

    private static JsonNode readReport(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--compare " + file + " does not exist");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--compare " + file + " is not JSON: " + e.getMessage());
        }
        if (node == null || !node.path("modes").isObject()) {
            throw new IllegalArgumentException("--compare " + file + " is not a freshet eval report (no 'modes')");
        }
        return node;
    }

    /** Prints old, new and delta of every metric; returns the gate failures. */
    private List<String> printComparison(JsonNode before, JsonNode after, PrintStream out) {
        List<String> failures = new ArrayList<>();
        out.printf("eval: compared with %s%n", compare);
        out.printf("  %-8s %-11s %9s %9s %9s%n", "mode", "metric", "before", "after", "delta");
        for (Iterator<Map.Entry<String, JsonNode>> it = after.path("modes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> mode = it.next();
            JsonNode old = before.path("modes").path(mode.getKey());
            if (old.isMissingNode()) {
                out.printf("  %-8s (not in the earlier report)%n", mode.getKey());
                continue;
            }
            for (String metric : METRICS) {
                if (!old.has(metric) || !mode.getValue().has(metric)) {
                    continue;
                }
                double b = old.get(metric).asDouble();
                double a = mode.getValue().get(metric).asDouble();
                out.printf("  %-8s %-11s %9.4f %9.4f %+9.4f%n", mode.getKey(), metric, b, a, a - b);
                if (metric.equals("ndcg@10") && maxNdcgDrop != null && a < b - maxNdcgDrop - 1e-9) {
                    failures.add(String.format("%s nDCG@10 %.4f is %.4f below the earlier %.4f (allowed %.4f)",
                            mode.getKey(), a, b - a, b, maxNdcgDrop));
                }
            }
        }
        if (maxNdcgDrop != null) {
            for (Iterator<String> it = before.path("modes").fieldNames(); it.hasNext(); ) {
                String mode = it.next();
                if (!after.path("modes").has(mode)) {
                    failures.add("mode " + mode + " of the earlier report was not evaluated");
                }
            }
        }
        return failures;
    }
}
