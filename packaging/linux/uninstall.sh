#!/bin/sh
# Remove what install.sh put in place. Your tasks and runs stay in your data folder
# (~/.local/share/DeBoP Desktop); delete it yourself if you wish. Model files are never touched.
set -eu
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
rm -rf "$DATA/debop-desktop"
rm -f "$HOME/.local/bin/debop-desktop" "$HOME/.local/bin/debop" "$DATA/applications/debop-desktop.desktop" \
    "$DATA/icons/hicolor/scalable/apps/debop-desktop.svg" "$DATA/icons/hicolor/256x256/apps/debop-desktop.png"
echo "DeBoP Desktop is uninstalled. Your tasks and runs are still in $DATA/DeBoP Desktop."
