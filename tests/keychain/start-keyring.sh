#!/bin/sh
# ctest fixture: a private D-Bus session with an unlocked GNOME Keyring, the
# real Secret Service the KeyStore tests talk to. Its address is fixed
# (unix:path=DIR/bus) so the tests can name it in their environment.
set -eu
dir=$1
"$(dirname "$0")/stop-keyring.sh" "$dir" || true
rm -rf "$dir"
mkdir -p "$dir/home" "$dir/runtime"
chmod 700 "$dir/runtime"
export HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" XDG_DATA_HOME="$dir/home/.local/share"
dbus-daemon --session --fork --address="unix:path=$dir/bus" --print-pid=3 3>"$dir/dbus.pid"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus"
# --unlock reads the login keyring's password from stdin and creates the
# keyring when it does not exist yet.
printf 'safecell-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >"$dir/keyring.env"
# Wait until the Secret Service answers on the bus.
i=0
while ! dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 50 ] || { echo "the Secret Service did not come up" >&2; exit 1; }
  sleep 0.1
done
echo "keyring up at $DBUS_SESSION_BUS_ADDRESS"
