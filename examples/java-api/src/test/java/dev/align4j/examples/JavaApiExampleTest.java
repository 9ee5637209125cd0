package dev.align4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.align4j.core.run.RunResult;
import dev.align4j.core.run.RunStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example as `mvn verify` does in CI: three finished runs with their model folders. */
class JavaApiExampleTest {

    @Test
    void sftRewardModelAndDpoFinishWithModels(@TempDir Path work) throws Exception {
        List<RunResult> runs = JavaApiExample.run(work);
        assertEquals(3, runs.size());
        for (RunResult r : runs) {
            assertEquals(RunStatus.FINISHED, r.status(), r.runDir().toString());
            assertEquals(8, r.steps(), r.runDir() + " steps");
            assertTrue(Files.isRegularFile(r.modelDir().resolve("provenance.json")), r.modelDir() + " provenance");
            r.metrics().forEach((k, v) -> assertTrue(Double.isFinite(v), r.runDir() + " " + k + "=" + v));
        }
        assertNotNull(runs.get(0).adapterDir(), "LoRA SFT keeps its adapter");
        assertTrue(Files.isRegularFile(runs.get(0).runDir().resolve("samples.jsonl")), "SFT samples");
        assertTrue(runs.get(1).metrics().containsKey("train_accuracy"), "reward metrics " + runs.get(1).metrics());
        assertNotNull(runs.get(2).adapterDir(), "LoRA DPO keeps its adapter");
    }

    @Test
    void mainPrintsTheRunsIntoTheFolderGiven(@TempDir Path work) throws Exception {
        JavaApiExample.main(new String[] {work.toString()});
        for (String run : List.of("sft", "rm", "dpo")) {
            assertTrue(Files.isDirectory(work.resolve(run).resolve("model")), run + "/model");
        }
    }
}
