/** Chat templates: how conversations become text, built-in and from YAML files, serialisable to JSON. */
package dev.align4j.datasets.template;
