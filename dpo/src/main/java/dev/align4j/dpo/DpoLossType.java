package dev.align4j.dpo;

/** Preference-optimisation losses; names as in TRL's {@code loss_type}. */
public enum DpoLossType {
    /** DPO (Rafailov et al. 2023): -log sigmoid(beta * Delta); with label smoothing it is cDPO. */
    SIGMOID,
    /** SLiC-style hinge (Zhao et al. 2023): relu(1 - beta * Delta). */
    HINGE,
    /** IPO (Azar et al. 2023): (Delta - 1/(2 beta))^2 on per-token averaged log-probs. */
    IPO,
    /** Robust DPO (Chowdhury et al. 2024): unbiased under label-flip rate eps. */
    ROBUST,
    /** SimPO (Meng et al. 2024): reference-free, length-normalised, target margin gamma. */
    SIMPO,
    /** ORPO (Hong et al. 2024): SFT loss on chosen plus an odds-ratio term, no reference. */
    ORPO,
    /** KTO (Ethayarajh et al. 2024): unpaired desirable / undesirable examples. */
    KTO;

    /** Whether the loss needs a reference model's log-probs. */
    public boolean needsReference() {
        return this != SIMPO && this != ORPO;
    }

    /** Whether the loss works on per-token averaged log-probs rather than sums. */
    public boolean lengthNormalised() {
        return this == IPO || this == SIMPO || this == ORPO;
    }
}
