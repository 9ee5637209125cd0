package dev.align4j.datasets.arithmetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer normalisation and the judge on hand cases. */
class ArithmeticJudgeTest {

    private final ArithmeticJudge judge = new ArithmeticJudge();

    @Test
    void correctAfterTrimFirstLineAndCollapsedSpaces() {
        assertThat(judge.correct("19", "19")).isTrue();
        assertThat(judge.correct(" 19\n", "19")).isTrue();
        assertThat(judge.correct("19\n7+1=8", "19")).isTrue();
        assertThat(judge.correct("-5", " -5 ")).isTrue();
        assertThat(judge.correct("19 apples", "19")).isFalse();
        assertThat(judge.correct("019", "19")).isFalse();
        assertThat(judge.correct("20", "19")).isFalse();
        assertThat(judge.correct("", "19")).isFalse();
        assertThat(Answers.normalize("  a \t b\nc")).isEqualTo("a b");
    }

    @Test
    void accuracyCountsCorrectRows() {
        assertThat(judge.accuracy(List.of("19", "3", " 7\n"), List.of("19", "4", "7"))).isEqualTo(2.0 / 3);
        assertThat(judge.accuracy(List.of(), List.of())).isZero();
    }

    @Test
    void firstNumberAndNumericMatch() {
        assertThat(Answers.firstNumber("it is -12.5 or 3").getAsDouble()).isEqualTo(-12.5);
        assertThat(Answers.firstNumber("none")).isEmpty();
        assertThat(Answers.numericMatch("19 apples", "19", 0)).isTrue();
        assertThat(Answers.numericMatch("18", "19", 0.5)).isFalse();
        assertThat(Answers.numericMatch("18", "19", 1)).isTrue();
    }
}
