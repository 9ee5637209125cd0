package dev.align4j.annotate;

import dev.align4j.core.io.Hashing;
import dev.align4j.core.train.DataOrder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One annotator's labelling session: shows the first pair this annotator has no standing label
 * for, reads keys from a {@link Console}, and appends each label to the {@link LabelLog} (flushed
 * and fsynced) before it shows the next pair. Undo appends a retraction of the annotator's latest
 * standing label and shows that pair again. Quitting, or being killed, loses nothing that was
 * saved; a new session with the same files resumes at the first unlabelled pair.
 *
 * <p>Which original response is shown on the left is {@link #leftOf}: a function of the seed and
 * the pair id only, so a resumed session shows every pair as before, and a label records both the
 * side and the seed.
 */
public final class Session {

    private static final Logger LOG = LogManager.getLogger(Session.class);

    /**
     * @param annotator the name written into every label
     * @param seed decides left and right per pair
     */
    public record Options(String annotator, long seed) {
        public Options {
            if (annotator == null || annotator.isBlank()) {
                throw new IllegalArgumentException("annotator must be a non-empty name");
            }
        }
    }

    /** How a session ended: pairs with a standing label, labels and retractions written, finished or quit. */
    public record Summary(int labelled, int total, int written, int retracted, boolean finished) {
    }

    private final List<Pair> pairs;
    private final LabelSet state;
    private final LabelLog.Writer log;
    private final Console console;
    private final Options options;
    private final Clock clock;
    private final long started;
    private int written;
    private int retracted;
    /** The pair an undo brought back, shown next instead of the first unlabelled one. */
    private String undone;
    private volatile Runnable redraw = () -> { };

    public Session(List<Pair> pairs, LabelSet state, LabelLog.Writer log, Console console, Options options,
            Clock clock) {
        this.pairs = List.copyOf(pairs);
        this.state = Objects.requireNonNull(state);
        this.log = Objects.requireNonNull(log);
        this.console = Objects.requireNonNull(console);
        this.options = Objects.requireNonNull(options);
        this.clock = Objects.requireNonNull(clock);
        this.started = clock.millis();
    }

    /** The original response shown on the left for {@code pairId} under {@code seed}. */
    public static Response leftOf(long seed, String pairId) {
        long h = Long.parseUnsignedLong(Hashing.sha256(pairId).substring(0, 15), 16);
        return (DataOrder.mix(seed, h) & 1) == 0 ? Response.A : Response.B;
    }

    /** Runs until every pair has a label or the annotator quits. */
    public Summary run() {
        console.onResize(() -> redraw.run());
        String message = null;
        while (true) {
            Optional<Integer> next = next();
            if (next.isEmpty()) {
                LOG.debug("all {} pairs labelled by {}", pairs.size(), options.annotator());
                return summary(true);
            }
            Outcome o = onePair(next.get(), message);
            if (o.quit) {
                return summary(false);
            }
            message = o.message;
        }
    }

    private record Outcome(boolean quit, String message) {
    }

    private Optional<Integer> next() {
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).id().equals(undone)) {
                return Optional.of(i);
            }
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (state.label(options.annotator(), pairs.get(i).id()).isEmpty()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Shows pair {@code index} until a key labels it, undoes, or quits. */
    private Outcome onePair(int index, String firstMessage) {
        Pair pair = pairs.get(index);
        Response left = leftOf(options.seed(), pair.id());
        long shown = clock.millis();
        Screen s = new Screen(pair, index, left, firstMessage);
        while (true) {
            ScreenLayout.Frame frame = s.draw();
            Key k = console.readKey();
            s.message = null;
            switch (k) {
                case LEFT, RIGHT, TIE, SKIP -> {
                    Choice c = switch (k) {
                        case LEFT -> left.choice();
                        case RIGHT -> left.other().choice();
                        case TIE -> Choice.TIE;
                        default -> Choice.SKIP;
                    };
                    save(pair, c, left, s.note, shown);
                    return new Outcome(false, "saved: " + describe(k) + " for pair " + pair.id());
                }
                case UNDO -> {
                    Optional<String> msg = undo();
                    if (msg.isPresent()) {
                        return new Outcome(false, msg.get());
                    }
                    s.message = "nothing to undo";
                }
                case NOTE -> {
                    String text = console.readLine(frame.lines(), "note: ");
                    if (text != null && !text.isBlank()) {
                        s.note = text.strip();
                        s.message = "note kept; it is saved with this pair's label";
                    }
                }
                case HELP -> s.help = !s.help;
                case QUIT, END -> {
                    return new Outcome(true, null);
                }
                case SCROLL_UP -> s.scroll = Math.max(0, frame.scroll() - 1);
                case SCROLL_DOWN -> s.scroll = Math.min(frame.maxScroll(), frame.scroll() + 1);
                case PAGE_UP -> s.scroll = Math.max(0, frame.scroll() - frame.page());
                case PAGE_DOWN -> s.scroll = Math.min(frame.maxScroll(), frame.scroll() + frame.page());
                case REDRAW -> { }
                case UNKNOWN -> s.message = "unknown key: press ? for help";
                default -> throw new IllegalStateException("unhandled key " + k);
            }
        }
    }

    private static String describe(Key k) {
        return switch (k) {
            case LEFT -> "left";
            case RIGHT -> "right";
            case TIE -> "tie";
            default -> "skip";
        };
    }

    private void save(Pair pair, Choice c, Response left, String note, long shown) {
        long now = clock.millis();
        LabelEntry e = LabelEntry.human(pair, options.annotator(), c, left, options.seed(), note,
                Instant.ofEpochMilli(now).toString(), now - shown);
        log.append(e); // on disk before anything else is shown
        state.add(e);
        written++;
        if (pair.id().equals(undone)) {
            undone = null;
        }
    }

    private Optional<String> undo() {
        Optional<LabelEntry> last = state.last(options.annotator());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        LabelEntry r = LabelEntry.retract(last.get().pairId(), options.annotator(), LabelEntry.Kind.HUMAN,
                Instant.ofEpochMilli(clock.millis()).toString());
        log.append(r);
        state.add(r);
        retracted++;
        undone = last.get().pairId();
        return Optional.of("undone: the " + last.get().choice().key() + " label of pair " + undone);
    }

    private Summary summary(boolean finished) {
        return new Summary(labelledCount(), pairs.size(), written, retracted, finished);
    }

    private int labelledCount() {
        int n = 0;
        for (Pair p : pairs) {
            if (state.label(options.annotator(), p.id()).isPresent()) {
                n++;
            }
        }
        return n;
    }

    /** The mutable state of the screen of one pair. */
    private final class Screen {
        final Pair pair;
        final int index;
        final Response left;
        String message;
        String note;
        boolean help;
        int scroll;

        Screen(Pair pair, int index, Response left, String message) {
            this.pair = pair;
            this.index = index;
            this.left = left;
            this.message = message;
        }

        ScreenLayout.Frame draw() {
            redraw = this::paint;
            return paint();
        }

        synchronized ScreenLayout.Frame paint() {
            ScreenLayout.Frame f = ScreenLayout.render(view(), console.width(), console.height());
            scroll = f.scroll();
            console.draw(f.lines());
            return f;
        }

        private ScreenLayout.View view() {
            int labelled = labelledCount();
            double minutes = (clock.millis() - started) / 60000.0;
            Double rate = written == 0 || minutes <= 0 ? null : written / minutes;
            Double remaining = rate == null ? null : (pairs.size() - labelled) / rate;
            return new ScreenLayout.View(options.annotator(), pair.id(), index + 1, labelled, pairs.size(), rate, remaining,
                    PromptJson.display(pair.prompt()), pair.response(this.left), pair.response(this.left.other()),
                    note, message, help, scroll);
        }
    }
}
