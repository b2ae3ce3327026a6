#!/usr/bin/env bash
# Build CaseApp as an application folder for Linux and prove it works:
#
#   packaging/build.sh                # build, then smoke-test
#   packaging/build.sh --smoke-only   # smoke-test the application already in dist/caseapp
#
# 1. checks the desktop entry, AppStream and MIME files and the one version (packaging/check.sh);
# 2. renders the icon and runs PyInstaller on packaging/caseapp.spec: build/ (work files) and dist/caseapp/
#    (the application), then adds the desktop files under dist/caseapp/share/ and install.sh;
# 3. smoke-tests the built program: --version, demo into a throwaway data folder, cases (English and French),
#    PDFs, typed dates, deadlines with holidays, database status and keyring, a signed and encrypted bundle,
#    PostgreSQL (when the server programs are installed), the window offscreen and under Xvfb (when
#    installed), and install.sh into a throwaway HOME and out again;
# 4. packs dist/caseapp-VERSION-linux-ARCH.tar.gz and prints the size and start-up times next to `uv run caseapp`.
#
# Any failing step stops the script with a non-zero status. Running it again rebuilds from scratch.
# Needs uv; PyInstaller is fetched by uv for the build only (it is not a dependency of CaseApp).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
app_id=fr.caseapp.CaseApp
app="$root/dist/caseapp"
exe="$app/caseapp"
pyinstaller=(uv run --with 'pyinstaller>=6.10,<7')

step() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nBUILD FAILED: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
"") build=yes ;;
--smoke-only) build=no ;;
*) fail "usage: packaging/build.sh [--smoke-only]" ;;
esac
command -v uv >/dev/null 2>&1 || fail "uv is needed: python3 -m pip install uv"
scratch=$(mktemp -d /tmp/caseapp-build.XXXXXX)
pg_dir=""
cleanup() {
    if [ -n "$pg_dir" ]; then tests/support/pgcluster.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
    rm -rf "$scratch"
}
trap 'status=$?; cleanup; [ $status -eq 0 ] || printf "\nBUILD FAILED (exit %s)\n" "$status" >&2' EXIT

step "checks: desktop entry, AppStream, MIME type, version"
packaging/check.sh
version=$(uv run --quiet python -c 'import caseapp; print(caseapp.__version__)')

if [ "$build" = yes ]; then
    step "icons from resources/icons/caseapp.svg"
    rm -rf build/icons
    uv run --quiet python packaging/render_icons.py build/icons

    step "PyInstaller (about two minutes)"
    mkdir -p build
    started=$(date +%s)
    if ! "${pyinstaller[@]}" pyinstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/caseapp.spec >build/pyinstaller.log 2>&1; then
        tail -n 40 build/pyinstaller.log >&2
        fail "PyInstaller failed (whole log: build/pyinstaller.log)"
    fi
    build_seconds="$(($(date +%s) - started)) s"
    if grep -E 'Hidden import "(caseapp|ui|keyring|secretstorage|jeepney|alembic|holidays|dateparser|psycopg)[^"]*" not found' \
        build/pyinstaller.log | grep -v 'psycopg_binary._uuid'; then
        fail "modules CaseApp loads by name are missing (build/pyinstaller.log)"
    fi
    echo "built in $build_seconds; warnings in build/pyinstaller.log"
else
    [ -x "$exe" ] && [ -d build/icons ] || fail "nothing built yet: run packaging/build.sh"
    build_seconds="(not rebuilt)"
fi

step "desktop files into dist/caseapp/share"
share="$app/share"
rm -rf "$share"
install -D -m 0644 "packaging/linux/$app_id.desktop" "$share/applications/$app_id.desktop"
install -D -m 0644 "packaging/linux/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
install -D -m 0644 "packaging/linux/$app_id.mime.xml" "$share/mime/packages/$app_id.xml"
install -D -m 0644 packaging/linux/caseapp-remind.service "$share/systemd/user/caseapp-remind.service"
install -D -m 0644 packaging/linux/caseapp-remind.timer "$share/systemd/user/caseapp-remind.timer"
for icon in build/icons/hicolor/*/apps/"$app_id".*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    install -D -m 0644 "$icon" "$share/icons/hicolor/$size/apps/$(basename "$icon")"
    # the same picture for .casebundle files in file managers
    install -D -m 0644 "$icon" "$share/icons/hicolor/$size/mimetypes/application-x-caseapp-bundle.${icon##*.}"
done
install -m 0755 packaging/linux/install.sh "$app/install.sh"

step "contents"
"${pyinstaller[@]}" pyi-archive_viewer -r -b "$exe" >"$scratch/modules.txt" 2>/dev/null
for module in caseapp.cli ui.app keyring.backends.SecretService keyring.backends.libsecret keyring.backends.kwallet \
    keyring.backends.chainer secretstorage jeepney alembic.op alembic.context alembic.ddl.sqlite \
    alembic.ddl.postgresql sqlalchemy.dialects.postgresql.psycopg psycopg psycopg_binary holidays.countries.france \
    dateparser.data.date_translation_data.fr dateparser.data.date_translation_data.en reportlab pypdf cryptography \
    pyrage platformdirs tzdata; do
    grep -qx " *${module//./\\.}" "$scratch/modules.txt" || [ -e "$app/_internal/$module" ] || fail "module $module is not in the build"
done
internal="$app/_internal"
for file in caseapp/store/migrations/env.py caseapp/store/migrations/script.py.mako \
    "caseapp-$version.dist-info/METADATA" resources/fonts/DejaVuSans.ttf resources/fonts/LICENSE-DejaVu.txt \
    resources/locale/fr/LC_MESSAGES/core.po resources/icons/caseapp.svg holidays/locale/fr/LC_MESSAGES/FR.mo \
    PySide6/Qt/translations/qtbase_fr.qm PySide6/Qt/plugins/platforms/libqxcb.so \
    PySide6/Qt/plugins/platforms/libqwayland.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
    PySide6/Qt/plugins/iconengines/libqsvgicon.so; do
    [ -e "$internal/$file" ] || fail "$file is not in the build"
done
for migration in caseapp/store/migrations/versions/*.py; do
    [ -e "$internal/$migration" ] || fail "$migration is not in the build"
done
for module in $(grep -rhoE 'PySide6\.Qt[A-Za-z]+' ui | sort -u); do  # a Qt module the interface imports
    ls "$internal/PySide6/${module#PySide6.}".* >/dev/null 2>&1 || fail "$module (imported by ui/) is not in the build"
done
echo "every module loaded by name, every Qt module of ui/ and every data file is there"

# Every run below uses throwaway folders: nothing of the person's own CaseApp is read or changed.
export CASEAPP_DATA_DIR="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_STATE_HOME="$scratch/state" \
    XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/share" CASEAPP_LANG=en
unset CASEAPP_DB_URL

step "smoke test: command line"
[ "$("$exe" --version)" = "CaseApp $version" ] || fail "--version says $("$exe" --version), not CaseApp $version"
echo "--version: CaseApp $version"
"$exe" demo
"$exe" cases >"$scratch/cases-en.txt"
grep -q 1901249 "$scratch/cases-en.txt" || fail "the example case 1901249 is not listed"
CASEAPP_LANG=fr "$exe" cases >"$scratch/cases-fr.txt"
cmp -s "$scratch/cases-en.txt" "$scratch/cases-fr.txt" && fail "cases in French is the same as in English"
echo "cases: $(($(wc -l <"$scratch/cases-en.txt") - 1)) cases, English and French"
pdf=/tmp/caseapp-smoke-summary-$$.pdf
"$exe" summary 1901249 -o "$pdf"
[ -s "$pdf" ] && [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "$pdf is not a PDF"
rm -f "$pdf"
"$exe" bordereau 1901249 -o "$scratch/bordereau.pdf" >/dev/null
[ "$(head -c 5 "$scratch/bordereau.pdf")" = "%PDF-" ] || fail "the bordereau is not a PDF"
"$exe" parse-date "mardi prochain 14h" >"$scratch/date.txt"
grep -q 'T14:00:00' "$scratch/date.txt" || fail "parse-date did not understand French"
"$exe" deadline compute --rule rep --trigger 2020-02-27 --seat 974 >"$scratch/deadline.txt"
grep -q 2020 "$scratch/deadline.txt" || fail "deadline compute failed"
echo "PDFs, typed dates and deadlines (holidays of La Réunion): fine"
"$exe" db status | tee "$scratch/db-status.txt"
grep -qi keyring "$scratch/db-status.txt" || fail "db status says nothing of the keyring"
"$exe" --help >"$scratch/help.txt"
if grep -qE '^ +export ' "$scratch/help.txt"; then
    CASEAPP_BUNDLE_PASSPHRASE=smoke-test "$exe" export 1901249 -o "$scratch/case.casebundle" --sign --encrypt-passphrase
    CASEAPP_BUNDLE_PASSPHRASE=smoke-test "$exe" verify "$scratch/case.casebundle"
else
    echo "(no export command in this version: bundle smoke test skipped)"
fi

if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && [ "${CASEAPP_SMOKE_PG:-1}" != 0 ]; then
    step "smoke test: a PostgreSQL server (throwaway cluster)"
    pg_dir=$(mktemp -d /tmp/caseapp-build-pg.XXXXXX)
    pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_url=$(tests/support/pgcluster.sh start "$pg_dir" "$pg_port")
    "$exe" --data-dir "$scratch/pg-data" db connect "$pg_url"
    "$exe" --data-dir "$scratch/pg-data" demo
    "$exe" --data-dir "$scratch/pg-data" cases >"$scratch/pg-cases.txt"
    grep -q 1901249 "$scratch/pg-cases.txt" || fail "the cases are not on the server"
    tests/support/pgcluster.sh stop "$pg_dir" >/dev/null 2>&1
    rm -rf "$pg_dir"
    pg_dir=""
fi

step "smoke test: the window, offscreen, quitting by itself after 3 s"
gui_ok() {  # $1: log of the run; the interface log must hold no error either
    if grep -E 'Traceback|ERROR|CRITICAL' "$1" "$scratch"/state/CaseApp/log/*.log 2>/dev/null; then
        fail "the window logged errors"
    fi
}
QT_QPA_PLATFORM=offscreen CASEAPP_SMOKE_QUIT_MS=3000 timeout 120 "$exe" >"$scratch/gui.log" 2>&1 \
    || { cat "$scratch/gui.log" >&2; fail "the window did not start and quit cleanly"; }
gui_ok "$scratch/gui.log"
echo "started, quit, exit code 0"
if command -v xvfb-run >/dev/null 2>&1; then
    step "smoke test: the window on an X server (Xvfb, the xcb plugin and its libraries)"
    QT_QPA_PLATFORM=xcb CASEAPP_SMOKE_QUIT_MS=3000 timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" "$exe" \
        >"$scratch/gui-x.log" 2>&1 || { cat "$scratch/gui-x.log" >&2; fail "the window failed under Xvfb"; }
    gui_ok "$scratch/gui-x.log"
    echo "started, quit, exit code 0"
fi

step "install.sh into a throwaway HOME, then --uninstall"
home="$scratch/home"
mkdir -p "$home"
env -u PREFIX -u XDG_DATA_HOME HOME="$home" "$app/install.sh" >"$scratch/install.log"
cat "$scratch/install.log"
"$home/.local/bin/caseapp" --version >/dev/null
desktop-file-validate "$home/.local/share/applications/$app_id.desktop"
grep -q "^Exec=\"$home/.local/lib/caseapp/caseapp\" %f" "$home/.local/share/applications/$app_id.desktop" \
    || fail "the installed menu entry does not start the installed program"
for size in 16 32 48 64 128 256 512; do
    [ -f "$home/.local/share/icons/hicolor/${size}x${size}/apps/$app_id.png" ] || fail "no ${size}px icon installed"
done
grep -q 'application/x-caseapp-bundle:\*\.casebundle' "$home/.local/share/mime/globs2" \
    || fail "the .casebundle type is not registered"
if command -v gio >/dev/null 2>&1; then
    printf 'age-encryption.org/v1\n' >"$scratch/example.casebundle"  # what an encrypted bundle starts with
    as_user=(env HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_DATA_DIRS=/usr/share)
    "${as_user[@]}" gio info -a standard::content-type "$scratch/example.casebundle" >"$scratch/type.txt"
    grep -q application/x-caseapp-bundle "$scratch/type.txt" \
        || fail "a .casebundle file is not recognised as application/x-caseapp-bundle"
    "${as_user[@]}" gio mime application/x-caseapp-bundle >"$scratch/handler.txt"
    grep -q "Default application.*$app_id.desktop" "$scratch/handler.txt" \
        || fail "CaseApp is not the application for .casebundle files"
    echo "a .casebundle file is application/x-caseapp-bundle and opens with $app_id.desktop"
fi
env -u PREFIX -u XDG_DATA_HOME HOME="$home" "$home/.local/lib/caseapp/install.sh" --uninstall
left=$(find "$home/.local" -type f ! -path "*/share/mime/*" ! -name mimeinfo.cache)
[ -z "$left" ] || fail "--uninstall left files behind: $left"

step "tarball"
arch=$(uname -m)
tarball="dist/caseapp-$version-linux-$arch.tar.gz"
rm -f dist/caseapp-*-linux-*.tar.gz
tar -C dist -czf "$tarball" caseapp

step "start-up times (median of 5 runs)"
median() {  # $@: a command; prints the median wall time in seconds
    local times=() start end
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || fail "timed run failed: $*"
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{printf "%.2f s", $1 / 1000}'
}
built_version=$(median "$exe" --version)
uv_version=$(median uv run caseapp --version)
built_gui=$(median env QT_QPA_PLATFORM=offscreen CASEAPP_SMOKE_QUIT_MS=0 "$exe")
uv_gui=$(median env QT_QPA_PLATFORM=offscreen CASEAPP_SMOKE_QUIT_MS=0 uv run caseapp)

report=$(
    cat <<EOF
CaseApp $version, Linux $arch, built by PyInstaller in $build_seconds
application folder  dist/caseapp            $(du -sh "$app" | cut -f1)
tarball             $tarball  $(du -sh "$tarball" | cut -f1)
start-up (median of 5)          built     uv run caseapp
  caseapp --version             $built_version    $uv_version
  window up, then quit          $built_gui    $uv_gui
install: $app/install.sh (into ~/.local), or unpack the tarball and run caseapp/install.sh
EOF
)
step "done"
echo "$report" | tee build/report.txt
