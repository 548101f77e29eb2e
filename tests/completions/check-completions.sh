#!/bin/bash
# check-completions.sh: TAP checks of the shell completions.  Parses each
# script with its shell (skipping shells that are not installed) and drives
# the bash and fish completions against a fake `urun` on PATH that records
# its arguments and prints two container ids.
#
# Usage: check-completions.sh BASH-FILE ZSH-FILE FISH-FILE

bash_file=$1
zsh_file=$2
fish_file=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/urun" <<'SHIM'
#!/bin/sh
echo "$*" >>"$URUN_SHIM_LOG"
printf 'alpha\nbeta\n'
SHIM
chmod +x "$tmp/urun"
export URUN_SHIM_LOG=$tmp/calls
export PATH=$tmp:$PATH

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # description, expected, actual
  if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2" "got:      $3"; fi
}

# Completes the words given, the last being the one under the cursor, with
# the bash completion in a fresh shell; prints the sorted candidates.
bash_complete() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    _urun
    ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
    bash "$bash_file" "$@"
}

if bash -n "$bash_file"; then ok "bash -n $bash_file"; else not_ok "bash -n $bash_file"; fi

if command -v zsh >/dev/null; then
  if zsh -n "$zsh_file"; then ok "zsh -n $zsh_file"; else not_ok "zsh -n $zsh_file"; fi
else
  skip "zsh -n $zsh_file" "zsh is not installed"
fi

have_fish=0
if command -v fish >/dev/null; then
  have_fish=1
  if fish --no-execute "$fish_file"; then
    ok "fish --no-execute $fish_file"
  else
    not_ok "fish --no-execute $fish_file"
  fi
else
  skip "fish --no-execute $fish_file" "fish is not installed"
fi

# bash: commands.
check "bash: urun st<TAB> -> start state" "start state " "$(bash_complete urun st)"

# bash: container ids come from `urun list -q`.
: >"$URUN_SHIM_LOG"
check "bash: urun state <TAB> lists ids" "alpha beta " "$(bash_complete urun state '')"
check "bash: urun state <TAB> runs 'urun list -q'" "list -q" "$(cat "$URUN_SHIM_LOG")"

: >"$URUN_SHIM_LOG"
bash_complete urun --root /tmp/r pause '' >/dev/null
check "bash: --root DIR is passed to urun list" "--root /tmp/r list -q" "$(cat "$URUN_SHIM_LOG")"

# '=' is a word break in bash: `--root=DIR` arrives as three words.
: >"$URUN_SHIM_LOG"
bash_complete urun --root = /tmp/s --debug resume '' >/dev/null
check "bash: --root=DIR is passed to urun list" "--root /tmp/s list -q" "$(cat "$URUN_SHIM_LOG")"

check "bash: delete completes several ids" "alpha beta " "$(bash_complete urun delete alpha '')"
check "bash: global option values" "json " "$(bash_complete urun --log-format = j)"
check "bash: --cgroup-manager values" "cgroupfs disabled systemd " \
  "$(bash_complete urun --cgroup-manager '')"
check "bash: --rootless values" "auto false true " "$(bash_complete urun --rootless '')"
check "bash: global options" "--log --log-format --log-level " "$(bash_complete urun --lo)"
check "bash: command options" "--keep " "$(bash_complete urun run --ke)"
check "bash: doctor and gc are commands" "doctor " "$(bash_complete urun do)"
check "bash: run --network values" "host none " "$(bash_complete urun run --network '')"
check "bash: gc options" "--dry-run " "$(bash_complete urun gc --d)"
check "bash: ps --format values" "json table " "$(bash_complete urun ps -f '')"
check "bash: kill signal" "KILL " "$(bash_complete urun kill alpha KIL)"
check "bash: nothing after the exec id" "" "$(bash_complete urun exec -t alpha l)"
check "bash: no ids for create" "" "$(bash_complete urun create -b /tmp '')"

# fish, when present.
fish_complete() {
  fish --no-config -c 'source $argv[1]; complete -C"$argv[2]" | cut -f1 | sort | string join " "' \
    "$fish_file" "$1"
}
if ((have_fish)); then
  check "fish: urun st -> start state" "start state" "$(fish_complete 'urun st')"
  : >"$URUN_SHIM_LOG"
  check "fish: urun state lists ids" "alpha beta" "$(fish_complete 'urun state ')"
  : >"$URUN_SHIM_LOG"
  fish_complete 'urun --root /tmp/r pause ' >/dev/null
  check "fish: --root DIR is passed to urun list" "--root /tmp/r list -q" "$(cat "$URUN_SHIM_LOG")"
  check "fish: --log-level values" "debug error info warning" "$(fish_complete 'urun --log-level ')"
else
  for t in "urun st" "ids" "--root" "--log-level"; do skip "fish: $t" "fish is not installed"; done
fi

echo "1..$n"
