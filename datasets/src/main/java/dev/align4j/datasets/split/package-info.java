/** Deterministic train/validation/test splits and weighted mixing of data sets. */
package dev.align4j.datasets.split;
