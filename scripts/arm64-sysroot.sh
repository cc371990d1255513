#!/usr/bin/env bash
# Prepares DIR as an arm64 (aarch64) root with Debian's OpenJDK 17 and OpenSSL's libcrypto, for running the
# runtime under qemu-user (Arm64QemuIT, -Dmvpn.arm64=true). No multiarch: the .debs are fetched with a private
# apt list of the arm64 archive and unpacked, nothing arm64 is installed on the host. Installs
# qemu-user-static when it is missing. Idempotent: an existing DIR with its java is kept.
#   sudo scripts/arm64-sysroot.sh /var/tmp/mobilevpn-arm64
set -euo pipefail
dir=${1:?usage: arm64-sysroot.sh DIR}
java=$dir/usr/lib/jvm/java-17-openjdk-arm64/bin/java
if [ -x "$java" ] && [ -e "$dir/usr/lib/aarch64-linux-gnu/libcrypto.so.3" ]; then
  exit 0
fi
if ! command -v qemu-aarch64-static >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null
fi
apt_dir=$dir.apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$dir"
apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State::Lists="$apt_dir/lists"
  -o Dir::Cache::Archives="$apt_dir/archives" -o Debug::NoLocking=1)
apt-get "${apt_opts[@]}" update -qq
# the JVM and what libjvm/libjava link against; libssl3 brings libcrypto.so.3 for the AUTH signatures
(cd "$apt_dir/archives" && apt-get "${apt_opts[@]}" download -qq \
  openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g libssl3)
for deb in "$apt_dir"/archives/*.deb; do
  dpkg-deb -x "$deb" "$dir"
done
test -x "$java"
echo "arm64-sysroot: $dir ($(du -sh "$dir" | cut -f1))"
