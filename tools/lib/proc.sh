# SPDX-License-Identifier: BSD-3-Clause
# The one shell library for scripts that run DPDK processes: the integration
# tests (tests/integration/lib.sh) and the benchmarks (tools/bench/lib.sh)
# are thin layers over it. Sourced, not run.
#
#   sl_init NAME              scratch dir $SL_TMP, EAL memory args $EAL_MEM,
#                             everything below undone at exit ($SL_KEEP keeps
#                             the scratch dir)
#   sl_lock                   hold /tmp/sluice-run.lock: one DPDK run at a time
#                             (waits at most $SL_LOCK_WAIT s, default 900)
#   sl_unlock
#   sl_prefix NAME            a unique EAL --file-prefix, removed at exit
#   sl_eal NAME               --no-pci, such a prefix, $EAL_MEM, log level
#   sl_start LOG LIMIT CMD... CMD in the background, SIGINT after LIMIT s,
#                             SIGKILL 10 s later; stdin $SL_STDIN; sets SL_PID
#   sl_run LOG LIMIT CMD...   the same in the foreground; sets SL_RC
#   sl_wait_for LOG ERE SECONDS [PID...]   a line of LOG matches ERE
#   sl_stop PID [WHAT LOG]    SIGINT, then sl_reap; with WHAT, says how it ended
#   sl_reap PID               wait at most 20 s, then kill; sets SL_RC
#   sl_wait_exit PID SECONDS  PID has exited
#   sl_track PID              reap PID at exit too (started without sl_start)
#   sl_on_exit CMD            run CMD (a string) at exit, after the processes
#   sl_netns NS               a network namespace, removed at exit
#   sl_veth NEAR FAR NS [NEAR_NS]   a veth pair, FAR end in namespace NS
#   sl_offloads_off [NS] IF   no checksum/TSO/GSO/GRO offload on a veth end
#   sl_rps_away [NS] IF CPU   IF's receive work off CPU (a DPDK worker's core)
#   sl_tap_into NS IF ADDR    a net_tap port's netdev into namespace NS
# and, from tools/lib/opts.sh, sl_say, sl_die and the options (sl_opt, sl_flag,
# sl_common_opts, sl_parse_opts; -h/--help prints the script's header comment).
#
# Every process started gets a unique --file-prefix and --in-memory (or
# --no-huge when hugepages are short, tools/eal-mem.sh), never probes PCI,
# and is stopped at exit. Waiting loops start no process (tools/wait-line.sh).
# shellcheck shell=bash

SL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=opts.sh
source "$SL_REPO/tools/lib/opts.sh"
# shellcheck source=/dev/null
source "$SL_REPO/tools/wait-line.sh"
SL_LOCK=${SLUICE_RUN_LOCK:-/tmp/sluice-run.lock}
SLUICE_FWD=${SLUICE_FWD:-$SL_REPO/build/apps/sluice-fwd}
SLUICE_GEN=${SLUICE_GEN:-$SL_REPO/build/apps/sluice-gen}
SLUICE_ECHO=${SLUICE_ECHO:-$SL_REPO/build/apps/sluice-echo}
TESTPMD=${TESTPMD:-dpdk-testpmd}
SL_PIDS=()     # background `timeout` wrappers still to reap
SL_ON_EXIT=()  # commands (namespaces, links) to run at exit
SL_TMP=""
SL_LOCK_FD=""
SL_KEEP=${SL_KEEP:-}

sl_cleanup() {
	local pid p
	for pid in "${SL_PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	for pid in "${SL_PIDS[@]}"; do sl_reap "$pid"; done
	for p in "${SL_ON_EXIT[@]}"; do eval "$p" >/dev/null 2>&1 || true; done
	rm -rf "/var/run/dpdk/sl$$-"*
	if [[ -n $SL_TMP && -d $SL_TMP ]]; then
		if [[ -n $SL_KEEP && $SL_KEEP != 0 ]]; then sl_say "kept $SL_TMP"; else rm -rf "$SL_TMP"; fi
	fi
	sl_unlock
}

# sl_init NAME: scratch dir, EAL memory args, cleanup at exit.
sl_init() {
	SL_NAME=$1
	[[ $(id -u) -eq 0 ]] || sl_die "DPDK processes need root here (hugepages, memif sockets): run with sudo"
	SL_TMP=$(mktemp -d "/tmp/sl-$SL_NAME.XXXXXX")
	trap sl_cleanup EXIT
	trap 'exit 130' INT TERM
	# shellcheck source=/dev/null
	source "$SL_REPO/tools/eal-mem.sh"
	EAL_MEM=("${SL_EAL_MEM[@]}")
}

# sl_lock: one DPDK run (or generator+DUT pair) at a time on this
# 2-core machine, shared by the tests, the benchmarks and other people's runs.
sl_lock() {
	local secs=${SL_LOCK_WAIT:-900}
	exec {SL_LOCK_FD}>"$SL_LOCK"
	flock -w "$secs" "$SL_LOCK_FD" || sl_die "waited $secs s for $SL_LOCK; who holds it? (fuser $SL_LOCK)"
}
sl_unlock() {
	if [[ -n $SL_LOCK_FD ]]; then
		flock -u "$SL_LOCK_FD" 2>/dev/null || true
		exec {SL_LOCK_FD}>&-
		SL_LOCK_FD=""
	fi
}

# sl_prefix NAME: a unique EAL --file-prefix, its runtime dir removed at exit
# (all of this shell's, by their common start: sl_prefix runs in $(...),
# where it could record nothing).
sl_prefix() { echo "sl$$-$1"; }

# sl_eal NAME: the common EAL args of one process, as words for $(...).
sl_eal() {
	echo "--no-pci --file-prefix $(sl_prefix "$1") ${EAL_MEM[*]} --log-level=*:notice"
}

sl_track() { SL_PIDS+=("$1"); }
sl_on_exit() { SL_ON_EXIT+=("$1"); }

# sl_start LOG LIMIT CMD...: CMD in the background under a hard time limit
# (SIGINT at LIMIT s, SIGKILL 10 s later), stdin from $SL_STDIN (default
# /dev/null: a fifo feeds testpmd -i). Sets SL_PID (timeout's pid).
sl_start() {
	local log=$1 limit=$2
	shift 2
	echo "+ $*" >"$log"
	timeout -k 10 -s INT "$limit" "$@" >>"$log" 2>&1 <"${SL_STDIN:-/dev/null}" &
	SL_PID=$!
	SL_PIDS+=("$SL_PID")
}

# sl_run LOG LIMIT CMD...: sl_start, then wait until CMD ends (its time
# limit bounds the wait); sets SL_RC.
sl_run() {
	sl_start "$@"
	sl_wait_exit "$SL_PID" $(($2 + 15)) || true
	sl_reap "$SL_PID"
}

# sl_wait_for LOG ERE SECONDS [PID...]: a line of LOG matches ERE (0), or
# SECONDS passed or a PID exited (1).
sl_wait_for() { sl_wait_line "$@"; }

# sl_wait_exit PID SECONDS: PID has exited (0), or SECONDS passed (1).
sl_wait_exit() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sl_nap 0.1
	done
	return 1
}

# sl_reap PID: wait for PID at most 20 s, then kill it and its children.
# Sets SL_RC (timeout's status: 124 = hit its limit, 128+N = signal N). Not in
# $(...): a subshell cannot wait for its parent's children.
sl_reap() {
	local pid=$1 keep=() p
	SL_RC=0
	# bash reports a job that died of a signal on stderr ("Segmentation
	# fault ..."); keep that out of the output (the caller reads SL_RC).
	{
		if ! sl_wait_exit "$pid" 20; then
			echo "$SL_NAME: warning: process $pid did not stop 20 s after SIGINT: killing it" >&3
			pkill -KILL -P "$pid" || true
			kill -KILL "$pid" || true
		fi
		wait "$pid" || SL_RC=$?
	} 3>&2 2>/dev/null
	for p in "${SL_PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
	SL_PIDS=(${keep[@]+"${keep[@]}"})
}

# sl_stop PID [WHAT LOG]: SIGINT (timeout passes it on), then reap; sets
# SL_RC. With WHAT, an exit other than 0 or 130 (SIGINT) is reported, and
# the scratch dir kept when the log may explain it.
sl_stop() {
	kill -INT "$1" 2>/dev/null || true
	sl_reap "$1"
	[[ -n ${2:-} ]] || return 0
	case $SL_RC in
	0 | 130) ;;
	124) SL_KEEP=1; sl_say "note: $2 ran into its time limit (log kept: $3)" ;;
	139) sl_say "note: $2 crashed on exit (SIGSEGV) after the measurement; rate unaffected" ;;
	*) SL_KEEP=1; sl_say "note: $2 exited with status $SL_RC (log kept: $3)" ;;
	esac
}

# sl_netns NS: network namespace NS with lo up, unless it exists; removed
# at exit.
sl_netns() {
	[[ -e /run/netns/$1 ]] && return 0
	ip netns add "$1" || sl_die "ip netns add $1 failed"
	sl_on_exit "ip netns del $1"
	ip -n "$1" link set lo up
}

# sl_veth NEAR FAR NS [NEAR_NS]: a veth pair, FAR in namespace NS (made by
# sl_netns), NEAR here or in NEAR_NS (which exists), both up, no IPv6 on
# either (no router solicitation or MLD on the wire); removed at exit.
sl_veth() {
	local near=$1 far=$2 ns=$3 in=()
	[[ -n ${4:-} ]] && in=(ip netns exec "$4")
	sl_netns "$ns"
	"${in[@]}" ip link add "$near" type veth peer name "$far" netns "$ns" ||
		sl_die "cannot create a veth pair $near/$far"
	[[ -n ${4:-} ]] || sl_on_exit "ip link del $near"
	"${in[@]}" sysctl -qw "net.ipv6.conf.$near.disable_ipv6=1" >/dev/null 2>&1 || true
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1" >/dev/null 2>&1 || true
	"${in[@]}" ip link set "$near" up
	ip -n "$ns" link set "$far" up
}

# sl_tap_into NS IF ADDR: once a DPDK net_tap port has made netdev IF (at
# most 10 s), move it into namespace NS with address ADDR (a/len), up.
sl_tap_into() {
	local ns=$1 ifc=$2 i
	for ((i = 0; i < 100; i++)); do
		ip link show "$ifc" >/dev/null 2>&1 && break
		sl_nap 0.1
	done
	ip link set "$ifc" netns "$ns" || sl_die "cannot move $ifc into $ns"
	ip -n "$ns" addr add "$3" dev "$ifc"
	ip -n "$ns" link set "$ifc" up
}

# sl_offloads_off [NS] IF: af_packet must see whole, checksummed frames: no
# checksum offload (CHECKSUM_PARTIAL) and no TSO/GSO/GRO (64 KB super-frames).
sl_offloads_off() {
	local ns=()
	[[ $# -eq 2 ]] && { ns=(ip netns exec "$1"); shift; }
	"${ns[@]}" ethtool -K "$1" tx off tso off gso off gro off >/dev/null 2>&1 ||
		sl_say "note: ethtool could not turn offloads off on $1 (apt-get install ethtool)"
}

# sl_rps_away [NS] IF CPU: the kernel's receive work for IF's frames (a veth
# end whose peer is a DPDK port: the frames a DPDK worker sends) runs on the
# CPUs other than CPU, by RPS. Without it a worker's sendto on a veth runs the
# receiving socket's TCP in softirq on the worker's own core, and ksoftirqd
# then takes that core from the busy-polling worker for milliseconds at a
# time: af_packet's ring overflowed (10 % of the frames of a loss-free
# 100-connection echo were rx_missed). This is how a DPDK deployment keeps
# the kernel off its cores. Nothing happens on a one-CPU machine.
sl_rps_away() {
	local ns=() n mask=0 c q
	[[ $# -eq 3 ]] && { ns=(ip netns exec "$1"); shift; }
	n=$(nproc)
	((n > 1)) || return 0
	for ((c = 0; c < n && c < 32; c++)); do ((c == $2)) || mask=$((mask | 1 << c)); done
	for q in $("${ns[@]}" sh -c "ls -d /sys/class/net/$1/queues/rx-*"); do
		"${ns[@]}" sh -c "printf '%x' $mask > $q/rps_cpus" 2>/dev/null ||
			sl_say "note: cannot set RPS on $1 ($q)"
	done
}
