#!/bin/sh
# DAXboard probe, output format v1 (shared/DOMAIN.md §2).
#
#   sh probe.sh [TOKEN] > out.txt          TOKEN: [A-Za-z0-9]{1,128}; omitted = random
#   ssh host 'sh -s' < probe.sh > out.txt
#
# Read-only and unprivileged: it never writes a file, never calls sudo, and every
# read is guarded so one failure never aborts the rest. Each section is
#   --TOKEN <name> rc=<exit status>
#   <raw output>
# and the document ends with --TOKEN--. Output is capped per section and in total
# (512 KiB) so a hostile or huge host cannot flood the collector.
# Must run under dash, bash and busybox ash with a minimal PATH: POSIX sh only.

LC_ALL=C
export LC_ALL
ORIG_PATH=${PATH:-}
# Append the usual system directories: a minimal PATH (e.g. from a forced
# command or `env -i`) must not hide uname, getconf or lscpu.
PATH="${ORIG_PATH:+$ORIG_PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export PATH

TOTAL_CAP=524288
SECTION_CAP=65536
CPUINFO_CAP=327680
EXEC_TIMEOUT=5
total=0

have() { command -v "$1" >/dev/null 2>&1; }

# Sets now_cs to the kernel's uptime clock in centiseconds (/proc/uptime: "SECONDS.CC ...";
# POSIX sh has no sub-second clock of its own). Fails when it cannot be read.
uptime_cs() {
  [ -r /proc/uptime ] || return 1
  up=
  read -r up _ 2>/dev/null < /proc/uptime || return 1
  case $up in
    *[!0-9.]* | *.*.*) return 1 ;;
    [0-9]*.[0-9][0-9]) ;;
    *) return 1 ;;
  esac
  secs=${up%.*}
  cs=${up#*.}
  # No leading zeros: $(( )) would read them as octal.
  while [ "${#secs}" -gt 1 ] && [ "${secs#0}" != "$secs" ]; do secs=${secs#0}; done
  cs=${cs#0}
  now_cs=$((secs * 100 + cs))
}

probe_start=
uptime_cs && probe_start=$now_cs

NL='
'

if [ "$#" -gt 1 ]; then
  echo "usage: probe.sh [TOKEN]" >&2
  exit 2
fi
if [ "$#" -eq 1 ]; then
  token=$1
  case $token in
    '' | *[!A-Za-z0-9]*)
      echo "probe.sh: boundary token must match [A-Za-z0-9]+" >&2
      exit 2
      ;;
  esac
  if [ "${#token}" -gt 128 ]; then
    echo "probe.sh: boundary token longer than 128 characters" >&2
    exit 2
  fi
else
  token=
  if have od && have tr && [ -r /dev/urandom ]; then
    token=$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
  fi
  case $token in
    '' | *[!A-Za-z0-9]*)
      token=
      if [ -r /proc/sys/kernel/random/uuid ]; then
        IFS=- read -r u1 u2 u3 u4 u5 < /proc/sys/kernel/random/uuid
        token="$u1$u2$u3$u4$u5"
      fi
      ;;
  esac
  case $token in
    '' | *[!A-Za-z0-9]*) token="daxboard$$" ;;
  esac
fi

# Runs a command with a deadline when `timeout` exists (binaries we do not own
# may hang), otherwise plainly.
bounded() {
  if have timeout; then
    timeout "$EXEC_TIMEOUT" "$@"
  else
    "$@"
  fi
}

first_lines() {
  if have head; then head -n "$1"; else cat; fi
}

# Prints a file; falls back to a shell loop when cat is missing.
readf() {
  [ -r "$1" ] || { echo "$1: not readable" >&2; return 1; }
  if have cat; then
    cat "$1"
  else
    while IFS= read -r line || [ -n "$line" ]; do printf '%s\n' "$line"; done < "$1"
  fi
}

# Emits one section: header with the body's exit status, then the body, capped.
section() {
  name=$1
  cap=$2
  shift 2
  if [ "$total" -ge "$TOTAL_CAP" ]; then
    printf -- '--%s %s rc=125\n%s\n' "$token" "$name" "daxboard-probe: total output cap reached"
    return 0
  fi
  out=$("$@" 2>&1)
  rc=$?
  printf -- '--%s %s rc=%s\n' "$token" "$name" "$rc"
  len=${#out}
  if [ "$len" -gt "$cap" ] && have head; then
    printf '%s\n' "$out" | head -c "$cap"
    printf '\n%s\n' "daxboard-probe: section truncated at $cap bytes"
    len=$cap
  elif [ -n "$out" ]; then
    printf '%s\n' "$out"
  fi
  total=$((total + len))
}

s_arch() { uname -m; }
s_kernel_release() { uname -r; }
s_kernel_version() { uname -v; }
s_pagesize() { getconf PAGESIZE; }
s_cpuinfo() { readf /proc/cpuinfo; }
s_meminfo() { readf /proc/meminfo; }
s_os_release() { readf /etc/os-release 2>/dev/null || readf /usr/lib/os-release; }
s_dmesg_restrict() { readf /proc/sys/kernel/dmesg_restrict; }

s_midr() {
  found=1
  for f in /sys/devices/system/cpu/cpu[0-9]*/regs/identification/midr_el1; do
    [ -r "$f" ] || continue
    read -r v < "$f" && printf '%s=%s\n' "$f" "$v" && found=0
  done
  return $found
}

s_lscpu() {
  have lscpu || { echo "lscpu: not found"; return 127; }
  bounded lscpu
}

# Header plus the lines naming the interrupt controller: enough to tell GICv3
# (chip "GICv3", "ITS-MSI") from GICv2 ("GIC-0", "GICv2") without the full table.
s_interrupts() {
  [ -r /proc/interrupts ] || { echo "/proc/interrupts: not readable"; return 1; }
  n=0
  while IFS= read -r line && [ "$n" -lt 4000 ]; do
    n=$((n + 1))
    if [ "$n" -eq 1 ]; then
      printf '%s\n' "$line"
      continue
    fi
    case $line in
      *GIC* | *gic* | *ITS* | *AIC*) printf '%s\n' "$line" ;;
    esac
  done < /proc/interrupts
  return 0
}

print_files() {
  dir=$1
  shift
  found=1
  for n in "$@"; do
    if [ -r "$dir/$n" ]; then
      read -r v < "$dir/$n" 2>/dev/null || v=
      printf '%s=%s\n' "$n" "$v"
      found=0
    fi
  done
  return $found
}

s_dmi() {
  print_files /sys/class/dmi/id sys_vendor product_name product_version product_family \
    board_vendor board_name bios_vendor bios_version chassis_vendor
}
s_soc0() { print_files /sys/devices/soc0 soc_id family machine revision; }
s_thp() { print_files /sys/kernel/mm/transparent_hugepage enabled shmem_enabled hpage_pmd_size; }

s_acpi_tables() {
  [ -d /sys/firmware/acpi/tables ] || { echo "no /sys/firmware/acpi/tables"; return 1; }
  for f in /sys/firmware/acpi/tables/*; do
    [ -e "$f" ] && printf '%s\n' "${f##*/}"
  done
  return 0
}

dt_file() {
  [ -r "$1" ] || { echo "$1: not readable"; return 1; }
  have tr || { echo "tr: not found"; return 127; }
  tr '\000' '\n' < "$1"
}
s_dt_model() { dt_file /proc/device-tree/model; }
s_dt_compatible() { dt_file /proc/device-tree/compatible; }

s_dt_dma_coherent() {
  [ -d /proc/device-tree ] || { echo "no /proc/device-tree"; return 1; }
  have find || { echo "find: not found"; return 127; }
  find /proc/device-tree/ -name dma-coherent 2>/dev/null | first_lines 64
  return 0
}

s_kvm() {
  if [ -e /dev/kvm ]; then
    echo "exists=yes"
    if [ -r /dev/kvm ]; then echo "readable=yes"; else echo "readable=no"; fi
    if [ -w /dev/kvm ]; then echo "writable=yes"; else echo "writable=no"; fi
    have ls && ls -ln /dev/kvm
  else
    echo "exists=no"
  fi
  return 0
}

# Only the KVM/GIC lines (plus the boot CPU's MIDR and the percpu page-size
# hint): the rest of the ring buffer is not ours to collect.
s_dmesg_kvm() {
  have dmesg || { echo "dmesg: not found"; return 127; }
  d=$(dmesg 2>&1)
  drc=$?
  if [ "$drc" -ne 0 ]; then
    printf '%s\n' "$d" | { if have head; then head -n 3; else cat; fi; }
    return "$drc"
  fi
  have grep || { echo "grep: not found"; return 127; }
  printf '%s\n' "$d" | grep -E 'IPA Size Limit|Hyp mode|HYP mode|VHE mode|Stage-2 Force Write-Back|GICv[234]|GIC-400|gic-400|Booting Linux on physical CPU|pcpu-alloc' | {
    if have head; then head -n 200; else cat; fi
  }
  return 0
}

# KVM_CHECK_EXTENSION (0xAE03) for KVM_CAP_ARM_VM_IPA_SIZE (165): the host's IPA
# limit, which has no sysfs file (arch/arm64/kvm/reset.c). Needs r/w on /dev/kvm,
# so no interpreter starts without it; python3 runs isolated (-I -S: no user site,
# no PYTHON* variables, no site module) so nothing in the probe user's home runs.
s_kvm_ipa() {
  [ -e /dev/kvm ] || { echo "no /dev/kvm"; return 1; }
  if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    echo "/dev/kvm: permission denied (not readable and writable by this user)"
    return 1
  fi
  if have python3; then
    bounded python3 -I -S -c 'import fcntl,os
fd=os.open("/dev/kvm",os.O_RDWR|os.O_CLOEXEC)
print(fcntl.ioctl(fd,0xAE03,165))'
  elif have perl; then
    # shellcheck disable=SC2016 # perl code, not shell expansions
    bounded perl -e 'open(my $f,"+<","/dev/kvm") or die "open /dev/kvm: $!\n"; my $r=ioctl($f,0xAE03,165); defined $r or die "ioctl: $!\n"; print(($r+0)."\n");'
  else
    echo "no python3 or perl for the KVM ioctl"
    return 127
  fi
}

s_kernel_config() {
  pat='^(# )?CONFIG_(ARM64_(4K|16K|64K)_PAGES|ARM64_VA_BITS|ARM64_PA_BITS|KVM|VIRTIO_FS|FUSE_DAX|FS_DAX|DAX|ZONE_DEVICE|MEMORY_HOTPLUG|MEMORY_HOTREMOVE|TRANSPARENT_HUGEPAGE|KSM)([=_ ]|$)'
  have grep || { echo "grep: not found"; return 127; }
  rel=$(uname -r 2>/dev/null)
  if [ -n "$rel" ] && [ -r "/boot/config-$rel" ]; then
    echo "# from /boot/config-$rel"
    grep -E "$pat" "/boot/config-$rel"
    return 0
  fi
  if [ -r /proc/config.gz ]; then
    echo "# from /proc/config.gz"
    if have zcat; then
      zcat /proc/config.gz | grep -E "$pat"
    elif have gzip; then
      gzip -dc /proc/config.gz | grep -E "$pat"
    else
      echo "no zcat or gzip"
      return 127
    fi
    return 0
  fi
  echo "no readable /boot/config-$rel or /proc/config.gz"
  return 1
}

s_virt() {
  found=1
  if have systemd-detect-virt; then
    printf 'systemd-detect-virt=%s\n' "$(systemd-detect-virt 2>/dev/null)"
    found=0
  fi
  if [ -r /sys/hypervisor/type ]; then
    read -r v < /sys/hypervisor/type && printf 'hypervisor-type=%s\n' "$v"
    found=0
  fi
  return $found
}

# Candidate binaries: the caller's PATH first, then the usual install places.
find_bins() {
  prog=$1
  shift
  seen=:
  oldifs=$IFS
  IFS=:
  set -f
  # shellcheck disable=SC2086 # split the PATH on purpose, without globbing
  set -- $ORIG_PATH "$@"
  set +f
  IFS=$oldifs
  for d in "$@"; do
    [ -n "$d" ] || continue
    p=${d%/}/$prog
    case $seen in *":$p:"*) continue ;; esac
    if [ -f "$p" ] && [ -x "$p" ]; then
      printf '%s\n' "$p"
      seen="$seen$p:"
    fi
  done
}

s_ch() {
  bins=$(find_bins cloud-hypervisor /usr/local/bin /usr/bin /opt/*/bin)
  [ -n "$bins" ] || { echo "cloud-hypervisor: not found"; return 0; }
  for p in $bins; do
    printf 'path=%s\n' "$p"
    bounded "$p" --version 2>&1 | first_lines 4
  done
  return 0
}

# The --fs entry of --help (clap wraps long values onto continuation lines, so
# keep every line until the next option).
s_ch_help() {
  p=$(find_bins cloud-hypervisor /usr/local/bin /usr/bin /opt/*/bin | first_lines 1)
  [ -n "$p" ] || { echo "cloud-hypervisor: not found"; return 0; }
  h=$(bounded "$p" --help 2>&1)
  hrc=$?
  if have awk; then
    printf '%s\n' "$h" | awk '
      /^[[:space:]]*(-[A-Za-z], )?--fs[[:space:]<]/ { on = 1; print; next }
      on && /^[[:space:]]*(-[A-Za-z], )?--?[A-Za-z]/ { exit }
      on { print }'
  else
    printf '%s\n' "$h"
  fi
  return "$hrc"
}

# The first candidate binary, or nothing (find_bins lists every install).
first_bin() {
  b=$(find_bins "$@")
  printf '%s' "${b%%"$NL"*}"
}

# The --pmem and --memory entries of --help (DOMAIN.md §7 B and C): virtio-pmem with
# discard_writes=, and --memory mergeable= for KSM. Continuation lines kept as for --fs;
# --memory-zone is another option.
s_ch_options() {
  p=$(first_bin cloud-hypervisor /usr/local/bin /usr/bin /opt/*/bin)
  [ -n "$p" ] || { echo "cloud-hypervisor: not found"; return 0; }
  h=$(bounded "$p" --help 2>&1)
  hrc=$?
  if have awk; then
    printf '%s\n' "$h" | awk '
      /^[[:space:]]*(-[A-Za-z], )?--(pmem|memory)[[:space:]<]/ { on = 1; print; next }
      /^[[:space:]]*(-[A-Za-z], )?--?[A-Za-z]/ { on = 0 }
      on { print }'
  else
    printf '%s\n' "$h"
  fi
  return "$hrc"
}

# /sys/kernel/mm/ksm exists only with CONFIG_KSM=y; run is 0 (off), 1 (on) or 2.
s_ksm() {
  if [ -d /sys/kernel/mm/ksm ]; then
    echo "present=yes"
    print_files /sys/kernel/mm/ksm run pages_sharing pages_shared max_page_sharing
  else
    echo "present=no"
  fi
  return 0
}

# The settings of a Kata configuration file that decide its shared filesystem and
# guest image (at most 40 lines kept from at most 4000 read), leading blanks trimmed.
kata_lines() {
  n=0
  kept=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ "$n" -gt 4000 ] || [ "$kept" -ge 40 ]; then break; fi
    line=${line#"${line%%[! 	]*}"}
    case $line in *=*) ;; *) continue ;; esac
    key=${line%%=*}
    key=${key%"${key##*[! 	]}"}
    case $key in
      shared_fs | virtio_fs_cache_size | virtio_fs_cache | image | initrd)
        printf '%s\n' "$line"
        kept=$((kept + 1))
        ;;
    esac
  done < "$1"
}

s_kata() {
  rt=$(first_bin kata-runtime /opt/kata/bin /usr/local/bin /usr/bin)
  if [ -n "$rt" ]; then
    printf 'runtime=%s\n' "$rt"
    bounded "$rt" --version 2>&1 | first_lines 4
  else
    rt=$(first_bin kata-ctl /opt/kata/bin /usr/local/bin /usr/bin)
    if [ -n "$rt" ]; then
      printf 'runtime=%s\n' "$rt"
      bounded "$rt" version 2>&1 | first_lines 4
    else
      echo "kata-runtime: not found"
    fi
  fi
  files=0
  for d in /etc/kata-containers /opt/kata/share/defaults/kata-containers; do
    for f in "$d"/configuration*.toml; do
      if ! [ -f "$f" ] || ! [ -r "$f" ]; then continue; fi
      [ "$files" -lt 12 ] || return 0
      files=$((files + 1))
      printf 'config=%s\n' "$f"
      kata_lines "$f"
    done
  done
  return 0
}

# Other VMMs (DOMAIN.md §7 D): binary and first two lines of --version; libkrun is
# also a library with no binary of its own.
s_vmms() {
  found=0
  krun=0
  for pair in firecracker:firecracker krun:libkrun crosvm:crosvm qemu-system-aarch64:qemu; do
    p=$(first_bin "${pair%%:*}" /usr/local/bin /usr/bin /opt/*/bin /usr/libexec)
    [ -n "$p" ] || continue
    printf 'vmm=%s path=%s\n' "${pair#*:}" "$p"
    bounded "$p" --version 2>&1 | first_lines 2
    found=1
    case $pair in krun:*) krun=1 ;; esac
  done
  if [ "$krun" -eq 0 ] && libkrun_lib; then found=1; fi
  [ "$found" -eq 1 ] || echo "none"
  return 0
}

# libkrun installed as a library only, with no krun binary.
libkrun_lib() {
  for d in /usr/lib64 /usr/lib /usr/local/lib /usr/lib/aarch64-linux-gnu; do
    for f in "$d"/libkrun.so*; do
      [ -e "$f" ] || continue
      printf 'vmm=libkrun path=%s\n' "$f"
      return 0
    done
  done
  return 1
}

s_virtiofsd() {
  bins=$(find_bins virtiofsd /usr/libexec /usr/lib/qemu /opt/kata/libexec)
  found=0
  for p in $bins; do
    printf 'path=%s\n' "$p"
    bounded "$p" --version 2>&1 | first_lines 3
    found=1
  done
  [ "$found" -eq 1 ] || echo "virtiofsd: not found"
  return 0
}

s_user() { id; }

# The probe's own run time up to here: slow hosts (or a slow interpreter start) show in the document.
s_probe_runtime() {
  if [ -z "$probe_start" ] || ! uptime_cs; then
    echo "/proc/uptime: not readable"
    return 1
  fi
  printf 'elapsed_ms=%s\nclock=/proc/uptime\n' "$(((now_cs - probe_start) * 10))"
}

printf 'daxboard-probe 1 boundary=%s\n' "$token"
section arch 4096 s_arch
section kernel-release 4096 s_kernel_release
section kernel-version 4096 s_kernel_version
section pagesize 4096 s_pagesize
section cpuinfo "$CPUINFO_CAP" s_cpuinfo
section midr "$SECTION_CAP" s_midr
section lscpu 16384 s_lscpu
section meminfo 16384 s_meminfo
section os-release 8192 s_os_release
section interrupts 32768 s_interrupts
section dmi 4096 s_dmi
section soc0 4096 s_soc0
section acpi-tables 8192 s_acpi_tables
section dt-model 4096 s_dt_model
section dt-compatible 4096 s_dt_compatible
section dt-dma-coherent 16384 s_dt_dma_coherent
section kvm 4096 s_kvm
section dmesg-restrict 4096 s_dmesg_restrict
section dmesg-kvm 32768 s_dmesg_kvm
section kvm-ipa 4096 s_kvm_ipa
section kernel-config 8192 s_kernel_config
section thp 4096 s_thp
section virt 4096 s_virt
section ch 8192 s_ch
section ch-help 16384 s_ch_help
section ch-options 16384 s_ch_options
section virtiofsd 8192 s_virtiofsd
section ksm 4096 s_ksm
section kata 32768 s_kata
section vmms 8192 s_vmms
section user 4096 s_user
section probe-runtime 4096 s_probe_runtime
printf -- '--%s--\n' "$token"
