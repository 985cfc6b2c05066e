#!/bin/sh
# ctest fixture: a private D-Bus session in one of the keychain states a
# user's machine can be in, at a fixed address (unix:path=DIR/bus) that the
# tests name in their environment:
#   unlocked  a GNOME Keyring Secret Service, unlocked (the usual desktop)
#   bus-only  a session bus and no Secret Service on it (nothing activatable)
#   locked    a GNOME Keyring whose login collection exists but is locked, and
#             no prompter can unlock it (no display)
# Usage: start-keychain.sh STATE DIR
set -eu
state=$1
dir=$2
"$(dirname "$0")/stop-keyring.sh" "$dir" || true
rm -rf "$dir"
mkdir -p "$dir/home" "$dir/runtime" "$dir/services"
chmod 700 "$dir/runtime"
export HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" XDG_DATA_HOME="$dir/home/.local/share"
unset DISPLAY WAYLAND_DISPLAY
# Our own bus configuration: only the services of $dir/services can be
# activated, so no Secret Service (or prompter) starts behind the test's back.
cat >"$dir/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/bus</listen>
  <servicedir>$dir/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$dir/session.conf" --fork --print-pid=3 3>"$dir/dbus.pid"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus"

wait_for_secret_service() {
  i=0
  while ! dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
          org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 50 ] || { echo "the Secret Service did not come up" >&2; exit 1; }
    sleep 0.1
  done
}

# The name is owned before the daemon has made and unlocked the login
# keyring (it does that after joining the bus): a test that stores a key in
# that window fails, which a loaded CI machine made last four tests at once.
# Ready means: the default alias names a collection, and it is unlocked.
wait_for_unlocked_login() { wait_for_login Locked false; }

# wait_for_login PROPERTY VALUE: the default collection exists and its
# boolean PROPERTY is VALUE.
wait_for_login() {
  i=0
  while :; do
    alias=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
              org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null \
            | sed -n 's/.*object path "\(.*\)"/\1/p')
    if [ -n "$alias" ] && [ "$alias" != "/" ] \
       && dbus-send --session --print-reply --dest=org.freedesktop.secrets "$alias" \
            org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection "string:$1" \
            2>/dev/null | grep -q "boolean $2"; then
      return 0
    fi
    i=$((i + 1))
    [ "$i" -lt 100 ] || { echo "the login keyring's $1 was not $2 within 10 s" >&2; exit 1; }
    sleep 0.1
  done
}

case "$state" in
unlocked)
  # --unlock reads the login keyring's password from stdin and creates the
  # keyring when it does not exist yet.
  printf 'safecell-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >"$dir/keyring.env"
  wait_for_secret_service
  wait_for_unlocked_login
  ;;
bus-only)
  ;;
locked)
  # Create the login keyring with a password, then restart the daemon
  # without it: the collection is there, locked.
  printf 'safecell-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >"$dir/keyring.env"
  wait_for_secret_service
  wait_for_unlocked_login # the login keyring is on disk before the restart
  "$(dirname "$0")/stop-keyring.sh" "$dir" --keyring-only
  gnome-keyring-daemon --components=secrets --daemonize >"$dir/keyring.env"
  wait_for_secret_service
  wait_for_login Locked true # loaded from disk, and locked: the state the tests expect
  ;;
*)
  echo "usage: start-keychain.sh unlocked|bus-only|locked DIR" >&2
  exit 2
  ;;
esac
echo "keychain ($state) at $DBUS_SESSION_BUS_ADDRESS"
