# shellcheck shell=sh
# Sourced by ./mvnw and ./spawnkit: makes JAVA_HOME point at a JDK >= 22 (spawnkit uses the final
# Foreign Function & Memory API), or stops with one line saying what to install.
# Order: JAVA_HOME if it qualifies, else the newest JDK >= 22 among the search directories, else
# none (the JDK of the `javac` on PATH counts as one of the candidates).
#
# SPAWNKIT_JDK_SEARCH (optional): a colon-separated list of directories to search instead of the
# usual ones; each is a JDK home or a directory holding JDK homes (like /usr/lib/jvm, or macOS's
# /Library/Java/JavaVirtualMachines whose JDKs keep their home in */Contents/Home). Set it empty to
# search nowhere but JAVA_HOME and PATH.
# POSIX sh: no `local`, so every helper variable starts with an underscore.

spawnkit_jdk_major() {
  # The JDK's `release` file names its version without starting a JVM: JAVA_VERSION="25.0.1"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 1
  _v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$_v" ] && printf '%s\n' "$_v"
}

# Remembers $1 in _best/_bestm if it is a JDK >= _need newer than the best so far.
spawnkit_consider_jdk() {
  [ -d "$1" ] || return 0
  _m=$(spawnkit_jdk_major "$1") || return 0
  if [ "$_m" -ge "$_need" ] && [ "$_m" -gt "$_bestm" ]; then _best=$1 _bestm=$_m; fi
}

spawnkit_find_jdk() {
  _need=22
  if [ -n "${JAVA_HOME-}" ]; then
    _m=$(spawnkit_jdk_major "$JAVA_HOME") && [ "$_m" -ge "$_need" ] && return 0
  fi
  _search=${SPAWNKIT_JDK_SEARCH-/usr/lib/jvm:/usr/java:/opt/java:/opt:/Library/Java/JavaVirtualMachines:${HOME-}/.sdkman/candidates/java:${HOME-}/.jdks:${HOME-}/.local/share/mise/installs/java}
  # the caller may have switched globbing off (set -f); the search needs it for a moment
  case $- in *f*) _noglob=1; set +f ;; *) _noglob= ;; esac
  _best= _bestm=0 _ifs=$IFS
  IFS=:
  for _d in $_search; do
    IFS=$_ifs
    [ -n "$_d" ] || continue
    spawnkit_consider_jdk "$_d"
    for _c in "$_d"/* "$_d"/*/Contents/Home; do spawnkit_consider_jdk "$_c"; done
  done
  IFS=$_ifs
  [ -z "$_noglob" ] || set -f
  _javac=$(command -v javac 2>/dev/null) && _javac=$(readlink -f "$_javac" 2>/dev/null) \
    && spawnkit_consider_jdk "$(dirname "$(dirname "$_javac")")"
  if [ -n "$_best" ]; then
    JAVA_HOME=$_best
    export JAVA_HOME
    return 0
  fi
  if [ -z "${JAVA_HOME-}" ]; then _why="JAVA_HOME is unset"
  elif _m=$(spawnkit_jdk_major "$JAVA_HOME"); then _why="JAVA_HOME is JDK $_m ($JAVA_HOME)"
  else _why="JAVA_HOME ($JAVA_HOME) is not a JDK"
  fi
  echo "spawnkit needs a JDK 22 or newer (25 LTS recommended) and found none: $_why; searched ${_search:-nowhere} and the javac on PATH. Install one (for example Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}

spawnkit_find_jdk || exit 1
