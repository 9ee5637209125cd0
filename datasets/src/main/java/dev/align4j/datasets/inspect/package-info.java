/** Data set reports: counts, token length percentiles, truncation, rendered examples with masks marked. */
package dev.align4j.datasets.inspect;
