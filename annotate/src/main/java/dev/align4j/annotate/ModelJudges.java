package dev.align4j.annotate;

import ai.djl.Device;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentJudge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The judges that need more than the text: the sentiment lexicon and reward models. */
public final class ModelJudges {

    private ModelJudges() {
    }

    /** The judge {@code spec} names; the caller closes it. */
    public static PairJudge open(JudgeSpec spec, Device device, Path lexicon, int batchSize) {
        if (spec instanceof JudgeSpec.Rule r) {
            return new RuleJudge(r);
        }
        if (spec instanceof JudgeSpec.RewardModel rm) {
            return rewardModel(rm, RewardBundle.load(rm.dir(), device), batchSize);
        }
        return sentiment(new SentimentJudge(Lexicon.resolve(lexicon)));
    }

    /** The sentiment task's exact judge: the response's true reward, the prompt ignored. */
    public static PairJudge sentiment(SentimentJudge judge) {
        return new PairJudge() {
            @Override
            public String name() {
                return "sentiment";
            }

            @Override
            public double[][] score(List<Pair> pairs) {
                double[][] out = new double[pairs.size()][];
                for (int i = 0; i < pairs.size(); i++) {
                    out[i] = new double[] {judge.score(pairs.get(i).a()), judge.score(pairs.get(i).b())};
                }
                return out;
            }
        };
    }

    /** A reward model's rewards of prompt + response, {@code batchSize} sequences per forward pass. */
    public static PairJudge rewardModel(JudgeSpec.RewardModel spec, RewardBundle rm, int batchSize) {
        return new PairJudge() {
            @Override
            public String name() {
                return spec.name();
            }

            @Override
            public double[][] score(List<Pair> pairs) {
                List<List<Message>> prompts = new ArrayList<>(2 * pairs.size());
                List<String> responses = new ArrayList<>(2 * pairs.size());
                for (Pair p : pairs) {
                    prompts.add(p.prompt());
                    responses.add(p.a());
                    prompts.add(p.prompt());
                    responses.add(p.b());
                }
                float[] r = rm.scoreTexts(prompts, responses, batchSize);
                double[][] out = new double[pairs.size()][];
                for (int i = 0; i < pairs.size(); i++) {
                    out[i] = new double[] {r[2 * i], r[2 * i + 1]};
                }
                return out;
            }

            @Override
            public void close() {
                rm.close();
            }
        };
    }
}
