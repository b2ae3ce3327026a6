#!/usr/bin/env bash
# Install the built CaseApp for one person (into ~/.local), with its menu entry, icon and .casebundle type:
#
#   packaging/linux/install.sh              # from a clone, after packaging/build.sh
#   ./install.sh                            # from inside a built caseapp folder (dist/caseapp or an unpacked tarball)
#   packaging/linux/install.sh --uninstall  # remove it again (the case files in the data folder are kept)
#
# PREFIX=/usr/local install.sh (as root) installs for everyone instead. Nothing outside PREFIX is touched:
#   PREFIX/lib/caseapp/                    the application folder
#   PREFIX/bin/caseapp                     a link to it, for the terminal
#   PREFIX/share/applications/fr.caseapp.CaseApp.desktop, share/metainfo/…, share/mime/packages/…,
#   share/icons/hicolor/…/apps/fr.caseapp.CaseApp.{png,svg}
#   share/systemd/user/caseapp-remind.{service,timer}  reminders every hour while the window is closed (enabled
#                                          for this user when systemd runs; PREFIX: `systemctl --global enable …`)
set -euo pipefail
app_id=fr.caseapp.CaseApp
prefix=${PREFIX:-$HOME/.local}
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "install.sh: $*" >&2; exit 1; }

refresh_caches() {  # each is optional: desktops without them rescan on their own
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$prefix/share/mime/packages" ]; then
        update-mime-database "$prefix/share/mime" || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$prefix/share/icons/hicolor" || true
    fi
}

installed_files() {
    echo "$prefix/bin/caseapp"
    echo "$prefix/share/applications/$app_id.desktop"
    echo "$prefix/share/metainfo/$app_id.metainfo.xml"
    echo "$prefix/share/mime/packages/$app_id.xml"
    echo "$prefix/share/systemd/user/caseapp-remind.service"
    echo "$prefix/share/systemd/user/caseapp-remind.timer"
    for icon in "$prefix"/share/icons/hicolor/*/apps/"$app_id".* \
        "$prefix"/share/icons/hicolor/*/mimetypes/application-x-caseapp-bundle.*; do
        [ -e "$icon" ] && echo "$icon"
    done
    return 0
}

user_systemd() {  # only for a person's own install, and only where a user systemd runs
    [ -z "${PREFIX:-}" ] && command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1
}

if [ "${1:-}" = "--uninstall" ]; then
    if user_systemd; then systemctl --user disable --now caseapp-remind.timer >/dev/null 2>&1 || true; fi
    installed_files | while read -r file; do rm -f "$file"; done
    rm -rf "$prefix/lib/caseapp"
    refresh_caches
    echo "CaseApp removed from $prefix (your cases, in the CaseApp data folder, are still there)."
    exit 0
fi

# The built application: an argument, the folder this script is in, or dist/caseapp of the clone.
if [ $# -ge 1 ]; then
    app=$(cd "$1" && pwd)
elif [ -x "$here/caseapp" ] && [ -d "$here/share" ]; then
    app=$here
else
    app=$(cd "$here/../.." && pwd)/dist/caseapp
fi
[ -x "$app/caseapp" ] && [ -d "$app/_internal" ] || fail "no built CaseApp in $app: run packaging/build.sh first"
[ -f "$app/share/applications/$app_id.desktop" ] || fail "$app has no share/ folder: run packaging/build.sh again"
case "$prefix" in
*[\"\`\$\\%]*) fail "PREFIX may not contain \" \` \$ \\ or %: $prefix" ;;
esac
"$app/caseapp" --version >/dev/null || fail "$app/caseapp does not run on this system"

# Copy the folder next to its destination first, then swap it in: an interrupted install leaves the old one.
mkdir -p "$prefix/lib" "$prefix/bin"
target="$prefix/lib/caseapp"
if [ "$app" != "$target" ]; then
    rm -rf "$target.new"
    cp -a "$app" "$target.new"
    rm -rf "$target"
    mv "$target.new" "$target"
fi
ln -sfn "$target/caseapp" "$prefix/bin/caseapp"

# Desktop integration, from the share/ folder that the build put in the application folder.
(cd "$target/share" && find . -type f) | while read -r file; do
    install -D -m 0644 "$target/share/$file" "$prefix/share/$file"
done
# The menu entry starts this copy wherever PREFIX is, even when PREFIX/bin is not on the desktop's PATH.
desktop="$prefix/share/applications/$app_id.desktop"
sed -i -e "s|^Exec=caseapp |Exec=\"$target/caseapp\" |" -e "/^Exec=/a TryExec=$target/caseapp" "$desktop"
refresh_caches
# The reminders' timer runs this copy (the application folder may not be on the PATH of the user's systemd).
for unit in caseapp-remind.service caseapp-remind.timer; do
    [ -f "$target/share/systemd/user/$unit" ] || continue
    sed -i "s|@BINDIR@|$target|g" "$prefix/share/systemd/user/$unit"
done
if user_systemd && systemctl --user daemon-reload 2>/dev/null \
    && systemctl --user enable --now caseapp-remind.timer >/dev/null 2>&1; then
    echo "Reminders every hour while CaseApp is closed: systemctl --user status caseapp-remind.timer"
else
    echo "To get reminders while CaseApp is closed: systemctl --user enable --now caseapp-remind.timer"
fi

echo "CaseApp $("$target/caseapp" --version | sed 's/^CaseApp //') installed in $target"
echo "It is in the applications menu; in a terminal: $prefix/bin/caseapp"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) echo "($prefix/bin is not on your PATH: add it to use the caseapp command by name)" ;;
esac
