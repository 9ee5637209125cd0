package dev.align4j.datasets.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.align4j.datasets.TestData;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.PreferenceExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentTest {

    private final Lexicon lexicon = Lexicon.bundled();
    private final SentimentJudge judge = new SentimentJudge(lexicon);

    @Test
    void bundledLexiconIsTheTasksLexicon() {
        assertThat(lexicon.positive()).hasSize(32).contains("superb");
        assertThat(lexicon.negative()).hasSize(32).contains("dull");
        assertThat(lexicon.nouns()).hasSize(20);
        assertThat(Lexicon.load(TestData.shared("tasks/sentiment/lexicon.json"))).isEqualTo(lexicon);
    }

    @Test
    void judgeCountsPositiveMinusNegativeOnLettersOnly() {
        assertThat(judge.score("the acting was superb but the pacing was dull .")).isZero();
        assertThat(judge.score("GREAT, great!great")).isEqualTo(3);
        assertThat(judge.score("dull-boring...awful")).isEqualTo(-3);
        assertThat(judge.score("greatness goods 42")).isZero(); // whole words only
        assertThat(judge.score("")).isZero();
    }

    @Test
    void winRateCountsTiesHalf() {
        assertThat(SentimentJudge.winRate(new double[] {2, 0, -1, 1}, new double[] {1, 0, 0, 1})).isEqualTo(0.5);
        assertThat(judge.winRate(List.of("great", "bad"), List.of("bad", "bad"))).isEqualTo(0.75);
    }

    @Test
    void pairsAreLabelledByTheJudgeAndTiesDropped() {
        PreferenceExample p = judge.label(null, "the film was", " dull .", " superb and lovely .").orElseThrow();
        assertThat(p.chosen()).isEqualTo(" superb and lovely .");
        assertThat(p.rejected()).isEqualTo(" dull .");
        assertThat(p.margin()).isEqualTo(3.0);
        assertThat(judge.label(null, "x", " fine .", " okay .")).isEmpty();
    }

    @Test
    void corpusLeansHalfAndHalf() {
        List<String> xs = new SentimentCorpus(lexicon, 1).sentences(1000);
        for (int i = 0; i < xs.size(); i++) {
            int s = judge.score(xs.get(i));
            assertThat(i % 2 == 0 ? s >= 0 : s <= 0).as(xs.get(i)).isTrue();
            assertThat(xs.get(i)).endsWith(" .").isLowerCase();
        }
        assertThat(xs.stream().mapToInt(judge::score).average().orElseThrow()).isCloseTo(0, within(0.1));
        assertThat(new SentimentCorpus(lexicon, 1).sentences(1000)).isEqualTo(xs);
    }

    @Test
    void promptsAreTwoToFourWords() {
        assertThat(new SentimentCorpus(lexicon, 2).prompts(200))
                .allSatisfy(p -> assertThat(p.split(" ").length).isBetween(2, 4));
        assertThat(SentimentCorpus.promptOf("what a dull film .", 4)).isEqualTo("what a dull film");
        assertThat(SentimentCorpus.promptOf("the ending was superb .", 3)).isEqualTo("the ending was");
    }

    @Test
    void synthWritesLoadableFiles(@TempDir Path dir) throws Exception {
        SentimentSynth.Written w = SentimentSynth.write(dir, lexicon, new SentimentSynth.Options(100, 20, 10, 3));
        assertThat(Files.readAllLines(dir.resolve("corpus.txt"))).hasSize(100);
        LoadedDataset sft = DatasetLoader.load(dir.resolve("sft.jsonl"));
        assertThat(sft.format()).isEqualTo(DataFormat.TEXT);
        assertThat(sft.size()).isEqualTo(100);
        LoadedDataset eval = DatasetLoader.load(dir.resolve("prompts_eval.jsonl"));
        assertThat(eval.format()).isEqualTo(DataFormat.PROMPTS);
        assertThat(eval.size()).isEqualTo(10);
        assertThat(Files.readString(dir.resolve("README.md"))).contains("prompts_eval.jsonl");
        assertThat(w.trainPrompts()).isEqualTo(20);
    }
}
