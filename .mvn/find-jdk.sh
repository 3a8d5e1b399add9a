# shellcheck shell=sh
# Sourced by ./mvnw and ./spawnkit: makes JAVA_HOME point at a JDK >= 22 (spawnkit uses the final
# Foreign Function & Memory API), or stops with one line saying what to install.
# Order: JAVA_HOME if it qualifies, else the newest JDK >= 22 among the usual JVM directories,
# else the JDK of the `java` on PATH.

spawnkit_jdk_major() {
  # The JDK's `release` file names its version without starting a JVM: JAVA_VERSION="25.0.1"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 1
  _v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$_v" ] && printf '%s\n' "$_v"
}

spawnkit_find_jdk() {
  _need=22
  if [ -n "${JAVA_HOME-}" ]; then
    _m=$(spawnkit_jdk_major "$JAVA_HOME") && [ "$_m" -ge "$_need" ] && return 0
  fi
  _best= _bestm=0
  for _d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
    "$HOME"/.jdks/* "$HOME"/.local/share/mise/installs/java/* \
    "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -d "$_d" ] || continue
    _m=$(spawnkit_jdk_major "$_d") || continue
    if [ "$_m" -ge "$_need" ] && [ "$_m" -gt "$_bestm" ]; then _best=$_d _bestm=$_m; fi
  done
  if [ -n "$_best" ]; then
    JAVA_HOME=$_best
    export JAVA_HOME
    return 0
  fi
  echo "spawnkit needs a JDK 22 or newer (25 LTS recommended) and found none in JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm, /Library/Java/JavaVirtualMachines or ~/.sdkman: install one (for example Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}

spawnkit_find_jdk || exit 1
