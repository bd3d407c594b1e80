#!/usr/bin/env bash
# Times jsora's GEMM (f32 and bf16 weights) and numpy/OpenBLAS sgemm back to back on the model shapes, ROUNDS times,
# so that both sides see the same machine load. One line per measurement: side, shape, weights, the best GFLOP/s by
# wall clock (gflops=) and the best per CPU-second of the process (per-cpu=; a per-core figure, meaningful for
# THREADS=1, where no thread waits or spins).
# Usage: bench/scripts/compare.sh [ROUNDS] [THREADS]     (run from the repository root after `mvn package`)
set -euo pipefail
rounds=${1:-2}
threads=${2:-2}
jar=cli/target/jsora.jar
numpy="$(dirname "$0")/sgemm_numpy.py"
shapes=("5120 3456 1152" "5120 1152 1152" "5120 4608 1152" "5120 1152 4608" "300 4096 4096" "300 10240 4096" "300 4096 10240")
info=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$numpy" 8 8 8 --runs 1 --warmup 0)
echo "${info%%$'\n'*}"
# the gflops= last line and the per-CPU-second figure of the line before it
figures() {
  local out
  out=$("$@")
  echo "$(tail -1 <<<"$out") per-cpu=$(grep -o 'best-per-cpu-second=[0-9.]*' <<<"$out" | cut -d= -f2)"
}
for r in $(seq 1 "$rounds"); do
  for s in "${shapes[@]}"; do
    set -- $s
    for w in f32 bf16; do
      echo "round=$r jsora M=$1 N=$2 K=$3 weights=$w $(figures java -jar "$jar" bench gemm "$1" "$2" "$3" \
          --weights "$w" --threads "$threads")"
    done
    echo "round=$r numpy M=$1 N=$2 K=$3 weights=f32 $(figures env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        OPENBLAS_NUM_THREADS="$threads" python3 "$numpy" "$1" "$2" "$3")"
  done
done
