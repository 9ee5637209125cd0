package dev.align4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptsTest {

    private final List<Integer> exits = new ArrayList<>();

    @AfterEach
    void reset() {
        Interrupts.clear();
    }

    @Test
    void requestSetsTheFlagAndClearResetsIt() {
        Interrupts.clear();
        assertThat(Interrupts.requested()).isFalse();
        Interrupts.request();
        assertThat(Interrupts.requested()).isTrue();
        Interrupts.clear();
        assertThat(Interrupts.requested()).isFalse();
    }

    @Test
    void aSignalDuringStoppableWorkSetsTheFlagAndASecondOneExits() {
        Interrupts.clear();
        try (Interrupts.Scope s = Interrupts.stoppable()) {
            assertThat(Interrupts.onSignal("SIGTERM", exits::add)).isTrue();
            assertThat(Interrupts.requested()).isTrue();
            assertThat(exits).isEmpty();
            assertThat(Interrupts.onSignal("SIGINT", exits::add)).isFalse();
            assertThat(exits).containsExactly(130);
        }
    }

    @Test
    void aSignalWithNothingStoppableRunningExitsAtOnce() {
        Interrupts.clear();
        Interrupts.Scope s = Interrupts.stoppable();
        s.close();
        s.close(); // closing twice does not unbalance the count
        assertThat(Interrupts.onSignal("SIGINT", exits::add)).isFalse();
        assertThat(exits).containsExactly(Interrupts.EXIT_CODE);
    }

    @Test
    void theResumeCommandIsTheCommandLinePlusResumeQuotedForTheShell() {
        Interrupts.commandLine("./align4j", List.of("sft", "--data", "my data.jsonl", "--set", "a='b'"));
        assertThat(Interrupts.resumeCommand())
                .hasValue("./align4j sft --data 'my data.jsonl' --set 'a='\\''b'\\''' --resume");
        Interrupts.commandLine("align4j", List.of("dpo", "--resume", "--output-dir", "runs/x"));
        assertThat(Interrupts.resumeCommand()).hasValue("align4j dpo --resume --output-dir runs/x");
    }
}
