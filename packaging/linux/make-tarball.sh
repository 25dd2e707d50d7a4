#!/bin/sh
# dist/debop-desktop (the PyInstaller folder) -> dist/DeBoP-Desktop-<version>-linux-<arch>.tar.gz,
# with install.sh, uninstall.sh, the menu entry and the icons next to the app folder.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$("$ROOT/dist/debop-desktop/debop" --version | awk '{print $NF}')
ARCH=$(uname -m)
NAME="DeBoP-Desktop-$VERSION-linux-$ARCH"
STAGE="$ROOT/build/tarball/$NAME"
rm -rf "$ROOT/build/tarball"
mkdir -p "$STAGE"
cp -R "$ROOT/dist/debop-desktop" "$STAGE/debop-desktop"
cp "$ROOT/packaging/linux/install.sh" "$ROOT/packaging/linux/uninstall.sh" \
    "$ROOT/packaging/linux/debop-desktop.desktop" "$STAGE/"
cp "$ROOT/resources/icon.svg" "$STAGE/debop-desktop.svg"
cp "$ROOT/resources/icon.png" "$STAGE/debop-desktop.png"
tar -C "$ROOT/build/tarball" -czf "$ROOT/dist/$NAME.tar.gz" "$NAME"
echo "$ROOT/dist/$NAME.tar.gz"
