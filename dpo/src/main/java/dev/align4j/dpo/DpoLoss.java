package dev.align4j.dpo;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.math.Ops;

/**
 * Preference losses as pure functions of per-sequence log-probabilities. Every input is (B); the
 * result holds per-pair losses (B) and the implicit rewards TRL reports. Callers pass summed
 * log-probs for SIGMOID, HINGE, ROBUST, and per-token averages for IPO, SIMPO, ORPO (see
 * {@link DpoLossType#lengthNormalised()}).
 *
 * <p>Delta = (pi_c - ref_c) - (pi_r - ref_r): how much more the policy prefers the chosen response
 * than the reference does.
 */
public final class DpoLoss {

    private DpoLoss() {}

    /**
     * @param losses (B) per-pair loss; the training loss is its mean
     * @param chosenRewards (B) beta * (pi_c - ref_c) (reference-free losses: beta * pi_c)
     * @param rejectedRewards (B) beta * (pi_r - ref_r)
     */
    public record Result(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {}

    /** Hyper-parameters a loss may read. */
    public record Params(double beta, double labelSmoothing, double simpoGamma) {
        public static Params of(double beta) {
            return new Params(beta, 0, 0.5);
        }
    }

    /** Dispatches on {@code type} for the paired losses (everything but KTO and ORPO's NLL part). */
    public static Result paired(DpoLossType type, Params p, NDArray piC, NDArray piR, NDArray refC,
            NDArray refR) {
        return switch (type) {
            case SIGMOID -> sigmoid(piC, piR, refC, refR, p.beta(), p.labelSmoothing());
            case HINGE -> hinge(piC, piR, refC, refR, p.beta());
            case IPO -> ipo(piC, piR, refC, refR, p.beta());
            case ROBUST -> robust(piC, piR, refC, refR, p.beta(), p.labelSmoothing());
            case SIMPO -> simpo(piC, piR, p.beta(), p.simpoGamma());
            case ORPO -> orpoOddsRatio(piC, piR, p.beta());
            case KTO -> throw new IllegalArgumentException("KTO is unpaired: use DpoLoss.kto");
        };
    }

    private static NDArray delta(NDArray piC, NDArray piR, NDArray refC, NDArray refR) {
        return piC.sub(refC).sub(piR.sub(refR));
    }

    private static Result withRewards(NDArray losses, NDArray piC, NDArray piR, NDArray refC,
            NDArray refR, double beta) {
        return new Result(losses, Ops.mul(piC.sub(refC), beta).stopGradient(),
                Ops.mul(piR.sub(refR), beta).stopGradient());
    }

    /**
     * DPO: -(1 - eps) log sigmoid(beta Delta) - eps log sigmoid(-beta Delta). eps = 0 is the paper's
     * loss; eps > 0 is conservative DPO (labels flipped with probability eps).
     */
    public static Result sigmoid(NDArray piC, NDArray piR, NDArray refC, NDArray refR, double beta,
            double eps) {
        NDArray z = Ops.mul(delta(piC, piR, refC, refR), beta);
        NDArray losses = Ops.mul(Ops.logSigmoid(z), -(1 - eps));
        if (eps > 0) {
            losses = losses.sub(Ops.mul(Ops.logSigmoid(z.neg()), eps));
        }
        return withRewards(losses, piC, piR, refC, refR, beta);
    }

    /** Hinge: max(0, 1 - beta Delta). */
    public static Result hinge(NDArray piC, NDArray piR, NDArray refC, NDArray refR, double beta) {
        NDArray losses = Ops.maximum(Ops.mul(delta(piC, piR, refC, refR), -beta).add(1), 0);
        return withRewards(losses, piC, piR, refC, refR, beta);
    }

    /** IPO: (Delta - 1/(2 beta))^2, Delta on per-token averaged log-probs. */
    public static Result ipo(NDArray piC, NDArray piR, NDArray refC, NDArray refR, double beta) {
        NDArray losses = delta(piC, piR, refC, refR).sub(1 / (2 * beta)).square();
        return withRewards(losses, piC, piR, refC, refR, beta);
    }

    /**
     * Robust DPO: ((1 - eps) * -log sigmoid(beta Delta) + eps * log sigmoid(-beta Delta)) /
     * (1 - 2 eps), an unbiased estimate of the clean-label loss when labels flip with rate eps.
     */
    public static Result robust(NDArray piC, NDArray piR, NDArray refC, NDArray refR, double beta,
            double eps) {
        if (eps < 0 || eps >= 0.5) {
            throw new IllegalArgumentException("label_smoothing must be in [0, 0.5): " + eps);
        }
        NDArray z = Ops.mul(delta(piC, piR, refC, refR), beta);
        NDArray losses = Ops.div(Ops.mul(Ops.logSigmoid(z), -(1 - eps))
                .add(Ops.mul(Ops.logSigmoid(z.neg()), eps)), 1 - 2 * eps);
        return withRewards(losses, piC, piR, refC, refR, beta);
    }

    /** SimPO: -log sigmoid(beta (avg_c - avg_r) - gamma); rewards are beta * avg log-probs. */
    public static Result simpo(NDArray avgC, NDArray avgR, double beta, double gamma) {
        NDArray losses = Ops.logSigmoid(Ops.mul(avgC.sub(avgR), beta).sub(gamma)).neg();
        return new Result(losses, Ops.mul(avgC, beta).stopGradient(), Ops.mul(avgR, beta).stopGradient());
    }

    /**
     * ORPO's odds-ratio term: -beta * log sigmoid(log odds(c) - log odds(r)), odds(y) = p / (1 - p)
     * with p = exp(avg log-prob). Add the chosen responses' NLL for the full ORPO loss.
     */
    public static Result orpoOddsRatio(NDArray avgC, NDArray avgR, double beta) {
        NDArray logOdds = avgC.sub(avgR).sub(Ops.log1mExp(avgC).sub(Ops.log1mExp(avgR)));
        NDArray losses = Ops.mul(Ops.logSigmoid(logOdds), -beta);
        return new Result(losses, Ops.mul(avgC, beta).stopGradient(), Ops.mul(avgR, beta).stopGradient());
    }

    /**
     * KTO on unpaired examples: desirable ones lose lambdaD * (1 - sigmoid(beta (r - z))), undesirable
     * ones lambdaU * (1 - sigmoid(beta (z - r))), with r = pi - ref and z the reference point (a
     * detached, non-negative estimate of KL(policy || reference)).
     *
     * @param pi (B) policy log-probs of the completions
     * @param ref (B) reference log-probs
     * @param desirable (B) 1 for desirable, 0 for undesirable
     * @param kl the reference point z (a Java number: it carries no gradient)
     */
    public static NDArray kto(NDArray pi, NDArray ref, NDArray desirable, double kl, double beta,
            double lambdaD, double lambdaU) {
        NDArray r = pi.sub(ref);
        NDArray d = desirable.toType(r.getDataType(), false);
        NDArray lossD = Ops.mul(Ops.sigmoid(Ops.mul(r.sub(kl), beta)).neg().add(1), lambdaD);
        NDArray lossU = Ops.mul(Ops.sigmoid(Ops.mul(r.neg().add(kl), beta)).neg().add(1), lambdaU);
        return lossD.mul(d).add(lossU.mul(d.neg().add(1)));
    }
}
