package dev.align4j.bench.killresume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's pure parts: seeded kill plans and the byte comparison (the child runs are in cli's KillResumeTest). */
class KillResumePlanTest {

    @Test
    void aSeedGivesTheSameKillsEveryTimeWithinTheRun() {
        Set<List<KillResume.Kill>> distinct = new HashSet<>();
        for (KillResumeMethod m : KillResumeMethod.values()) {
            for (long seed = 1; seed <= 50; seed++) {
                List<KillResume.Kill> plan = KillResume.plan(m, seed);
                assertThat(KillResume.plan(m, seed)).isEqualTo(plan);
                assertThat(plan).hasSizeBetween(1, 2);
                long previous = m.saveSteps();
                for (KillResume.Kill k : plan) {
                    assertThat(k.step()).isBetween(previous, m.steps());
                    assertThat(k.fraction()).isBetween(0.0, 1.0);
                    previous = k.step();
                }
                distinct.add(plan);
            }
        }
        assertThat(distinct).as("different seeds give different moments").hasSizeGreaterThan(150);
    }

    @Test
    void differingListsChangedAndOneSidedFiles() {
        Map<String, String> a = Map.of("model/model.safetensors", "1", "samples.jsonl", "2");
        assertThat(KillResume.differing(a, Map.copyOf(a))).isEmpty();
        assertThat(KillResume.differing(a, Map.of("model/model.safetensors", "1", "samples.jsonl", "3",
                "adapter/adapter_model.safetensors", "4")))
                .containsExactly("adapter/adapter_model.safetensors", "samples.jsonl");
    }
}
