#!/bin/sh
# Rebuilds the stubs in ../../resources/io/outpaint/media/finish/stubs/linux-x86_64 (committed,
# so the build needs no C compiler). No libc dependency: they load on any glibc, Lambda's too.
set -eu
cd "$(dirname "$0")"
out=../../resources/io/outpaint/media/finish/stubs/linux-x86_64
mkdir -p "$out"
stub() { # file, version nodes...
  file=$1; shift
  script=$(mktemp)
  if [ $# -eq 0 ]; then echo '{ global: outpaint_device_stub; local: *; };' > "$script"; fi
  for node in "$@"; do echo "$node { global: outpaint_device_stub; };" >> "$script"; done
  gcc -shared -fPIC -nostdlib -s -O2 -Wl,-soname,"$file" -Wl,--version-script="$script" \
      -Wl,--hash-style=both -o "$out/$file" stub.c
  rm -f "$script"
}
stub libpulse.so.0 PULSE_0
stub libasound.so.2 ALSA_0.9 ALSA_0.9.0rc4
stub libxcb.so.1
stub libxcb-shm.so.0
