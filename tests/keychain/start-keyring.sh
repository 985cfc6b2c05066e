#!/bin/sh
# ctest fixture: a private D-Bus session with an unlocked GNOME Keyring, the
# real Secret Service the KeyStore tests talk to (see start-keychain.sh).
exec "$(dirname "$0")/start-keychain.sh" unlocked "$1"
