# Sourced by ./reprise and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or explains what to install.
# why: the machine's default java may be older than 21 (e.g. 17), and Maven needs a JDK, not a JRE.

reprise_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.[^"]*\)\{0,1\}".*/\1/p' | head -n 1
}

reprise_is_jdk21() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major=$(reprise_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

# Maven 3.9 on JDK 24+ prints sun.misc.Unsafe warnings from its own libraries; they are not ours to fix.
reprise_quiet_maven() {
  if [ "$(reprise_java_major "$JAVA_HOME")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

reprise_find_jdk() {
  reprise_find_jdk_home && reprise_quiet_maven
}

reprise_find_jdk_home() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && reprise_is_jdk21 "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if reprise_is_jdk21 "$candidate"; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  # Newest first, so that a JDK 25 beats a JDK 21 when both are installed.
  for candidate in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
    if reprise_is_jdk21 "$candidate"; then export JAVA_HOME="$candidate"; return 0; fi
  done
  cat >&2 <<'MSG'
reprise needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /opt/java,
~/.sdkman and ~/.jdks). Install one, then run this again, for example:
  Debian/Ubuntu:  apt-get install openjdk-21-jdk-headless
  macOS:          brew install --cask temurin@21
  any system:     https://adoptium.net (Temurin 21 or 25), then export JAVA_HOME=<its folder>
MSG
  return 1
}
