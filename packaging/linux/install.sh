#!/bin/sh
# Install DeBoP Desktop for this user (no root needed): the app folder goes to
# ~/.local/share/debop-desktop/app, a menu entry and icon to ~/.local/share, and the
# `debop-desktop` and `debop` commands to ~/.local/bin. Run it again to update.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
DEST="$DATA/debop-desktop/app"
BIN="$HOME/.local/bin"
if [ ! -x "$HERE/debop-desktop/debop-desktop" ]; then
    echo "The app folder 'debop-desktop' is not next to this script; unpack the whole archive first." >&2
    exit 1
fi
mkdir -p "$DATA/debop-desktop" "$BIN" "$DATA/applications" "$DATA/icons/hicolor/scalable/apps" \
    "$DATA/icons/hicolor/256x256/apps"
rm -rf "$DEST.new"
cp -R "$HERE/debop-desktop" "$DEST.new"
rm -rf "$DEST"
mv "$DEST.new" "$DEST"
ln -sf "$DEST/debop-desktop" "$BIN/debop-desktop"
ln -sf "$DEST/debop" "$BIN/debop"
cp "$HERE/debop-desktop.svg" "$DATA/icons/hicolor/scalable/apps/debop-desktop.svg"
cp "$HERE/debop-desktop.png" "$DATA/icons/hicolor/256x256/apps/debop-desktop.png"
sed "s|@APPDIR@|$DEST|g" "$HERE/debop-desktop.desktop" > "$DATA/applications/debop-desktop.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
echo "DeBoP Desktop is installed: find it in your applications menu, or run $BIN/debop-desktop"
