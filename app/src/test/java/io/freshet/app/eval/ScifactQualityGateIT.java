package io.freshet.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.freshet.app.cli.FreshetCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CI's quality gate: the SciFact evaluation with the fast model ({@value #MODEL}) must not fall more than
 * 0.01 nDCG@10 below the committed baseline report in any mode, and must return nothing outside the
 * evaluation principal's rights. Runs when the BEIR data is present ({@code ../shared/data/scifact} beside
 * the checkout, or {@code -Dfreshet.eval.scifact=DIR}); the product itself never needs it.
 *
 * <p>After a deliberate quality change, regenerate the baseline with the command in BENCHMARKS.md and commit
 * it with the change.
 */
class ScifactQualityGateIT {

    static final String MODEL = "all-minilm-l6-v2-q";
    static final Path BASELINE = Path.of("../bench/results/eval/scifact-ci-baseline.json");

    @TempDir
    Path tmp;

    @Test
    void scifactDoesNotRegress() {
        Path data = Path.of(System.getProperty("freshet.eval.scifact", "../../shared/data/scifact"));
        assumeTrue(Files.isRegularFile(data.resolve("corpus.jsonl")), "SciFact not present at " + data.toAbsolutePath());
        assertThat(BASELINE).exists();
        Path report = tmp.resolve("scifact.json");
        int status = new CommandLine(new FreshetCli()).execute("eval", "--dataset", data.toString(),
                "--config", Path.of("../conf/freshet.yaml").toAbsolutePath().toString(),
                "--model", MODEL, "--json", report.toString(),
                "--compare", BASELINE.toString(), "--max-ndcg-drop", "0.01");
        assertThat(status).as("freshet eval exit status (3: quality gate failed; see its output above)").isZero();
        assertThat(report).exists();
    }
}
