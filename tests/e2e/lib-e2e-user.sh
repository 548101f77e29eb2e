# lib-e2e-user.sh: who the e2e runners (run-e2e.sh, run-clients.sh) run the
# clients as, sourced by their inner part with $mode (root or rootless) and
# $user (the unprivileged user) set.  Sets $as_user (empty as root) and
# $uid, and defines run_as CMD..., which runs CMD as that user.

if [ "$mode" = root ]; then
  as_user=
  uid=0
else
  as_user=$user
  uid=$(id -u "$user")
fi

run_as ()
{
  if [ -n "$as_user" ]; then
    setpriv --reuid="$as_user" --regid="$as_user" --init-groups -- "$@"
  else
    "$@"
  fi
}
