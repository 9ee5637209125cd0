package dev.align4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterruptsTest {

    @Test
    void requestSetsTheFlagAndClearResetsIt() {
        Interrupts.clear();
        assertThat(Interrupts.requested()).isFalse();
        Interrupts.request();
        assertThat(Interrupts.requested()).isTrue();
        Interrupts.clear();
        assertThat(Interrupts.requested()).isFalse();
    }
}
