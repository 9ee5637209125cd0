/** Batching: padding, attention masks, group-by-length, packing with segment ids and position restarts. */
package dev.align4j.datasets.batch;
