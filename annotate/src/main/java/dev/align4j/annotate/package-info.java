/**
 * Preference annotation: pairs to label ({@link dev.align4j.annotate.PairFile}), the append-only
 * label log ({@link dev.align4j.annotate.LabelLog}), the terminal session
 * ({@link dev.align4j.annotate.Session}), automatic judges ({@link dev.align4j.annotate.JudgeRun}),
 * agreement statistics ({@link dev.align4j.annotate.LabelStats}) and export to training data
 * ({@link dev.align4j.annotate.Exporter}).
 */
package dev.align4j.annotate;
