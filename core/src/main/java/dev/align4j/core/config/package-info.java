/** Config loading (YAML or JSON file plus flag overrides into typed records) and the Ctrl-C flag. */
package dev.align4j.core.config;
