#!/bin/sh
# ctest fixture cleanup: ends the private session bus and its keyring
# (with --keyring-only, the keyring alone).
dir=$1
[ -f "$dir/dbus.pid" ] || exit 0
# gnome-keyring-daemon was started with this bus; find it by its environment.
for p in $(pgrep -f gnome-keyring-daemon 2>/dev/null); do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "DBUS_SESSION_BUS_ADDRESS=unix:path=$dir/bus"; then
    kill "$p" 2>/dev/null
    # Wait until it is gone, so a restart does not find its bus name taken.
    i=0
    while kill -0 "$p" 2>/dev/null && [ "$i" -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
  fi
done
[ "${2:-}" = "--keyring-only" ] && exit 0
kill "$(cat "$dir/dbus.pid")" 2>/dev/null
rm -f "$dir/dbus.pid"
exit 0
