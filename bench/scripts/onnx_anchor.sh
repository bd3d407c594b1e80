#!/usr/bin/env bash
# ONNX Runtime as the same-run anchor of `jsora bench stdit` (issue 14): builds the bench module, exports one
# STDiT3-XL/2 block pair from the reference Open-Sora v1.2 module (TDTM off and on; export_stdit_pair_onnx.py), then
# times it with ONNX Runtime's Java API and runs jsora's pair at the same shapes in the same JVM
# (jsora.bench.OnnxStditAnchor), printing both times per pair and jsora / ORT.
#
#   OPENSORA=DIR bench/scripts/onnx_anchor.sh [--runs N] [--threads N] [--ort-warmup N] [--warmup SECONDS]
#
# OPENSORA: a checkout of github.com/hpcaitech/Open-Sora at tag v1.2.0 (the folder holding opensora/), or a clone of
#           it (bare or not) that has the tag, which is then exported to $ONNX_DIR/open-sora-v1.2.0.
# ONNX_DIR: where the two .onnx files (about 170 MB each) go (default /tmp). VENV: the Python environment
#           (default /tmp/jsora-onnx-venv). FRAMES, HEIGHT, WIDTH (latent), BATCH, TEXT: the shapes (default
#           On-device Sora's 256x256: 20, 32, 32, 2, 300). Other arguments go to OnnxStditAnchor (--help lists them).
# Needs Debian's python3-torch (installed with apt-get when missing and run as root), and einops, timm and
# rotary-embedding-torch, pip-installed into a venv that sees the system's packages (so Debian's torch 1.13 is used).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
onnx_dir=${ONNX_DIR:-/tmp}
venv=${VENV:-/tmp/jsora-onnx-venv}
shape=(--frames "${FRAMES:-20}" --height "${HEIGHT:-32}" --width "${WIDTH:-32}")
export_shape=("${shape[@]}" --batch "${BATCH:-2}" --text "${TEXT:-300}")
: "${OPENSORA:?set OPENSORA to a checkout (or clone) of hpcaitech/Open-Sora at v1.2.0}"

if [ ! -f "$OPENSORA/opensora/models/stdit/stdit3.py" ]; then
  git --git-dir="$(git -C "$OPENSORA" rev-parse --absolute-git-dir)" rev-parse -q --verify v1.2.0 >/dev/null \
    || { echo "$OPENSORA: neither a v1.2.0 checkout nor a clone with the tag v1.2.0" >&2; exit 1; }
  src="$onnx_dir/open-sora-v1.2.0"
  rm -rf "$src" && mkdir -p "$src"
  git --git-dir="$(git -C "$OPENSORA" rev-parse --absolute-git-dir)" archive v1.2.0 opensora | tar -x -C "$src"
  OPENSORA=$src
fi

# Debian's torch (timm imports torchvision; OpenBLAS, because the export runs the pair once and the reference BLAS
# takes minutes for it), and venv
apt_packages=()
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || apt_packages+=(python3-torch python3-torchvision)
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || apt_packages+=(python3-venv)
[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread ] || [ "$(uname -m)" != x86_64 ] || apt_packages+=(libopenblas0-pthread)
if [ ${#apt_packages[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "needs: apt-get install ${apt_packages[*]}" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt_packages[@]}"
fi
if ! "$venv/bin/python" -c 'import einops, timm, rotary_embedding_torch' 2>/dev/null; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install -q --no-deps einops timm rotary-embedding-torch
fi

cd "$root"
mvn -B -ntp -q -Dstyle.color=never -pl bench -am -DskipTests package
uptime
"$venv/bin/python" bench/scripts/export_stdit_pair_onnx.py --opensora "$OPENSORA" --out "$onnx_dir/stdit_pair.onnx" \
  "${export_shape[@]}"
"$venv/bin/python" bench/scripts/export_stdit_pair_onnx.py --opensora "$OPENSORA" --out "$onnx_dir/stdit_pair_tdtm.onnx" \
  "${export_shape[@]}" --tdtm
uptime
java --add-modules jdk.incubator.vector -cp "bench/target/classes:$(cat bench/target/anchor.classpath)" \
  jsora.bench.OnnxStditAnchor \
  --model "$onnx_dir/stdit_pair.onnx" --tdtm-model "$onnx_dir/stdit_pair_tdtm.onnx" "${shape[@]}" "$@" \
  2> >(grep -v 'Using incubator modules' >&2)
uptime
