#!/bin/bash
# check-catalog.sh: TAP checks that the translation catalog keeps up with the
# sources.  Every C file that marks strings (_(), N_()) is listed in
# po/POTFILES.in, every listed file exists, and po/zh_CN.po translates every
# message xgettext finds there, with nothing fuzzy or untranslated: a string
# for people that reaches no catalog is a defect, not a follow-up.
#
# Usage: check-catalog.sh SOURCE-ROOT

top=$1
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

for tool in xgettext msgcmp msgfmt; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool is not installed (package gettext)"
    exit 0
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

listed=$(grep -v '^#' "$top/po/POTFILES.in" | grep . | sort)
marking=$(cd "$top" && grep -rlE '(^|[^A-Za-z0-9_])N?_ *\("' --include='*.c' src | sort)

missing=$(comm -13 <(echo "$listed") <(echo "$marking"))
if [ -z "$missing" ]; then
  ok "every source file that marks strings is in po/POTFILES.in"
else
  not_ok "every source file that marks strings is in po/POTFILES.in" $missing
fi

gone=$(for f in $listed; do [ -f "$top/$f" ] || echo "$f"; done)
if [ -z "$gone" ]; then
  ok "every file po/POTFILES.in lists exists"
else
  not_ok "every file po/POTFILES.in lists exists" $gone
fi

# The keywords of meson's glib preset that urun uses.
if (cd "$top" && xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
      --keyword=C_:1c,2 --keyword=NC_:1c,2 -o "$tmp/urun.pot" -f po/POTFILES.in) \
    2>"$tmp/xgettext.err" && ! grep -q warning "$tmp/xgettext.err"; then
  ok "xgettext reads the sources without a warning"
else
  not_ok "xgettext reads the sources without a warning" "$(cat "$tmp/xgettext.err")"
fi

if msgcmp "$top/po/zh_CN.po" "$tmp/urun.pot" 2>"$tmp/msgcmp.err"; then
  ok "po/zh_CN.po has every message of the sources (ninja urun-update-po)"
else
  not_ok "po/zh_CN.po has every message of the sources (ninja urun-update-po)" \
    "$(head -20 "$tmp/msgcmp.err")"
fi

stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$top/po/zh_CN.po" 2>&1)
if [[ $stats != *fuzzy* && $stats != *untranslated* ]]; then
  ok "po/zh_CN.po is complete: $stats"
else
  not_ok "po/zh_CN.po is complete (nothing fuzzy or untranslated)" "$stats"
fi

echo "1..$n"
