/**
 * Metrics sinks that are not JSONL: TensorBoard event files ({@link dev.align4j.core.metrics.TensorBoardWriter},
 * TFRecord framing, protobuf events generated from {@code src/main/protobuf}).
 */
package dev.align4j.core.metrics;
