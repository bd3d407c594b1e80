#!/usr/bin/env bash
# Times jsora's GEMM (f32 and bf16 weights) and numpy/OpenBLAS sgemm back to back on the model shapes, ROUNDS times,
# so that both sides see the same machine load. Prints one line per measurement: side shape weights gflops.
# Usage: bench/scripts/compare.sh [ROUNDS] [THREADS]     (run from the repository root after `mvn package`)
set -euo pipefail
rounds=${1:-2}
threads=${2:-2}
jar=cli/target/jsora.jar
shapes=("5120 3456 1152" "5120 1152 1152" "5120 4608 1152" "5120 1152 4608" "300 4096 4096" "300 10240 4096" "300 4096 10240")
info=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$(dirname "$0")/sgemm_numpy.py" 8 8 8 --runs 1 --warmup 0)
echo "${info%%$'\n'*}"
for r in $(seq 1 "$rounds"); do
  for s in "${shapes[@]}"; do
    set -- $s
    for w in f32 bf16; do
      g=$(java -jar "$jar" bench gemm "$1" "$2" "$3" --weights "$w" --threads "$threads" | tail -1)
      echo "round=$r jsora M=$1 N=$2 K=$3 weights=$w $g"
    done
    g=$(OPENBLAS_NUM_THREADS=$threads env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        python3 "$(dirname "$0")/sgemm_numpy.py" "$1" "$2" "$3" | tail -1)
    echo "round=$r numpy M=$1 N=$2 K=$3 weights=f32 $g"
  done
done
