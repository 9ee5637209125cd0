package dev.align4j.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.align4j.core.math.Ops;
import dev.align4j.core.train.StepOutput;

/**
 * Turns per-sequence log-probs into the training loss and TRL's metrics for one batch; the losses
 * themselves are {@link DpoLoss}'s. Inputs are laid out as {@link PairBatch}: {@code [sums (2B),
 * counts (2B)]}, chosen rows first.
 *
 * <p>Metrics (TRL names): {@code rewards/chosen}, {@code rewards/rejected} (mean implicit rewards),
 * {@code rewards/accuracies} (share of pairs with chosen reward above rejected),
 * {@code rewards/margins}, {@code logps/chosen}, {@code logps/rejected} (mean <em>summed</em> reply
 * log-probs of the policy, whatever the loss uses: a fall in both is the collapse TASK.md warns
 * about); ORPO and rpo_alpha &gt; 0 add {@code nll_loss}, KTO {@code kl}.
 */
final class DpoObjective {

    private final DpoLossType type;
    private final DpoConfig cfg;

    DpoObjective(DpoConfig cfg) {
        this.type = cfg.lossType();
        this.cfg = cfg;
    }

    /**
     * @param policy the policy's {@code [sums, counts]} (with gradient)
     * @param reference the reference's, or null for reference-free losses
     * @param labels (B) KTO labels
     * @param prefix "" in training, "eval_" in evaluation
     */
    StepOutput compute(NDArray[] policy, NDArray[] reference, NDArray labels, String prefix) {
        if (type == DpoLossType.KTO) {
            return kto(policy, reference, labels, prefix);
        }
        NDArray[] pi = halves(policy[0]); // chosen (B), rejected (B)
        NDArray[] piN = halves(policy[1]);
        NDArray piC = pi[0];
        NDArray piR = pi[1];
        NDArray refC = null;
        NDArray refR = null;
        if (type.needsReference()) {
            NDArray[] ref = halves(reference[0]);
            refC = ref[0];
            refR = ref[1];
        }
        if (type.lengthNormalised()) {
            NDArray[] n = piN;
            piC = piC.div(n[0].maximum(1f));
            piR = piR.div(n[1].maximum(1f));
            if (refC != null) {
                NDArray[] rn = halves(reference[1]);
                refC = refC.div(rn[0].maximum(1f));
                refR = refR.div(rn[1].maximum(1f));
            }
        }
        DpoLoss.Result r = DpoLoss.paired(type, cfg.lossParams(), piC, piR, refC, refR);
        NDArray loss = r.losses().mean();
        StepOutput out;
        double nllWeight = type == DpoLossType.ORPO ? 1.0 : cfg.rpoAlpha();
        if (nllWeight > 0) {
            // ORPO = NLL of the chosen replies (mean token cross-entropy) + the odds-ratio term;
            // RPO = the preference loss + rpo_alpha x the same NLL
            NDArray nll = pi[0].sum().neg().div(piN[0].sum().maximum(1f));
            loss = loss.add(nllWeight == 1.0 ? nll : Ops.mul(nll, nllWeight));
            out = StepOutput.of(loss).metric(prefix + "nll_loss", nll.stopGradient());
        } else {
            out = StepOutput.of(loss);
        }
        NDArray c = r.chosenRewards();
        NDArray rj = r.rejectedRewards();
        return out.metric(prefix + "rewards/chosen", c.mean())
                .metric(prefix + "rewards/rejected", rj.mean())
                .metric(prefix + "rewards/accuracies", c.gt(rj).toType(DataType.FLOAT32, false).mean())
                .metric(prefix + "rewards/margins", c.sub(rj).mean())
                .metric(prefix + "logps/chosen", pi[0].stopGradient().mean())
                .metric(prefix + "logps/rejected", pi[1].stopGradient().mean());
    }

    /**
     * KTO: chosen rows are each example's own completion, rejected rows the mismatched one (see
     * {@link DpoData}). z = max(0, mean over the batch of (pi - ref) on the mismatched pairs),
     * detached, as TRL's KTOTrainer estimates it.
     */
    private StepOutput kto(NDArray[] policy, NDArray[] reference, NDArray labels, String prefix) {
        NDArray[] pi = halves(policy[0]);
        NDArray[] ref = halves(reference[0]);
        double z = Math.max(0, pi[1].stopGradient().sub(ref[1]).mean().getFloat());
        NDArray losses = DpoLoss.kto(pi[0], ref[0], labels, z, cfg.beta(), cfg.desirableWeight(),
                cfg.undesirableWeight());
        NDArray rewards = pi[0].stopGradient().sub(ref[0]).mul((float) (double) cfg.beta());
        NDArray d = labels;
        NDArray u = labels.neg().add(1f);
        NDArray logps = pi[0].stopGradient();
        NDArray chosenReward = maskedMean(rewards, d);
        NDArray rejectedReward = maskedMean(rewards, u);
        return StepOutput.of(losses.mean())
                .metric(prefix + "rewards/chosen", chosenReward)
                .metric(prefix + "rewards/rejected", rejectedReward)
                .metric(prefix + "rewards/margins", chosenReward.sub(rejectedReward))
                .metric(prefix + "logps/chosen", maskedMean(logps, d))
                .metric(prefix + "logps/rejected", maskedMean(logps, u))
                .metric(prefix + "kl", z);
    }

    /** (2B) -> {first B, last B}: chosen rows, rejected rows. */
    private static NDArray[] halves(NDArray x) {
        return x.split(2, 0).toArray(new NDArray[0]);
    }

    /** Mean of {@code x} where {@code mask} is 1; 0 when the batch has none. */
    private static NDArray maskedMean(NDArray x, NDArray mask) {
        return x.mul(mask).sum().div(mask.sum().maximum(1f));
    }
}
