#!/usr/bin/env bash
# Writes the workspace as cargo needs it to build the dependencies alone: the lock file, every
# manifest, and an empty stand-in for each file cargo takes a target from (src/lib.rs,
# src/main.rs, src/bin/, benches/, tests/, examples/ and build.rs, by cargo's own layout rules;
# a manifest that names a target elsewhere must be added here, which .ci/deploy-check tells).
# The Dockerfile builds the dependencies from this skeleton: it changes only when a manifest,
# the lock file or the set of targets does, so editing the sources keeps that layer cached.
#
# Usage: skeleton.sh SOURCE_DIR SKELETON_DIR
set -euo pipefail

source_dir=${1:?usage: skeleton.sh SOURCE_DIR SKELETON_DIR}
skeleton_dir=${2:?usage: skeleton.sh SOURCE_DIR SKELETON_DIR}
mkdir -p "$skeleton_dir"
skeleton_dir=$(cd "$skeleton_dir" && pwd)
cd "$source_dir"
shopt -s nullglob

# Cargo's own settings, if the project ever has them, shape the build as much as the manifests.
cp Cargo.lock "$skeleton_dir/"
if [ -d .cargo ]; then cp -R .cargo "$skeleton_dir/"; fi

stub() { # FILE CONTENT
  mkdir -p "$skeleton_dir/$(dirname "$1")"
  printf '%s' "$2" >"$skeleton_dir/$1"
}

while IFS= read -r manifest; do
  manifest=${manifest#./}
  crate=$(dirname "$manifest")
  mkdir -p "$skeleton_dir/$crate"
  cp "$manifest" "$skeleton_dir/$manifest"
  [ "$crate" = . ] && prefix= || prefix="$crate/"
  # A library compiles from nothing; every other target needs a `main`.
  if [ -f "${prefix}src/lib.rs" ]; then stub "${prefix}src/lib.rs" ''; fi
  for target in "${prefix}"src/main.rs "${prefix}"build.rs \
    "${prefix}"src/bin/*.rs "${prefix}"src/bin/*/main.rs \
    "${prefix}"benches/*.rs "${prefix}"benches/*/main.rs \
    "${prefix}"tests/*.rs "${prefix}"tests/*/main.rs \
    "${prefix}"examples/*.rs "${prefix}"examples/*/main.rs; do
    if [ -f "$target" ]; then stub "$target" $'fn main() {}\n'; fi
  done
done < <(find . \( -name target -o -name node_modules -o -name .git \) -prune -o -name Cargo.toml -print | LC_ALL=C sort)
