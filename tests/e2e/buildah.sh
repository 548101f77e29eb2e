#!/bin/bash
# buildah.sh: urun as buildah's runtime (`buildah --runtime`, OCI isolation),
# end to end (issue 13).  Run by run-clients.sh as the user under test (root
# or urun-tester) inside its private mount namespace, with vfs storage under
# the test directory.
#
# Environment: E2E_MODE (root|rootless), URUN, E2E_DIR (lib-e2e.sh),
# E2E_SCRATCH, E2E_IMAGE_TAR (an OCI archive of the busybox rootfs, tag
# latest), CONTAINERS_STORAGE_CONF, CONTAINERS_CONF, HOME, XDG_*, TMPDIR.
# shellcheck source=tests/e2e/lib-e2e.sh
. "$E2E_DIR/lib-e2e.sh"

BASE=localhost/urun-e2e-bb:latest
S=$E2E_SCRATCH

b () { timeout -s KILL "$E2E_TIMEOUT" buildah "$@"; }
# urun's warnings on stderr are left out of $out and shown once as
# diagnostics: buildah's specs ask for ambient capabilities without
# inheritable ones, which the kernel cannot grant (config.md wants a warning;
# runc and crun skip them silently), and rootless, for a devices cgroup that
# the user cannot have.
warned=
run_b ()
{
  local w
  out=$(b "$@" 2>&1)
  status=$?
  w=$(grep '^urun: warning: ' <<<"$out")
  if [ -n "$w" ] && [[ $warned != *"$w"* ]]; then
    diag "$w"
    warned+=$w
  fi
  out=$(grep -v '^urun: warning: ' <<<"$out")
}

diag "$(buildah --version 2>&1), $("$URUN" --version 2>&1 | head -1), mode $E2E_MODE, uid $(id -u)"

# ---- the base image, from the OCI archive (no registry) -----------------------------
run_b pull -q "oci-archive:$E2E_IMAGE_TAR"
if ! ok "buildah pull oci-archive:" test "$status" -eq 0; then
  diag "$out"
  finish
fi
id=$(tail -n 1 <<<"$out")
ok "buildah tag the base image $BASE" b tag "$id" "$BASE"

# ---- buildah run on a working container -----------------------------------------------------
run_b from --name w1 --pull=never "$BASE"
is "$status:$out" "0:w1" "buildah from the local base image"
run_b run --runtime "$URUN" --network none w1 -- sh -c 'echo run-by-urun; cat /tmp/marker; id -u'
is "$status:$out" $'0:run-by-urun\nimage-marker\n0' "buildah run --runtime urun: output, the image's files, uid 0"
run_b run --runtime "$URUN" --network none w1 -- sh -c 'exit 3'
like "$status:$out" '^[1-9][0-9]*:.*exit status 3' "buildah run reports the exit status (3)"
run_b run --runtime "$URUN" --network none --user 1000:1000 w1 -- id -u
is "$out" 1000 "buildah run --user"
run_b run --runtime "$URUN" --network none w1 -- sh -c 'echo persisted > /w1-file'
run_b run --runtime "$URUN" --network none w1 -- cat /w1-file
is "$out" persisted "a file written by one run is there in the next"
ok "buildah rm the working container" b rm w1

# ---- buildah bud: RUN steps of a Containerfile -----------------------------------------------
mkdir -p "$S/ctx"
echo from-the-context >"$S/ctx/ctx-file"
cat >"$S/ctx/Containerfile" <<EOF
FROM $BASE
COPY ctx-file /ctx-file
RUN echo "step-one: \$(cat /tmp/marker)" && echo built-by-urun > /built
RUN cat /ctx-file /built; id -u > /uid; test -f /built
ENV GREETING=hi
RUN echo "env: \$GREETING" > /env
EOF
run_b bud --runtime "$URUN" --network none --layers=false -t localhost/urun-e2e-built "$S/ctx"
if ! ok "buildah bud --runtime urun" test "$status" -eq 0; then
  diag "$out"
fi
like "$out" 'step-one: image-marker' "the first RUN step's output"
like "$out" $'from-the-context\nbuilt-by-urun' "the second RUN step sees the COPY and the first step's file"

run_b from --name w2 --pull=never localhost/urun-e2e-built
is "$status:$out" "0:w2" "buildah from the built image"
run_b run --runtime "$URUN" --network none w2 -- cat /built /uid /env
is "$out" $'built-by-urun\n0\nenv: hi' "the built image holds the RUN steps' files"
b rm w2 >/dev/null 2>&1

# A failing RUN step fails the build, with the step's status.
cat >"$S/ctx/Containerfile.fail" <<EOF
FROM $BASE
RUN echo before-failure; exit 5
EOF
run_b bud --runtime "$URUN" --network none --layers=false -f "$S/ctx/Containerfile.fail" -t localhost/urun-e2e-fail "$S/ctx"
like "$status:$out" '^[1-9][0-9]*:.*before-failure.*exit status 5' "a failing RUN step fails the build (exit status 5)"

# The runtime as buildah's default (BUILDAH_RUNTIME), host network.
out=$(BUILDAH_RUNTIME=$URUN b bud --network host --layers=false -t localhost/urun-e2e-env - <<EOF 2>&1
FROM $BASE
RUN echo via-env && test -e /proc/self/ns/net
EOF
)
like "$out" 'via-env' "BUILDAH_RUNTIME=urun, --network host"

finish
