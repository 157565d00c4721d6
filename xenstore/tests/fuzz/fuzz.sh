#!/bin/sh
# Run the libFuzzer target for a bounded time and summarise.
# Usage: fuzz.sh FUZZER SECONDS CORPUS_OUT SEED_DIR ARTIFACT_DIR
fuzzer=$1 secs=$2 corpus=$3 seeds=$4 art=$5
mkdir -p "$corpus" "$art"
before=$(find "$art" -type f | wc -l)
"$fuzzer" -max_total_time="$secs" -max_len=8192 -print_final_stats=1 \
	-artifact_prefix="$art/" "$corpus" "$seeds" 2>"$art/../fuzz.log"
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$art/../fuzz.log")
crashes=$(($(find "$art" -type f | wc -l) - before))
tail -n 8 "$art/../fuzz.log"
echo "fuzz_wire: ${execs:-0} executions in ${secs} s, $crashes crashes"
if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
	exit 1
fi
