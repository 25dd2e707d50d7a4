#!/bin/sh
# dist/DeBoP Desktop.app (made by `make package` on a Mac, from the spec's BUNDLE step)
# -> dist/DeBoP-Desktop-<version>-macos-<arch>.dmg with an Applications link to drag onto.
# Not run here (no Mac): .github/workflows/package.yml runs it. The app is not signed or
# notarized; the first start needs right-click > Open until it is.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APP="$ROOT/dist/DeBoP Desktop.app"
VERSION=$("$ROOT/dist/debop-desktop/debop" --version | awk '{print $NF}')
STAGE="$ROOT/build/dmg"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "DeBoP Desktop" -srcfolder "$STAGE" -ov -format UDZO \
    "$ROOT/dist/DeBoP-Desktop-$VERSION-macos-$(uname -m).dmg"
