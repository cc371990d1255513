#!/usr/bin/env bash
# Installs, on Debian, what building and testing mobilevpn needs: Java 17, Maven, strongSwan (the
# gateway the system tests run in network namespaces), the network and capture tools, the headless
# Chromium the browser tests drive, Mosquitto (the MQTT 5 broker and clients of the fleet tests), and
# systemd-analyze and setpriv for the systemd unit's test.
# (The slow arm64 test, -Dmvpn.arm64=true, installs qemu-user-static itself: scripts/arm64-sysroot.sh.)
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (sudo): apt-get is needed" >&2
  exit 1
fi
packages=(openjdk-17-jdk-headless maven iproute2 iputils-ping openssl python3-cryptography nftables conntrack iperf3 tcpdump tshark
  systemd util-linux
  chromium chromium-driver
  mosquitto mosquitto-clients
  strongswan-charon strongswan-swanctl strongswan-pki
  libcharon-extra-plugins libstrongswan-extra-plugins libstrongswan-standard-plugins)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture: they may not
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: installed ${missing[*]}"
fi
