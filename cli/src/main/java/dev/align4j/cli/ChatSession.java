package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.FinishReason;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.GenerationListener;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.ChatPrompts;
import dev.align4j.datasets.template.ChatTemplate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The state of one {@code align4j chat}: the system prompt, the turns so far and the sampling
 * parameters, which {@code /commands} change. Every reply is generated from the whole history
 * rendered with the model's template, and streamed to {@code out} as it is decoded.
 */
final class ChatSession {

    private static final Logger LOG = LogManager.getLogger(ChatSession.class);

    static final String HELP = String.join("\n",
            "/reset                 forget the conversation (the system prompt stays)",
            "/system TEXT           set the system prompt (/system alone removes it)",
            "/temperature X         0 = greedy",
            "/top_p X               nucleus sampling, 1 = off",
            "/top_k N               0 = off",
            "/max_new_tokens N      longest reply",
            "/repetition_penalty X  1 = off",
            "/help                  this list",
            "/exit                  quit (so does end of input, Ctrl-D)");

    private final Generator generator;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int contextLength;
    private final PrintWriter out;
    private final List<Message> turns = new ArrayList<>();
    private SamplingParams params;
    private String system;
    private int replies;
    /** The max_new_tokens value last reported as lowered to fit the context. */
    private int warnedFor = -1;

    ChatSession(Generator generator, Tokenizer tokenizer, ChatTemplate template, int contextLength,
            SamplingParams params, String system, PrintWriter out) {
        this.generator = generator;
        this.tokenizer = tokenizer;
        this.template = template;
        this.contextLength = contextLength;
        this.params = params;
        this.system = system == null || system.isEmpty() ? null : system;
        this.out = out;
    }

    /** Handles one input line; false when the session should end. */
    boolean handle(String line) {
        String s = line.strip();
        if (s.isEmpty()) {
            return true;
        }
        if (s.startsWith("/")) {
            return command(s);
        }
        reply(s);
        return true;
    }

    /** The conversation as the model sees it: system prompt (if any), then the turns. */
    List<Message> history() {
        List<Message> all = new ArrayList<>();
        if (system != null) {
            all.add(Message.system(system));
        }
        all.addAll(turns);
        return all;
    }

    SamplingParams params() {
        return params;
    }

    private void reply(String user) {
        List<Message> messages = history();
        messages.add(Message.user(user));
        int[] ids = ChatPrompts.ids(tokenizer, template, messages);
        // the oldest exchanges go first when the conversation leaves the reply less than max_new_tokens
        // (at most half the context: a short-context model still keeps a short history)
        int wanted = Math.min(params.maxNewTokens(), Math.max(1, contextLength / 2));
        while (ids.length + wanted > contextLength && turns.size() >= 2) {
            turns.subList(0, 2).clear();
            messages = history();
            messages.add(Message.user(user));
            ids = ChatPrompts.ids(tokenizer, template, messages);
            out.println("(dropped the oldest exchange to fit the context of " + contextLength + " tokens)");
        }
        if (ids.length >= contextLength) {
            out.printf(Locale.ROOT, "(too long: %d prompt tokens leave no room in the context of %d;"
                    + " shorten the message)%n", ids.length, contextLength);
            out.flush();
            return;
        }
        SamplingParams p = fitted(ids.length);
        long seed = SamplingParams.rowSeed(p.seed(), replies++); // reply i: the one per-row seeding rule
        Streamer streamer = new Streamer(tokenizer::decode, holdback(p));
        Generation g = generator.generate(List.of(ids), new long[] {seed}, p, streamer).get(0);
        out.println();
        if (g.finishReason() == FinishReason.LENGTH) {
            out.println("(cut at max_new_tokens " + p.maxNewTokens() + ")");
        }
        out.flush();
        turns.add(Message.user(user));
        turns.add(Message.assistant(g.text()));
    }

    /**
     * The parameters for a prompt of {@code promptLength} ids: max_new_tokens lowered to what the
     * context leaves, said once per max_new_tokens value (a model with a short context, such as the
     * sentiment SFT model's 48, would otherwise refuse every message with the default 128).
     */
    private SamplingParams fitted(int promptLength) {
        int room = contextLength - promptLength;
        if (params.maxNewTokens() <= room) {
            return params;
        }
        if (warnedFor != params.maxNewTokens()) {
            warnedFor = params.maxNewTokens();
            LOG.warn("max_new_tokens {} is more than the context of {} tokens leaves after the prompt;"
                    + " replies are cut at what is left ({} now)", params.maxNewTokens(), contextLength, room);
        }
        return params.toBuilder().maxNewTokens(room).minNewTokens(Math.min(params.minNewTokens(), room)).build();
    }

    private boolean command(String line) {
        String[] parts = line.split("\\s+", 2);
        String name = parts[0].toLowerCase(Locale.ROOT);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        try {
            switch (name) {
                case "/exit", "/quit" -> {
                    return false;
                }
                case "/help" -> out.println(HELP);
                case "/reset" -> {
                    turns.clear();
                    replies = 0;
                    out.println("(conversation cleared)");
                }
                case "/system" -> {
                    system = arg.isEmpty() ? null : arg;
                    out.println(system == null ? "(no system prompt)" : "(system prompt set)");
                }
                case "/temperature" -> set(params.toBuilder().temperature(number(name, arg)), "temperature", arg);
                case "/top_p" -> set(params.toBuilder().topP(number(name, arg)), "top_p", arg);
                case "/top_k" -> set(params.toBuilder().topK(integer(name, arg)), "top_k", arg);
                case "/max_new_tokens" -> set(params.toBuilder().maxNewTokens(integer(name, arg)),
                        "max_new_tokens", arg);
                case "/repetition_penalty" -> set(params.toBuilder().repetitionPenalty(number(name, arg)),
                        "repetition_penalty", arg);
                default -> out.println("(unknown command " + name + "; /help lists them)");
            }
        } catch (UserInputException | IllegalArgumentException e) {
            out.println("(" + e.getMessage() + ")");
        }
        out.flush();
        return true;
    }

    private void set(SamplingParams.Builder b, String what, String arg) {
        params = b.build(); // the record checks ranges and names the field
        out.println("(" + what + " " + arg + ")");
    }

    private static double number(String command, String arg) {
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new UserInputException(command + " needs a number, got '" + arg + "'");
        }
    }

    private static int integer(String command, String arg) {
        try {
            return Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new UserInputException(command + " needs a whole number, got '" + arg + "'");
        }
    }

    /** Characters held back while streaming: a stop string may still be completing there. */
    private static int holdback(SamplingParams p) {
        return p.stopStrings().stream().mapToInt(s -> s.length() - 1).max().orElse(0);
    }

    /**
     * Prints the reply as it grows. Decodes all ids so far at each token (so multi-byte characters
     * split over tokens print whole) and prints the new characters, keeping back the last few that
     * could be the start of a stop string; at the end prints the rest of the final text, which the
     * generator has cut before any stop string.
     */
    private final class Streamer implements GenerationListener {
        private final Function<int[], String> decoder;
        private final int holdback;
        private int[] ids = new int[16];
        private int n;
        private int printed;

        Streamer(Function<int[], String> decoder, int holdback) {
            this.decoder = decoder;
            this.holdback = holdback;
        }

        @Override
        public void onToken(int row, int index, int token) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, 2 * n);
            }
            ids[n++] = token;
            String text = decoder.apply(Arrays.copyOf(ids, n));
            int safe = text.length() - holdback;
            while (safe > printed && text.charAt(safe - 1) == '\uFFFD') {
                safe--; // an incomplete UTF-8 sequence: wait for its next byte
            }
            if (safe > printed) {
                out.print(text.substring(printed, safe));
                out.flush();
                printed = safe;
            }
        }

        @Override
        public void onFinish(int row, Generation generation) {
            String text = generation.text();
            if (text.length() > printed) {
                out.print(text.substring(printed));
                printed = text.length();
            }
            out.flush();
        }
    }
}
