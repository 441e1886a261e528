# Sourced (POSIX sh) by ./mvnw and ./village: makes JAVA_HOME point at a JDK 25 or newer.
# Order: $JAVA_HOME, the `java` on PATH, then /usr/lib/jvm/*25* and any other JDK under /usr/lib/jvm.
# Prints one clear message and returns 1 when there is none.

aiv_java_major() {
  # The major version of the java binary $1, e.g. 25 for 'openjdk version "25.0.1"'.
  "$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

aiv_is_jdk25() {
  # True when directory $1 holds a JDK (java and javac) of version 25 or newer.
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  aiv_major=$(aiv_java_major "$1/bin/java")
  [ -n "$aiv_major" ] && [ "$aiv_major" -ge 25 ]
}

aiv_find_jdk25() {
  if [ -n "${JAVA_HOME-}" ] && aiv_is_jdk25 "$JAVA_HOME"; then return 0; fi
  aiv_java=$(command -v java 2>/dev/null || true)
  if [ -n "$aiv_java" ]; then
    aiv_home=$(dirname "$(dirname "$(readlink -f "$aiv_java")")")
    if aiv_is_jdk25 "$aiv_home"; then JAVA_HOME=$aiv_home; export JAVA_HOME; return 0; fi
  fi
  # mvnw runs with `set -f`; globbing is needed here and restored afterwards.
  case $- in *f*) aiv_noglob=1; set +f ;; *) aiv_noglob=0 ;; esac
  for aiv_home in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if aiv_is_jdk25 "$aiv_home"; then
      JAVA_HOME=$aiv_home; export JAVA_HOME
      [ "$aiv_noglob" = 1 ] && set -f
      return 0
    fi
  done
  [ "$aiv_noglob" = 1 ] && set -f
  echo "error: AIVillage needs a JDK 25 and none was found (checked JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
  echo "       Install Temurin 25 (https://adoptium.net, or 'apt-get install temurin-25-jdk' from the Adoptium apt repository)" >&2
  echo "       or set JAVA_HOME to a JDK 25 directory." >&2
  return 1
}

aiv_find_jdk25
