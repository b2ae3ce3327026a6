#!/usr/bin/env bash
# Build CaseApp.app and a disk image on macOS (12 or later, Apple silicon or Intel: the build is for the
# machine's own architecture), with the same spec as Linux:
#
#   packaging/macos/build-macos.sh
#
# Needs uv and the Xcode command line tools (xcode-select --install). Never run on the machine that wrote it:
# see packaging/README.md for what is untested. Produces dist/CaseApp.app and dist/CaseApp-VERSION-macos-ARCH.dmg.
#
# Signing and notarization happen only when these are set (otherwise the app is signed ad hoc, which runs on
# the build machine and, after a right-click → Open, on others):
#   CASEAPP_SIGN_IDENTITY   "Developer ID Application: NAME (TEAMID)", a certificate in the login keychain
#   CASEAPP_NOTARY_PROFILE  a notarytool keychain profile, made once with
#                           xcrun notarytool store-credentials NAME --apple-id … --team-id … --password …
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Darwin ] || { echo "build-macos.sh runs on macOS" >&2; exit 1; }

fail() { echo "BUILD FAILED: $*" >&2; exit 1; }
version=$(uv run --quiet python -c 'import caseapp; print(caseapp.__version__)')
arch=$(uname -m)
app=dist/CaseApp.app
exe="$app/Contents/MacOS/caseapp"

echo "=== icons"
rm -rf build/icons
uv run --quiet python packaging/render_icons.py build/icons

echo "=== PyInstaller"
uv run --with 'pyinstaller>=6.10,<7' pyinstaller --noconfirm --clean --distpath dist \
    --workpath build/pyinstaller packaging/caseapp.spec

echo "=== Info.plist: version and the .casebundle document type"
plist="$app/Contents/Info.plist"
[ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$plist")" = "$version" ] \
    || fail "Info.plist does not carry version $version"
/usr/libexec/PlistBuddy -c 'Print :CFBundleDocumentTypes:0:LSItemContentTypes:0' "$plist" | grep -q casebundle \
    || fail "Info.plist does not declare .casebundle"
plutil -lint "$plist"

echo "=== smoke test (throwaway data folder)"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export CASEAPP_DATA_DIR="$data" CASEAPP_LANG=en
[ "$("$exe" --version)" = "CaseApp $version" ] || fail "--version is wrong"
"$exe" demo
"$exe" cases | grep -q 1901249 || fail "the example cases are missing"
"$exe" summary 1901249 -o "$data/summary.pdf"
[ "$(head -c 5 "$data/summary.pdf")" = "%PDF-" ] || fail "the summary is not a PDF"
"$exe" db status  # the keyring line should name the macOS Keychain
QT_QPA_PLATFORM=offscreen CASEAPP_SMOKE_QUIT_MS=3000 "$exe" || fail "the window did not start and quit cleanly"

if [ -n "${CASEAPP_SIGN_IDENTITY:-}" ]; then
    echo "=== codesign with the hardened runtime (inside out: libraries first, the app last)"
    entitlements=packaging/macos/entitlements.plist
    find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
        while IFS= read -r -d '' file; do
            if file "$file" | grep -q 'Mach-O'; then
                codesign --force --timestamp --options runtime --entitlements "$entitlements" \
                    --sign "$CASEAPP_SIGN_IDENTITY" "$file"
            fi
        done
    codesign --force --timestamp --options runtime --entitlements "$entitlements" \
        --sign "$CASEAPP_SIGN_IDENTITY" "$app"
    codesign --verify --strict --verbose=2 "$app"
fi

echo "=== disk image"
dmg="dist/CaseApp-$version-macos-$arch.dmg"
rm -f "$dmg"
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "CaseApp $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"

if [ -n "${CASEAPP_SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$CASEAPP_SIGN_IDENTITY" "$dmg"
fi
if [ -n "${CASEAPP_NOTARY_PROFILE:-}" ]; then
    [ -n "${CASEAPP_SIGN_IDENTITY:-}" ] || fail "notarization needs CASEAPP_SIGN_IDENTITY too"
    echo "=== notarization (Apple's service; a few minutes)"
    xcrun notarytool submit "$dmg" --keychain-profile "$CASEAPP_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
    xcrun stapler staple "$app"
    spctl --assess --type open --context context:primary-signature -vv "$dmg"
    spctl --assess --type execute -vv "$app"
fi
echo "CaseApp $version: $app ($(du -sh "$app" | cut -f1)), $dmg ($(du -sh "$dmg" | cut -f1))"
