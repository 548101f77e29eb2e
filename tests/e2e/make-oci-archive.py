#!/usr/bin/env python3
# make-oci-archive.py LAYER.tar OUT.tar NAME: wrap one uncompressed layer
# tarball into an OCI image layout archive (oci-layout, index.json, blobs/)
# for linux/<this machine>, tagged NAME.  The result is what `ctr image
# import` and `buildah from oci-archive:OUT.tar` read: the e2e client suites
# have no registry, so their image is the integration tests' busybox rootfs.
#
# The name is recorded twice: io.containerd.image.name (the full reference
# containerd imports the image as) and org.opencontainers.image.ref.name
# (the tag, what oci-archive: readers match).
import hashlib
import io
import json
import platform
import sys
import tarfile
import time

ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm",
        "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64"}


def blob(out, data, media_type):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo("blobs/sha256/" + digest.split(":", 1)[1])
    info.size = len(data)
    info.mtime = int(time.time())
    out.addfile(info, io.BytesIO(data))
    return {"mediaType": media_type, "digest": digest, "size": len(data)}


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: make-oci-archive.py LAYER.tar OUT.tar NAME")
    layer_path, out_path, name = sys.argv[1:]
    machine = platform.machine()
    arch = ARCH.get(machine)
    if arch is None:
        sys.exit(f"make-oci-archive.py: no OCI architecture for {machine}")
    with open(layer_path, "rb") as f:
        layer = f.read()
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "architecture": arch,
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["/bin/sh"],
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "make-oci-archive.py"}],
    }
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else "latest"
    with tarfile.open(out_path, "w") as out:
        layer_desc = blob(out, layer, "application/vnd.oci.image.layer.v1.tar")
        config_desc = blob(out, json.dumps(config).encode(),
                           "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2,
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_desc, "layers": [layer_desc]}
        manifest_desc = blob(out, json.dumps(manifest).encode(),
                             "application/vnd.oci.image.manifest.v1+json")
        manifest_desc["platform"] = {"architecture": arch, "os": "linux"}
        manifest_desc["annotations"] = {
            "io.containerd.image.name": name,
            "org.opencontainers.image.ref.name": tag,
        }
        index = {"schemaVersion": 2, "manifests": [manifest_desc]}
        for fname, data in (("oci-layout", {"imageLayoutVersion": "1.0.0"}),
                            ("index.json", index)):
            raw = json.dumps(data).encode()
            info = tarfile.TarInfo(fname)
            info.size = len(raw)
            info.mtime = int(time.time())
            out.addfile(info, io.BytesIO(raw))


if __name__ == "__main__":
    main()
