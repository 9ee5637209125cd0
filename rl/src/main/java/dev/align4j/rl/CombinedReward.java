package dev.align4j.rl;

import dev.align4j.datasets.bundle.RewardBundle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward of several functions ({@link RewardFuncs#load}): {@code sum_k w_k * f_k(row)} over the
 * plain functions, then the gates: where a gate's function scores {@code <= 0} the row's reward is
 * that gate's weight instead (the lowest weight when several gates fail). A gate is the multiplicative
 * form of a format reward: a row that breaks the format cannot make up for it with more of the other
 * rewards. Keeps each component's raw scores of the last call for metrics; closes the reward models
 * it loaded.
 */
public final class CombinedReward implements RewardFunction, AutoCloseable {

    /** One function of the sum, or a gate. */
    record Component(String name, double weight, RewardFunction function, boolean gate) {
    }

    private final List<Component> parts;
    private final List<RewardBundle> owned;
    private Map<String, float[]> last = Map.of();

    CombinedReward(List<Component> parts, List<RewardBundle> owned) {
        this.parts = List.copyOf(parts);
        this.owned = List.copyOf(owned);
    }

    /** The sum and the gates, summed in double. */
    @Override
    public float[] score(RewardInput in) {
        return score(in, null);
    }

    /**
     * As {@link #score(RewardInput)}, with {@code base[i]} added to the sum before the gates (PPO: the
     * reward model's normalised score); null adds nothing.
     */
    public float[] score(RewardInput in, float[] base) {
        double[] sum = new double[in.size()];
        if (base != null) {
            if (base.length != sum.length) {
                throw new IllegalArgumentException(base.length + " base scores for " + sum.length + " rows");
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] = base[i];
            }
        }
        Map<String, float[]> raw = new LinkedHashMap<>();
        for (Component c : parts) {
            raw.put(c.name(), scoreOf(c, in));
        }
        for (Component c : parts) {
            if (!c.gate()) {
                float[] s = raw.get(c.name());
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += c.weight() * s[i];
                }
            }
        }
        boolean[] failed = new boolean[sum.length];
        for (Component c : parts) {
            if (c.gate()) {
                float[] s = raw.get(c.name());
                for (int i = 0; i < sum.length; i++) {
                    if (!(s[i] > 0)) {
                        sum[i] = failed[i] ? Math.min(sum[i], c.weight()) : c.weight();
                        failed[i] = true;
                    }
                }
            }
        }
        last = Collections.unmodifiableMap(raw);
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }

    private static float[] scoreOf(Component c, RewardInput in) {
        float[] s = c.function().score(in);
        if (s.length != in.size()) {
            throw new IllegalStateException(c.name() + " gave " + s.length + " scores for " + in.size() + " rows");
        }
        return s.clone();
    }

    /** Unique metric names in spec order; a repeated name gets {@code _2}, {@code _3}. */
    public List<String> names() {
        return parts.stream().map(Component::name).toList();
    }

    /** The weights in spec order (a gate's is the reward of a row that fails it). */
    public List<Double> weights() {
        return parts.stream().map(Component::weight).toList();
    }

    /** Name to raw (unweighted) scores of the last {@link #score} call; empty before the first. */
    @Override
    public Map<String, float[]> lastComponents() {
        return last;
    }

    @Override
    public void close() {
        owned.forEach(RewardBundle::close);
    }
}
