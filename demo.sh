#!/usr/bin/env bash
# mobilevpn demo: builds the runtime if needed, starts a strongSwan gateway in a sandbox of network
# namespaces, starts the mobilevpn runtime as a daemon in the client namespace with a profile for
# that gateway, and shows its status. Everything stays inside the namespaces it creates:
#   mvpn-demo-cl   the client (this gateway device):  198.51.100.2/24
#   mvpn-demo-gw   the VPN gateway (strongSwan):     198.51.100.1/24, LAN 203.0.113.1/24
#   mvpn-demo-lan  a host on the LAN behind it:       203.0.113.2/24
# Usage: sudo ./demo.sh          set up, show the status, then the runtime's Gogo console; leaving the
#                                console (Ctrl-D or exit) stops everything and removes the sandbox
#        sudo ./demo.sh --batch  the same without the console: exits after the status
#        sudo ./demo.sh stop     remove a sandbox left behind (e.g. after kill -9 of the demo)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
work=$root/target/demo
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (sudo ./demo.sh): it creates network namespaces" >&2; exit 1; }

stop_demo() {
  for ns in mvpn-demo-cl mvpn-demo-gw mvpn-demo-lan; do
    if ip netns list | grep -qw "$ns"; then
      for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null || true; done
      # the runtime deletes its IKE SA at the gateway on SIGTERM: give it a few seconds
      for _ in $(seq 50); do [ -z "$(ip netns pids "$ns")" ] && break; sleep 0.1; done
      for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$ns"
    fi
    rm -rf "/etc/netns/$ns"
  done
}
case "${1:-}" in
  stop) stop_demo; echo "demo: stopped, sandbox removed"; exit 0 ;;
  --batch) batch=true ;;
  "") batch=false ;;
  *) echo "usage: sudo ./demo.sh [--batch | stop]" >&2; exit 2 ;;
esac

scripts/install-deps.sh
if [ ! -x runtime/target/mobilevpn/bin/mobilevpn ]; then
  echo "demo: building (first run only)..."
  mvn -B -q -ntp -DskipTests install
fi

stop_demo
trap 'stop_demo; echo "demo: stopped, sandbox removed"' EXIT
echo "demo: sandbox"
for ns in mvpn-demo-cl mvpn-demo-gw mvpn-demo-lan; do
  ip netns add "$ns"; ip -n "$ns" link set lo up
  mkdir -p "/etc/netns/$ns"; : > "/etc/netns/$ns/resolv.conf"   # DNS changes land here, not in /etc
done
ip link add mvpn-demo-c0 netns mvpn-demo-cl type veth peer name mvpn-demo-g0 netns mvpn-demo-gw
ip link add mvpn-demo-g1 netns mvpn-demo-gw type veth peer name mvpn-demo-l0 netns mvpn-demo-lan
ip -n mvpn-demo-cl addr add 198.51.100.2/24 dev mvpn-demo-c0; ip -n mvpn-demo-cl link set mvpn-demo-c0 up
ip -n mvpn-demo-gw addr add 198.51.100.1/24 dev mvpn-demo-g0; ip -n mvpn-demo-gw link set mvpn-demo-g0 up
ip -n mvpn-demo-gw addr add 203.0.113.1/24 dev mvpn-demo-g1; ip -n mvpn-demo-gw link set mvpn-demo-g1 up
ip -n mvpn-demo-lan addr add 203.0.113.2/24 dev mvpn-demo-l0; ip -n mvpn-demo-lan link set mvpn-demo-l0 up
ip -n mvpn-demo-lan route add default via 203.0.113.1
ip netns exec mvpn-demo-gw sysctl -qw net.ipv4.ip_forward=1

echo "demo: strongSwan gateway"
rm -rf "$work"; mkdir -p "$work/gw/run" "$work/gw/swanctl"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
psk=$(head -c 18 /dev/urandom | base64)
cat > "$work/gw/strongswan.conf" <<CONF
charon {
  load = random nonce aes sha1 sha2 hmac gcm chapoly curve25519 x509 pubkey pkcs1 pem openssl gmp kdf drbg attr kernel-libipsec kernel-netlink resolve socket-default vici updown
  plugins {
    vici {
      socket = unix://$work/gw/charon.vici
    }
    resolve {
      file = $work/gw/resolv.conf
    }
  }
  filelog {
    demo {
      path = $work/gw/charon.log
      default = 1
      flush_line = yes
    }
  }
}
swanctl {
  socket = unix://$work/gw/charon.vici
}
CONF
cat > "$work/gw/swanctl/swanctl.conf" <<CONF
connections {
  rw {
    version = 2
    local_addrs = 198.51.100.1
    proposals = aes256gcm16-prfsha384-x25519, aes128gcm16-prfsha256-ecp256
    pools = rw_pool
    local {
      auth = psk
      id = gw.vpn.test
    }
    remote {
      auth = psk
      id = client@vpn.test
    }
    children {
      rw {
        local_ts = 203.0.113.0/24
        esp_proposals = aes256gcm16, aes128gcm16
      }
    }
  }
}
pools {
  rw_pool {
    addrs = 198.18.0.0/24
    dns = 203.0.113.53
  }
}
secrets {
  ike-demo {
    id-gw = gw.vpn.test
    id-client = client@vpn.test
    secret = "$psk"
  }
}
CONF
ip netns exec mvpn-demo-gw unshare -m sh -c \
  "mount --bind $work/gw/run /run && exec env STRONGSWAN_CONF=$work/gw/strongswan.conf /usr/lib/ipsec/charon" \
  > "$work/gw/charon.out" 2>&1 &
for _ in $(seq 50); do [ -S "$work/gw/charon.vici" ] && break; sleep 0.2; done
STRONGSWAN_CONF=$work/gw/strongswan.conf SWANCTL_DIR=$work/gw/swanctl swanctl --load-all >/dev/null

echo "demo: mobilevpn runtime in the client namespace"
cp -a runtime/target/mobilevpn "$work/mobilevpn"
rm -rf "$work/mobilevpn/data"
umask 077
cat > "$work/mobilevpn/etc/org.mobilevpn.profile-demo.cfg" <<CONF
name = demo
remote_addrs = 198.51.100.1
local_id = client@vpn.test
remote_id = gw.vpn.test
auth = psk
psk = $psk
ike_proposals = aes256gcm16-prfsha384-x25519
esp_proposals = aes256gcm16
remote_ts = 203.0.113.0/24
vips = 0.0.0.0
encap = true
autostart = true
CONF
ip netns exec mvpn-demo-cl "$work/mobilevpn/bin/mobilevpn" --daemon > "$work/mobilevpn.out" 2>&1 &
mvpn() { "$work/mobilevpn/bin/mobilevpn" "$@"; }
for _ in $(seq 120); do mvpn exec vpn:health >/dev/null 2>&1 && break; sleep 0.5; done

echo
echo "== runtime health (bin/mobilevpn exec vpn:health)"
mvpn exec vpn:health
echo "== the profile as ConfigAdmin holds it (bin/mobilevpn exec 'vpn:configs profile')"
mvpn exec 'vpn:configs profile'
if mvpn exec vpn:status >/dev/null 2>&1; then
  for _ in $(seq 30); do mvpn status demo | grep -q CONNECTED && break; sleep 1; done
  echo "== ping through the tunnel: client -> 203.0.113.2, a host on the LAN behind the gateway"
  ip netns exec mvpn-demo-cl ping -c 3 -i 0.3 -W 2 203.0.113.2 || echo "demo: ping failed"
  echo "== connection status (bin/mobilevpn status demo)"
  mvpn status demo
else
  echo "== this build has no Policy Manager: the profile is stored, no tunnel is brought up"
fi
echo "== the gateway's view (swanctl --list-sas)"
STRONGSWAN_CONF=$work/gw/strongswan.conf swanctl --list-sas
echo
if [ "$batch" = false ]; then
  echo
  echo "== the Gogo console of the runtime in the client namespace: try vpn:status, vpn:sas, vpn:events,"
  echo "   vpn:down demo, vpn:up demo, lb. Ctrl-D or exit leaves, stops everything and removes the sandbox."
  mvpn console || true
fi
