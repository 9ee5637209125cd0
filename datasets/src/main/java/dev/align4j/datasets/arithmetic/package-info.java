/** The arithmetic task (verifiable rewards): problem generator, answer normalisation, the exact-match judge. */
package dev.align4j.datasets.arithmetic;
