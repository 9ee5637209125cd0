package dev.align4j.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.io.Json;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.pipelines.eval.EvalReport;
import dev.align4j.pipelines.eval.ModelMetrics;
import dev.align4j.pipelines.stage.StageOutcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny two-SFT pipeline run straight through, and run in a child JVM killed with SIGKILL in the
 * middle of its last stage and then rerun: the rerun skips the finished stages, resumes the killed
 * one from its checkpoint and ends with the same weights and samples. A changed key then reruns only
 * the stage it belongs to.
 */
class PipelineRunnerTest {

    @TempDir
    Path dir;

    /** What the listener saw, as "skip NAME", "start NAME" or "resume NAME". */
    private static final class Events implements PipelineListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void skipped(PlannedStage s, int of) {
            seen.add("skip " + s.name());
        }

        @Override
        public void started(PlannedStage s, int of, boolean resume, String why) {
            seen.add((resume ? "resume " : "start ") + s.name());
        }

        @Override
        public void finished(PlannedStage s, int of, StageOutcome o, double seconds) {
        }
    }

    @Test
    void killNineMidStageThenRerunSkipsResumesAndGivesTheSameBytes() throws Exception {
        Path file = TestPipelines.copy("two-sft.yaml", dir);
        Path straight = dir.resolve("straight");
        Events first = new Events();
        PipelineRunner.Result r = PipelineRunner.run(PipelineLoader.load(file, straight, Map.of()), null, first);
        assertThat(r.interrupted()).isFalse();
        assertThat(first.seen).containsExactly("start synth", "start sft", "start more", "start eval");
        assertThat(PipelineLock.read(straight.resolve(Pipeline.LOCK_FILE), "x").stages())
                .extracting(PipelineLock.Entry::name).containsExactly("synth", "sft", "more", "eval");
        checkEval(straight.resolve("eval"));

        Path killed = dir.resolve("killed");
        Process child = startChild(file, killed);
        Path ckpts = Checkpoint.dir(killed.resolve("more"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Checkpoint.latest(ckpts).isEmpty() && child.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child should still be training 'more'").isTrue();
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);

        Pipeline p = PipelineLoader.load(file, killed, Map.of());
        List<PipelineStatus.Line> status = PipelineStatus.of(p);
        assertThat(status).extracting(PipelineStatus.Line::state).containsExactly(PipelineStatus.State.DONE,
                PipelineStatus.State.DONE, PipelineStatus.State.INTERRUPTED, PipelineStatus.State.PENDING);
        assertThat(status.get(2).step()).isPositive();

        Events rerun = new Events();
        assertThat(PipelineRunner.run(p, null, rerun).interrupted()).isFalse();
        assertThat(rerun.seen).containsExactly("skip synth", "skip sft", "resume more", "start eval");
        for (String f : List.of("more/model/model.safetensors", "more/samples.jsonl", "sft/model/model.safetensors",
                "synth/sft.jsonl", "eval/samples.jsonl", "eval/eval.md")) {
            assertThat(Files.readAllBytes(killed.resolve(f))).as(f).isEqualTo(Files.readAllBytes(straight.resolve(f)));
        }

        Events changed = new Events();
        PipelineRunner.run(PipelineLoader.load(file, killed, Map.of("more.learning_rate", "5e-3")), null, changed);
        assertThat(changed.seen).containsExactly("skip synth", "skip sft", "start more", "start eval");
        assertThat(Files.readAllBytes(killed.resolve("more/model/model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(straight.resolve("more/model/model.safetensors")));
        assertThat(PipelineStatus.of(PipelineLoader.load(file, killed, Map.of()))).extracting(PipelineStatus.Line::state)
                .containsExactly(PipelineStatus.State.DONE, PipelineStatus.State.DONE, PipelineStatus.State.STALE,
                        PipelineStatus.State.STALE);
    }

    @Test
    void aStageInsertedIntoAPipelineThatRanKeepsTheLockInFileOrder() throws IOException {
        String synth = "    kind: synth\n    config: {n: 20, train_prompts: 2, eval_prompts: 2}\n";
        Path before = Files.writeString(dir.resolve("before.yaml"), "name: p\nstages:\n  - name: a\n" + synth
                + "  - name: c\n" + synth);
        Path after = Files.writeString(dir.resolve("after.yaml"), "name: p\nstages:\n  - name: a\n" + synth
                + "  - name: b\n" + synth + "  - name: c\n" + synth);
        Path out = dir.resolve("out");
        PipelineRunner.run(PipelineLoader.load(before, out, Map.of()), null, PipelineListener.NONE);
        Events inserted = new Events();
        PipelineRunner.run(PipelineLoader.load(after, out, Map.of()), null, inserted);
        assertThat(inserted.seen).containsExactly("skip a", "start b", "start c");
        assertThat(PipelineLock.read(out.resolve(Pipeline.LOCK_FILE), "p").stages())
                .extracting(PipelineLock.Entry::name).containsExactly("a", "b", "c");
        Events again = new Events();
        PipelineRunner.run(PipelineLoader.load(after, out, Map.of()), null, again);
        assertThat(again.seen).containsExactly("skip a", "skip b", "skip c");
    }

    /** The eval table's invariants: the baseline ties itself, the reference has KL 0, rates are rates. */
    private static void checkEval(Path dir) throws IOException {
        EvalReport r = Json.read(dir.resolve("eval.json"), EvalReport.class);
        assertThat(r.n()).isEqualTo(8);
        assertThat(r.models()).extracting(ModelMetrics::model).containsExactly("sft", "more");
        ModelMetrics sft = r.models().get(0);
        ModelMetrics more = r.models().get(1);
        assertThat(sft.winRate()).isEqualTo(0.5);
        assertThat(sft.kl()).isEqualTo(0.0);
        assertThat(more.kl()).isNotNull();
        for (ModelMetrics m : r.models()) {
            assertThat(m.grammatical()).isBetween(0.0, 1.0);
            assertThat(m.eosRate()).isBetween(0.0, 1.0);
            assertThat(m.perplexity()).isGreaterThan(1.0);
            assertThat(m.winLow()).isLessThanOrEqualTo(m.winRate());
            assertThat(m.winHigh()).isGreaterThanOrEqualTo(m.winRate());
            assertThat(m.meanLength()).isBetween(1.0, 8.0);
        }
        assertThat(r.samples()).hasSize(8).allSatisfy(s -> assertThat(s).containsKeys("prompt", "sft", "more"));
        assertThat(Files.readString(dir.resolve("eval.md"))).contains("| sft |", "| more |");
    }

    private static Process startChild(Path file, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path")));
        String cache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        if (cache != null) {
            cmd.add("-DDJL_CACHE_DIR=" + cache);
        }
        cmd.addAll(List.of(PipelineMain.class.getName(), file.toString(), out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File(out.getParent().toFile(), "child.log")).start();
    }
}
