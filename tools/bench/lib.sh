# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for tools/bench/*.sh over tools/lib/proc.sh (process lifetime,
# locking, options): memif peers, rate measurement, output parsing, medians and
# the result table. Sourced, not run.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/proc.sh
source "$BENCH_DIR/../lib/proc.sh"
# shellcheck disable=SC2034  # used by the scripts that source this file
REPO=$SL_REPO
# shellcheck disable=SC2034
EXAMPLES_DIR=${SLUICE_BENCH_EXAMPLES:-/tmp/sluice-bench-examples}

# bench_init NAME: root, testpmd and python3 present, then tools/lib/proc.sh's
# sl_init (scratch dir $SL_TMP, EAL memory args, cleanup at exit).
bench_init() {
	SL_NAME=$1
	[[ $(id -u) -eq 0 ]] || sl_die "DPDK needs root here: run with sudo"
	command -v "$TESTPMD" >/dev/null || sl_die "$TESTPMD not found: run 'sudo tools/setup.sh --deps-only'"
	[[ -x /usr/bin/python3 ]] || sl_die "/usr/bin/python3 not found: apt-get install python3"
	sl_init "$1"
	[[ ${EAL_MEM[0]} == --in-memory ]] ||
		sl_say "warning: not enough free hugepages, running with ${EAL_MEM[*]}: rates will be lower (sudo tools/hugepages.sh)"
}

# bench_echo_start LOG LIMIT VDEV TCPIP_ARGS [APP_ARGS...]: sluice-echo with
# the tcpip stage (TCPIP_ARGS) on one port, VDEV (its ethdev name is what
# comes before the first comma), the worker on CPU 0 and the main thread on
# CPU 1; $ECHO_APP_LINES and $ECHO_PORT_LINES add lines to [app] and
# [port p0]; $ECHO_STAGES (default tcpip) and $ECHO_PIPELINE_LINES set the
# pipeline's stages and add lines to it. Sets SRV_PID and SRV_PREFIX; returns 1 when it has not said
# "running:" within 30 s.
bench_echo_start() {
	local log=$1 limit=$2 vdev=$3 tcpip=$4 ini=${1%.log}.ini
	shift 4
	SRV_PREFIX=$(sl_prefix "echo-$(basename "${log%.log}")")
	cat >"$ini" <<EOT
[app]
stats_interval = 0
${ECHO_APP_LINES:-}
[port p0]
dev = ${vdev%%,*}
pipeline = host
${ECHO_PORT_LINES:-}
[pipeline host]
stages = ${ECHO_STAGES:-tcpip}
tcpip = $tcpip
${ECHO_PIPELINE_LINES:-}
[workers]
lcores = 1
EOT
	sl_start "$log" "$limit" "$SLUICE_ECHO" --lcores '0@1,1@0' "${EAL_MEM[@]}" --file-prefix "$SRV_PREFIX" \
		--no-pci --vdev "$vdev" -- --config "$ini" "$@"
	SRV_PID=$SL_PID
	sl_wait_for "$log" 'running:' 30 "$SRV_PID"
}

# ---- memif peers ---------------------------------------------------------

# bench_wait_socket SOCK PID WHAT: wait (at most 30 s) for a memif server's
# socket; DPDK's memif client does not retry, so start it only then.
bench_wait_socket() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ -S $1 ]] && return 0
		kill -0 "$2" 2>/dev/null || break
		sl_nap 0.1
	done
	sl_say "warning: $3 made no socket $1"
}

# bench_testpmd_interactive FIFO LOG LIMIT EAL_ARGS... -- APP_ARGS...: testpmd
# with -i among APP_ARGS, fed through FIFO, so that it can stop forwarding
# before its memif peer leaves and quit after (docs/sluice-gen.md); its
# output is line-buffered, so answers show up in LOG at once. Opens the fifo
# for writing on fd TP_FD; sets TP_PID.
bench_testpmd_interactive() {
	local fifo=$1 log=$2 lim=$3
	shift 3
	mkfifo "$fifo"
	SL_STDIN=$fifo sl_start "$log" "$lim" stdbuf -oL "$TESTPMD" "$@"
	# shellcheck disable=SC2034  # read by the caller
	TP_PID=$SL_PID
	# shellcheck disable=SC2034
	exec {TP_FD}>"$fifo"
}

# bench_testpmd_stop FD PID LOG WHAT: "stop" forwarding, wait until it says so.
bench_testpmd_stop() {
	echo stop >&"$1"
	sl_wait_line "$3" 'Accumulated forward statistics|Packet forwarding not started' 30 "$2" ||
		sl_say "warning: $4 did not stop forwarding in 30 s: stopping anyway"
}

# bench_testpmd_quit FD PID LOG WHAT: "quit", close the fifo, wait for the exit.
bench_testpmd_quit() {
	local fd=$1
	echo quit >&"$fd"
	exec {fd}>&-
	sl_reap "$2"
	[[ $SL_RC == 0 ]] || sl_say "note: $4 exited with status $SL_RC (log: $3)"
}

# bench_rate PREFIX WARMUP DURATION [COUNTER]: packets/s summed over the
# process's ports, from its telemetry socket. Prints pps, or nothing on error.
# BENCH_TEL_CPU pins the sampler off the forwarding core.
bench_rate() {
	local out
	local -a pin=()
	[[ -n ${BENCH_TEL_CPU:-} ]] && pin=(taskset -c "$BENCH_TEL_CPU")
	out=$("${pin[@]}" "$BENCH_DIR/dpdk-tel.py" rate "$1" --warmup "$2" --duration "$3" \
		--counter "${4:-opackets}" --timeout 30 2>&1) || { sl_say "$1: $out"; return 0; }
	sed -n 's/^pps=\([0-9.]*\) .*/\1/p' <<<"$out"
}

# bench_sluice_busy PREFIX: "busy_loop_cycles idle_cycles" summed over the
# workers of the sluice process with that EAL prefix (telemetry), or "0 0".
bench_sluice_busy() {
	"$BENCH_DIR/dpdk-tel.py" query "$1" /sluice/workers 2>/dev/null |
		/usr/bin/python3 -c 'import json,sys
d = json.load(sys.stdin) or {}
print(sum(w["busy_loop_cycles"] for w in d.values()), sum(w["idle_cycles"] for w in d.values()))' 2>/dev/null ||
		echo "0 0"
}

# bench_link_mode BIN: how BIN (a path or a command) links DPDK: static,
# shared, or ? when it cannot tell.
bench_link_mode() {
	local path libs
	# Not `ldd | grep -q`: with pipefail, grep leaving early could fail ldd.
	if ! path=$(command -v "$1" 2>/dev/null) || ! libs=$(ldd "$path" 2>/dev/null); then
		echo "?"
	elif [[ $libs == *librte_eal.so* ]]; then
		echo shared
	else
		echo static
	fi
}

# How $SLUICE_FWD links DPDK (meson -Ddpdk_link).
sluice_link_mode() { bench_link_mode "$SLUICE_FWD"; }

# How $TESTPMD links DPDK and which binary it is, for the "DPDK linked" lines:
# Debian's (shared only) or another build (tools/bench/build-testpmd.sh).
testpmd_link_desc() {
	local mode
	mode=$(bench_link_mode "$TESTPMD")
	if [[ $TESTPMD == dpdk-testpmd ]]; then
		echo "$mode (Debian's binary)"
	else
		echo "$mode ($TESTPMD)"
	fi
}

# ---- output parsers: one per app, the only place that knows their formats --

# testpmd --record-core-cycles: "CPU cycles/packet=26.84 (... ) at 2600 MHz Clock"
parse_testpmd_cycles() {
	sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$1" | tail -n 1
}
parse_testpmd_tsc_mhz() {
	sed -n 's/.*CPU cycles\/packet=.* at \([0-9]*\) MHz Clock.*/\1/p' "$1" | tail -n 1
}

# sluice-fwd's exit summary. ITS FORMAT IS NOT SETTLED: this is the one place
# that reads it. Today a worker line says "... busy cycles/pkt 93.2" and stage
# lines say "... cycles/pkt 6.5"; prefer the worker's busy figure (the whole
# pipeline, rx and tx included), else a "total" line, else the last figure.
# The per-stage lines are copied to LOG.stages for the reader.
parse_sluice_cycles() {
	local log=$1 line num='([0-9]+(\.[0-9]+)?)'
	grep -Ei 'cycles/(pkt|packet)' "$log" >"$log.stages" 2>/dev/null || true
	line=$(grep -Ei 'busy cycles/(pkt|packet)' "$log.stages" | tail -n 1)
	[[ -n $line ]] || line=$(grep -Ei 'total' "$log.stages" | tail -n 1)
	[[ -n $line ]] || line=$(tail -n 1 "$log.stages")
	[[ $line =~ cycles/(pkt|packet)[[:space:]]*[=:]?[[:space:]]*$num ]] && echo "${BASH_REMATCH[2]}"
	return 0
}

# parse_cycles LABEL LOG: the cycles/packet figure of a contender's log
# (testpmd's, or a sluice-* app's), else nothing.
parse_cycles() {
	case $1 in
	testpmd) parse_testpmd_cycles "$2" ;;
	sluice-*) parse_sluice_cycles "$2" ;;
	esac
}

# ---- results -------------------------------------------------------------

# One token per run, in run order, "-" for a run that gave no figure: median
# skips those, and paired_ratio lines runs up by position.
declare -A RES_PPS=() RES_CYC=()
RES_ROWS=()   # "group|label" in first-seen order

# bench_record GROUP LABEL PPS [CYCLES]
bench_record() {
	local key="$1|$2"
	[[ -v RES_PPS[$key] ]] || RES_ROWS+=("$key")
	RES_PPS[$key]+="${3:--} "
	RES_CYC[$key]+="${4:--} "
}

# paired_runs KEY BASE_KEY [cycles]: "figure baseline_figure" per round where
# both gave one (rates, or cycles/packet with "cycles").
paired_runs() {
	local -a a b
	local i
	if [[ ${3:-} == cycles ]]; then
		read -ra a <<<"${RES_CYC[$1]:-}"
		read -ra b <<<"${RES_CYC[$2]:-}"
	else
		read -ra a <<<"${RES_PPS[$1]:-}"
		read -ra b <<<"${RES_PPS[$2]:-}"
	fi
	for ((i = 0; i < ${#a[@]} && i < ${#b[@]}; i++)); do
		[[ ${a[i]} != - && ${b[i]} != - ]] && echo "${a[i]} ${b[i]}"
	done
	return 0
}

# paired_ratio KEY BASE_KEY [cycles]: median over runs of (rate / baseline's
# rate in the same round), or of the cycles/packet figures with "cycles".
# Rounds alternate the contenders, so each ratio compares runs a few seconds
# apart; on a machine whose speed drifts or flips between runs this is
# steadier than the ratio of the two medians.
paired_ratio() {
	local r=()
	mapfile -t r < <(paired_runs "$@" | awk '$2 > 0 {printf "%.6f\n", $1 / $2}')
	median ${r[@]+"${r[@]}"}
}

# paired_signs KEY BASE_KEY [cycles]: how the rounds split, as "B of N
# rounds below the baseline, A above (two-sided sign test p = P)": with the
# VM's speed moving between rounds a median ratio near 1 alone does not say
# whether one side is cheaper; p says how likely a split at least this
# lopsided is when neither is (ties are left out, as the test does).
paired_signs() {
	paired_runs "$@" | awk '
		$1 < $2 {b++} $1 > $2 {a++}
		END {
			n = a + b; if (n == 0) exit
			k = (a < b) ? a : b; c = 1; tail = 0
			for (i = 0; i <= k; i++) { tail += c; c = c * (n - i) / (i + 1) }
			p = 2 * tail / 2 ^ n; if (p > 1) p = 1
			printf "%d of %d rounds below the baseline, %d above (two-sided sign test p = %.2g)", b, n, a, p
		}'
}

median() { # numbers as arguments; prints nothing when there are none
	printf '%s\n' "$@" | { grep -E '^[0-9.]+$' || true; } | sort -g |
		awk '{v[NR] = $1} END {if (NR) printf "%.6g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# bench_table BASE_OF_GROUP_FN TSC_MHZ MD_FILE: print the table; the function
# named by $1 maps a "group|label" key to the key of its baseline ("" = none).
bench_table() {
	local base_of=$1 tsc_mhz=$2 md=$3 key base ratio paired mpps bmpps cyc core runs
	local fmt='%-8s %-22s %9s %7s %7s %10s %10s  %s\n'
	local hdr
	# shellcheck disable=SC2059
	hdr=$(printf "$fmt" device contender "Mpps" "ratio" "paired" "cyc/pkt" "core c/p" "runs (Mpps)")
	echo "$hdr"
	if [[ -n $md ]]; then
		{
			echo "| device | contender | median Mpps | ratio | paired ratio | cycles/pkt (app) | core cycles/pkt | runs (Mpps) |"
			echo "|---|---|---:|---:|---:|---:|---:|---|"
		} >>"$md"
	fi
	for key in "${RES_ROWS[@]}"; do
		# shellcheck disable=SC2086
		mpps=$(median ${RES_PPS[$key]})
		[[ -n $mpps ]] && mpps=$(awk -v p="$mpps" 'BEGIN {printf "%.2f", p / 1e6}')
		# shellcheck disable=SC2086
		runs=$(for v in ${RES_PPS[$key]}; do [[ $v == - ]] || awk -v p="$v" 'BEGIN {printf "%.2f ", p / 1e6}'; done)
		runs=${runs% }
		# shellcheck disable=SC2086
		cyc=$(median ${RES_CYC[$key]})
		[[ -n $cyc ]] && cyc=$(awk -v c="$cyc" 'BEGIN {printf "%.1f", c}')
		base=$("$base_of" "$key")
		ratio="" paired=""
		if [[ -n $base && -n $mpps ]]; then
			# shellcheck disable=SC2086
			bmpps=$(median ${RES_PPS[$base]:-})
			[[ -n $bmpps ]] && ratio=$(awk -v a="$mpps" -v b="$bmpps" 'BEGIN {printf "%.2f", a * 1e6 / b}')
			paired=$(paired_ratio "$key" "$base")
			[[ -n $paired ]] && paired=$(awk -v r="$paired" 'BEGIN {printf "%.2f", r}')
		fi
		core=""
		[[ -n $mpps && -n $tsc_mhz ]] && core=$(awk -v m="$mpps" -v t="$tsc_mhz" 'BEGIN {if (m > 0) printf "%.1f", t / m}')
		# shellcheck disable=SC2059
		printf "$fmt" "${key%%|*}" "${key#*|}" "${mpps:--}" "${ratio:--}" "${paired:--}" "${cyc:--}" "${core:--}" "${runs:-none}"
		[[ -z $md ]] || echo "| ${key%%|*} | ${key#*|} | ${mpps:--} | ${ratio:--} | ${paired:--} | ${cyc:--} | ${core:--} | ${runs:-none} |" >>"$md"
	done
}

# bench_md_header MD_FILE TITLE COMMAND: date, machine and command for the fragment.
bench_md_header() {
	local md=$1
	[[ -n $md ]] || return 0
	{
		echo "### $2 — $(date -u +%Y-%m-%d)"
		echo
		echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(nproc) cores), kernel $(uname -r)"
		echo "- DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo '?'), EAL memory: ${EAL_MEM[*]}"
		echo "- command: \`$3\`"
		echo
	} >>"$md"
}
