/** Descriptive statistics (mean, std, median, percentiles) and proportion intervals, one implementation for every report. */
package dev.align4j.core.stats;
