/** Data file formats: streaming JSON/JSONL(.gz) reading into typed records that know their file and line. */
package dev.align4j.datasets.format;
