package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenLayoutTest {

    private static ScreenLayout.View view(String left, String right, int scroll) {
        return new ScreenLayout.View("ann", "id1", 3, 2, 10, 4.0, 2.0, "the prompt", left, right, null, "saved",
                false, scroll);
    }

    @Test
    void wideTerminalsShowTheResponsesSideBySide() {
        List<String> lines = ScreenLayout.render(view("left words here", "right words there", 0), 120, 0).lines();
        assertThat(lines).anyMatch(l -> l.startsWith("left words here") && l.endsWith("| right words there"));
        assertThat(lines.get(0)).isEqualTo("align4j annotate | ann | pair 3 of 10 | labelled 2 of 10 | 4.0 labels/min"
                + " | ~2 min left");
        assertThat(lines).allMatch(l -> l.length() <= 120);
    }

    @Test
    void narrowTerminalsStackThemAndWrapToTheWidth() {
        String long1 = "word ".repeat(40).strip();
        List<String> lines = ScreenLayout.render(view(long1, "short", 0), 60, 0).lines();
        assertThat(lines.subList(1, lines.size())).noneMatch(l -> l.contains(" | "));
        int left = lines.indexOf("[1/a] LEFT");
        int right = lines.indexOf("[2/b] RIGHT");
        assertThat(left).isPositive();
        assertThat(right).isGreaterThan(left + 3); // 200 characters take 4 lines of 60
        assertThat(lines).allMatch(l -> l.length() <= 60);
        assertThat(lines.get(right + 1)).isEqualTo("short");
        // the progress numbers and every key still fit
        assertThat(lines.get(0)).isEqualTo("3/10 | done 2 | 4.0/min | ~2 min left | ann");
        assertThat(lines).contains(ScreenLayout.KEYS_SHORT);
    }

    @Test
    void longTextScrollsInsideAFixedScreen() {
        String tall = String.join("\n", java.util.Collections.nCopies(40, "line"));
        ScreenLayout.Frame top = ScreenLayout.render(view(tall, "r", 0), 100, 20);
        assertThat(top.lines()).hasSize(20);
        assertThat(top.page()).isEqualTo(15);
        assertThat(top.lines().get(19)).contains("[lines 1-15 of ");
        ScreenLayout.Frame far = ScreenLayout.render(view(tall, "r", 1000), 100, 20);
        assertThat(far.scroll()).isEqualTo(far.maxScroll());
        assertThat(far.lines()).hasSize(20);
        assertThat(far.lines().get(19)).contains("of " + (far.maxScroll() + 15) + ": up/down scroll]");
        // header and footer stay; the body moved
        assertThat(far.lines().get(0)).isEqualTo(top.lines().get(0));
        assertThat(far.lines().get(2)).isNotEqualTo(top.lines().get(2));
    }

    @Test
    void wrapKeepsLineBreaksCutsLongWordsAndDropsControlCharacters() {
        assertThat(Wrap.lines("ab cd ef\n\nxyz", 5)).containsExactly("ab cd", "ef", "", "xyz");
        assertThat(Wrap.lines("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(Wrap.lines("a\tb\rc\u0007", 20)).containsExactly("a    bc");
        assertThat(Wrap.lines("one  two", 4)).containsExactly("one", "two");
    }
}
