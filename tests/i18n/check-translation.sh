#!/bin/bash
# check-translation.sh: TAP checks of the Simplified Chinese catalog.  Compiles
# the .po file into a temporary locale directory, points urun at it with
# URUN_LOCALEDIR, and checks that text for people is translated while the
# error wording that podman matches is not.
#
# Usage: check-translation.sh URUN-BINARY ZH_CN-PO-FILE

urun=$1
po=$2

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

if ! command -v msgfmt >/dev/null; then
  echo "1..0 # SKIP msgfmt is not installed"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES" "$tmp/root"

if msgfmt --check -o "$tmp/locale/zh_CN/LC_MESSAGES/urun.mo" "$po" 2>"$tmp/msgfmt.err"; then
  ok "msgfmt --check $po"
else
  not_ok "msgfmt --check $po" "$(cat "$tmp/msgfmt.err")"
fi

# Why LANG=C.UTF-8: the zh_CN locale is rarely generated on build machines,
# and glibc honours LANGUAGE for any locale but plain C.
zh() {
  env -u LC_ALL -u LC_MESSAGES URUN_LOCALEDIR="$tmp/locale" LANGUAGE=zh_CN LANG=C.UTF-8 \
    "$urun" "$@"
}

help=$(zh --help 2>&1)
if [[ $help == *运行*容器* && $help == *命令* ]]; then
  ok "urun --help is in Chinese"
else
  not_ok "urun --help is in Chinese" "${help//$'\n'/ | }"
fi

help=$(zh create --help 2>&1)
if [[ $help == *捆绑包目录* ]]; then
  ok "urun create --help describes options in Chinese"
else
  not_ok "urun create --help describes options in Chinese" "${help//$'\n'/ | }"
fi

out=$(zh checkpoint --help 2>&1)
status=$?
if ((status != 0)) && [[ $out == *urun* ]]; then
  ok "urun checkpoint --help still fails when translated"
else
  not_ok "urun checkpoint --help still fails when translated" "status $status"
fi

# podman matches "does not exist"; it must survive translation.
out=$(zh --root "$tmp/root" state nonexistent 2>&1)
if [[ $out == *"does not exist"* ]]; then
  ok "state of a missing container says 'does not exist'"
else
  not_ok "state of a missing container says 'does not exist'" "$out"
fi

echo "1..$n"
