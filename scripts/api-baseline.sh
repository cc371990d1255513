#!/usr/bin/env bash
# The api bundle's baseline: the last released org.mobilevpn.api jar, kept in baseline/repository (a
# Maven repository inside the repo), against which bnd's baseline plugin checks every build's package
# versions (baseline/README.md says why and when to release).
#
#   scripts/api-baseline.sh release [COMMIT]  build the api bundle of COMMIT (default HEAD, committed
#                                             state only) and record it as the baseline
#   scripts/api-baseline.sh check             rebuild the recorded commit and compare it with the jar
#                                             kept in baseline/repository, byte for byte
#
# The jar is built reproducibly (entry times and the qualifier from the commit's date), so "check"
# proves that the committed binary is exactly what its commit builds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
repo="$root/baseline/repository/org/mobilevpn/org.mobilevpn.api"
record="$root/baseline/api-release.properties"

build() { # COMMIT OUTDIR: builds the api jar of COMMIT in a temporary worktree, copies it to OUTDIR/api.jar
  local commit=$1 out=$2 tree stamp
  tree=$(mktemp -d /tmp/mvpn-api-baseline.XXXXXX)
  git worktree add --detach --quiet "$tree" "$commit"
  stamp=$(git show -s --format=%cI "$commit")
  # -Dbnd.baseline.skip: the commit's own baseline check is not what is being built here
  if ! (cd "$tree" && mvn -B -ntp -q package -pl bundles/api -DskipTests -Dbnd.baseline.skip=true \
          -Dproject.build.outputTimestamp="$stamp"); then
    git worktree remove --force "$tree"
    return 1
  fi
  cp "$tree"/bundles/api/target/org.mobilevpn.api-*.jar "$out/api.jar"
  git worktree remove --force "$tree"
}

bundle_version() { # JAR: Bundle-Version without qualifier
  unzip -p "$1" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Bundle-Version: *//p' | cut -d. -f1-3
}

case "${1:-}" in
  release)
    commit=$(git rev-parse --verify "${2:-HEAD}^{commit}")
    work=$(mktemp -d)
    build "$commit" "$work"
    version=$(bundle_version "$work/api.jar")
    if [ -e "$repo/$version" ]; then
      echo "baseline: org.mobilevpn.api $version is released already: raise Bundle-Version in bundles/api/bnd.bnd" >&2
      exit 1
    fi
    mkdir -p "$repo/$version"
    cp "$work/api.jar" "$repo/$version/org.mobilevpn.api-$version.jar"
    cat > "$repo/$version/org.mobilevpn.api-$version.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.mobilevpn</groupId>
  <artifactId>org.mobilevpn.api</artifactId>
  <version>$version</version>
  <description>The api bundle as built from commit $commit (baseline for bnd's baseline plugin)</description>
</project>
EOF
    printf 'version=%s\ncommit=%s\n' "$version" "$commit" > "$record"
    sed -i "s#<mobilevpn.api.baseline>[^<]*</mobilevpn.api.baseline>#<mobilevpn.api.baseline>$version</mobilevpn.api.baseline>#" \
      bundles/api/pom.xml
    rm -rf "$work"
    echo "baseline: org.mobilevpn.api $version from $commit (commit baseline/ and bundles/api/pom.xml)"
    ;;
  check)
    version=$(sed -n 's/^version=//p' "$record")
    commit=$(sed -n 's/^commit=//p' "$record")
    work=$(mktemp -d)
    build "$commit" "$work"
    if cmp -s "$work/api.jar" "$repo/$version/org.mobilevpn.api-$version.jar"; then
      echo "baseline: org.mobilevpn.api $version is exactly what $commit builds"
      rm -rf "$work"
    else
      echo "baseline: org.mobilevpn.api $version differs from what $commit builds ($work/api.jar)" >&2
      exit 1
    fi
    ;;
  *)
    sed -n '2,12p' "$0" >&2
    exit 2
    ;;
esac
