package dev.align4j.datasets.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

class RewardBundleTest {

    private static final PreferenceEncoder.Config LENGTHS = new PreferenceEncoder.Config(48, 24);

    /** A tiny random model with a random (non-zero) head, so scores differ by sequence. */
    static RewardBundle tiny(long seed) {
        ByteTokenizer tok = new ByteTokenizer();
        ModelConfig cfg = ModelConfig.gpt2(tok.vocabSize(), 64, 32, 1, 2);
        RewardBundle rm = RewardBundle.create(ModelBundle.create(cfg, tok, Templates.PLAIN, Device.cpu(), seed), LENGTHS);
        Random r = new Random(seed);
        for (var p : rm.headParameters().values()) {
            NDArray a = p.getArray();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            a.set(v);
        }
        return rm;
    }

    @Test
    void aSequenceScoresTheSameAloneAndInAPaddedBatch() {
        try (RewardBundle rm = tiny(1)) {
            List<int[]> seqs = List.of(
                    rm.encode(List.of(Message.user("the plot was")), " superb ."),
                    rm.encode(List.of(Message.user("a")), " dull and slow film with a weak ending ."),
                    rm.encode(List.of(Message.user("what a")), " mess"));
            float[] batch = rm.score(seqs, 3);
            for (int i = 0; i < seqs.size(); i++) {
                float alone = rm.score(List.of(seqs.get(i)), 1)[0];
                assertThat(batch[i]).isCloseTo(alone, within(1e-5f));
            }
            // different sequences score differently: the head reads the right position
            assertThat(batch[0]).isNotEqualTo(batch[1]);
            // the score is read at the last real token: appending padding-free text changes it
            float[] manual = rm.score(List.of(java.util.Arrays.copyOf(seqs.get(2), seqs.get(2).length - 1)), 1);
            assertThat(manual[0]).isNotEqualTo(batch[2]);
        }
    }

    @Test
    void saveThenLoadGivesIdenticalScoresStatsAndLengths(@TempDir Path tmp) {
        Path dir = tmp.resolve("rm");
        List<List<Message>> prompts = List.of(List.of(Message.user("the acting")), List.of(Message.user("i")));
        List<String> replies = List.of(" was great .", " thought it was awful .");
        float[] before;
        try (RewardBundle rm = tiny(2)) {
            before = rm.scoreTexts(prompts, replies, 2);
            rm.setStats(new RewardStats(0.5, 2.0, 10, "test"));
            rm.save(dir, Map.of("max_length", 48, "max_prompt_length", 24), Map.of("seed", 2));
        }
        assertThat(dir.resolve(RewardBundle.HEAD)).exists();
        assertThat(dir.resolve(RewardBundle.STATS)).exists();
        assertThat(dir.resolve(ModelBundle.PROVENANCE)).exists();
        try (RewardBundle rm = RewardBundle.load(dir, Device.cpu())) {
            assertThat(rm.scoreTexts(prompts, replies, 2)).containsExactly(before);
            assertThat(rm.stats()).isEqualTo(new RewardStats(0.5, 2.0, 10, "test"));
            assertThat(rm.stats().normalize(4.5)).isEqualTo(2.0);
            assertThat(rm.lengths()).isEqualTo(LENGTHS);
        }
    }

    @Test
    void aPlainModelFolderIsRefusedWithAClearMessage(@TempDir Path tmp) {
        Path dir = tmp.resolve("plain");
        try (RewardBundle rm = tiny(3)) {
            rm.base().save(dir, null);
        }
        assertThatThrownBy(() -> RewardBundle.load(dir, Device.cpu()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("not a reward model folder")
                .hasMessageContaining(RewardBundle.HEAD);
    }

    @Test
    void statsArePopulationMeanAndStd() {
        RewardStats s = RewardStats.of(new float[] {1, 2, 3, 4}, "x");
        assertThat(s.mean()).isEqualTo(2.5);
        assertThat(s.std()).isCloseTo(Math.sqrt(1.25), within(1e-12));
        assertThat(s.count()).isEqualTo(4);
    }

    @Test
    void maxLengthAboveTheContextIsRefused() {
        ByteTokenizer tok = new ByteTokenizer();
        ModelConfig cfg = ModelConfig.gpt2(tok.vocabSize(), 16, 16, 1, 2);
        ModelBundle base = ModelBundle.create(cfg, tok, Templates.PLAIN, Device.cpu(), 1);
        try {
            assertThatThrownBy(() -> RewardBundle.create(base, LENGTHS))
                    .isInstanceOf(UserInputException.class).hasMessageContaining("context_length 16");
        } finally {
            base.close();
        }
    }
}
