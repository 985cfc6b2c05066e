#!/bin/sh
# ctest fixture cleanup: ends the private session bus and its keyring.
dir=$1
[ -f "$dir/dbus.pid" ] || exit 0
pid=$(cat "$dir/dbus.pid")
# gnome-keyring-daemon was started with this bus; find it by its environment.
for p in $(pgrep -f gnome-keyring-daemon 2>/dev/null); do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "DBUS_SESSION_BUS_ADDRESS=unix:path=$dir/bus"; then
    kill "$p" 2>/dev/null
  fi
done
kill "$pid" 2>/dev/null
rm -f "$dir/dbus.pid"
exit 0
