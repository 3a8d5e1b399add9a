/**
 * The helper-process supervisor: named helpers side by side, their lines in SLF4J, restart policies,
 * readiness, dependency order and whole-group stops. Built in the supervisor issue.
 */
package io.spawnkit.supervisor;
