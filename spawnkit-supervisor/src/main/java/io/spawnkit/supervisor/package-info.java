/**
 * The helper-process supervisor: named helpers side by side, their lines in SLF4J, restart policies,
 * readiness, dependency order and whole-group stops. Start with {@link io.spawnkit.supervisor.Supervisor}.
 */
package io.spawnkit.supervisor;
