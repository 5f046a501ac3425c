#!/usr/bin/env bash
# Builds the release archive target/reprise-VERSION-linux-ARCH.tar.gz: the jar and the libraries its
# manifest names, a Java runtime made with jlink from the JDK that runs the build, and bin/reprise, which
# runs the jar on that runtime. Maven's dist profile calls it once the jar is packaged (./reprise dist).
#   bin/dist.sh VERSION TARGET_DIR JDK_HOME
set -euo pipefail
version=$1
target=$2
jdk=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

case "$(uname -s)" in
  Linux) os=linux ;;
  *) echo "reprise dist: builds Linux archives only (this is $(uname -s))" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
name=reprise-$version
archive=$target/$name-$os-$arch.tar.gz
stage=$target/dist
release=$stage/$name

# What `jdeps --print-module-deps` finds in the jar and its libraries (java.desktop for java.beans,
# jdk.jfr and jdk.management for the JVM meters, java.security.jgss for the PostgreSQL driver), plus
# modules reached only through services, which jdeps cannot see: jdk.crypto.ec (EC keys and TLS when the
# runtime is a JDK 21), jdk.naming.dns and jdk.zipfs. it/DistTest runs the result without any other Java.
modules=java.base,java.desktop,java.management,java.naming,java.net.http,java.security.jgss,java.sql
modules=$modules,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

if [ ! -x "$jdk/bin/jlink" ]; then
  echo "reprise dist: $jdk has no jlink; build with a full JDK 21 or newer (JAVA_HOME)" >&2
  exit 1
fi
rm -rf "$stage" "$archive"
mkdir -p "$release/bin" "$release/lib"

# why: only the libraries the manifest names; target/lib keeps the jars of older dependency versions.
manifest=$(cd "$stage" && "$jdk/bin/jar" -xf "$target/reprise.jar" META-INF/MANIFEST.MF \
  && tr -d '\r' < META-INF/MANIFEST.MF && rm -rf META-INF)
classpath=$(printf '%s\n' "$manifest" | awk '/^Class-Path:/ { on = 1; sub(/^Class-Path: /, ""); printf "%s", $0; next }
  on && /^ / { sub(/^ /, ""); printf "%s", $0; next } { on = 0 }')
cp "$target/reprise.jar" "$release/"
for entry in $classpath; do
  cp "$target/$entry" "$release/$entry"
done

echo "reprise dist: linking a Java runtime with jlink ($("$jdk/bin/java" -version 2>&1 | head -n 1)) ..." >&2
if ! "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$release/runtime"; then
  echo "reprise dist: jlink failed; a JDK without its jmods (Debian: openjdk-21-jmods) cannot link a" \
    "runtime, Temurin 21 or newer can" >&2
  exit 1
fi
install -m 0755 "$root/src/dist/reprise" "$release/bin/reprise"
tar -C "$stage" -czf "$archive" "$name"
echo "reprise dist: $archive ($(du -h "$archive" | cut -f1))" >&2
