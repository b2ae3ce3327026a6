#!/usr/bin/env bash
# Checks the Linux desktop integration files and the one version, without building anything (a few seconds):
#   - the desktop entry passes desktop-file-validate, the AppStream file passes appstreamcli validate --no-net,
#     the shared-mime-info file compiles and maps *.casebundle to application/x-caseapp-bundle;
#   - the files agree with each other (application id, icon, media type) and the newest AppStream release is the
#     package version (pyproject.toml = caseapp.__version__);
#   - the Windows and macOS recipes take the version from the same place instead of writing it down.
# Run it alone (packaging/check.sh) or through packaging/build.sh. Needs Debian's desktop-file-utils, appstream
# and shared-mime-info: installed here when missing and running as root with apt-get, otherwise it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
linux=packaging/linux
app_id=fr.caseapp.CaseApp

fail() { echo "packaging/check.sh: $*" >&2; exit 1; }

missing=""
for tool in desktop-file-validate:desktop-file-utils appstreamcli:appstream update-mime-database:shared-mime-info; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool##*:}"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "--- installing$missing"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null
    else
        fail "install these Debian packages first:$missing"
    fi
fi

echo "--- desktop entry"
desktop-file-validate "$linux/$app_id.desktop"
echo "$linux/$app_id.desktop: valid"

echo "--- AppStream metadata"
appstreamcli validate --no-net "$linux/$app_id.metainfo.xml"

echo "--- shared-mime-info"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/mime/packages"
cp "$linux/$app_id.mime.xml" "$scratch/mime/packages/$app_id.xml"
if ! XDG_DATA_HOME="$scratch" update-mime-database "$scratch/mime" >"$scratch/mime.log" 2>&1 || [ -s "$scratch/mime.log" ]; then
    cat "$scratch/mime.log" >&2
    fail "$linux/$app_id.mime.xml does not compile"
fi
grep -q ':application/x-caseapp-bundle:\*\.casebundle' "$scratch/mime/globs2" \
    || fail "*.casebundle is not mapped to application/x-caseapp-bundle"
echo "$linux/$app_id.mime.xml: *.casebundle is application/x-caseapp-bundle"

echo "--- one version, one id"
uv run --quiet python - "$linux" "$app_id" <<'PY'
import configparser
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import caseapp

linux, app_id = Path(sys.argv[1]), sys.argv[2]
problems = []
project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
if caseapp.__version__ != project:
    problems.append(f"caseapp.__version__ is {caseapp.__version__}, pyproject.toml says {project} (run uv sync)")

meta = ET.parse(linux / f"{app_id}.metainfo.xml").getroot()
releases = [r.get("version") for r in meta.iter("release")]
if not releases or releases[0] != project:
    problems.append(f"the newest AppStream release is {releases[:1]}, the package is {project}: add a <release>")
if meta.findtext("id") != app_id:
    problems.append(f"the AppStream id is {meta.findtext('id')}, expected {app_id}")
if meta.findtext("launchable") != f"{app_id}.desktop":
    problems.append("the AppStream launchable is not the desktop entry")

entry = configparser.ConfigParser(interpolation=None, strict=False)
entry.optionxform = str
entry.read(linux / f"{app_id}.desktop", encoding="utf-8")
desktop = entry["Desktop Entry"]
if desktop.get("Icon") != app_id:
    problems.append(f"the desktop entry's Icon is {desktop.get('Icon')}, expected {app_id}")
mime_types = [t for t in desktop.get("MimeType", "").split(";") if t]
declared = [m.get("type") for m in ET.parse(linux / f"{app_id}.mime.xml").getroot()]
provided = [m.text for m in meta.iter("mediatype")]
if not (mime_types == declared == provided == ["application/x-caseapp-bundle"]):
    problems.append(f"media types disagree: desktop {mime_types}, mime {declared}, AppStream {provided}")
if "%f" not in desktop.get("Exec", "") and "%F" not in desktop.get("Exec", ""):
    problems.append("the desktop entry's Exec does not pass the file (%f): double-clicked bundles would not open")

# The reminders' systemd user units (install.sh replaces @BINDIR@ with the installed application folder).
units = {}
for name in ("caseapp-remind.service", "caseapp-remind.timer"):
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(linux / name, encoding="utf-8")
    units[name] = unit
service, timer = units["caseapp-remind.service"], units["caseapp-remind.timer"]
if not service.has_section("Service") or service["Service"].get("Type") != "oneshot":
    problems.append("caseapp-remind.service is not a oneshot service")
elif "@BINDIR@/caseapp remind --notify" not in (linux / "caseapp-remind.service").read_text(encoding="utf-8"):
    problems.append("caseapp-remind.service does not run `caseapp remind --notify`")
if not timer.has_section("Timer") or timer["Timer"].get("Unit") != "caseapp-remind.service":
    problems.append("caseapp-remind.timer does not start caseapp-remind.service")
elif not timer["Timer"].get("OnCalendar") or timer["Timer"].get("Persistent") != "true":
    problems.append("caseapp-remind.timer needs OnCalendar= and Persistent=true")
if not timer.has_section("Install") or timer["Install"].get("WantedBy") != "timers.target":
    problems.append("caseapp-remind.timer is not wanted by timers.target")

written_down = re.compile(r"(?<![\d.])" + re.escape(project) + r"(?![\d.])")
for recipe in ["packaging/windows/caseapp.iss", "packaging/macos/build-macos.sh", "packaging/caseapp.spec"]:
    if written_down.search(Path(recipe).read_text(encoding="utf-8")):
        problems.append(f"{recipe} writes the version {project} down: read it from pyproject.toml instead")

for problem in problems:
    print("packaging/check.sh:", problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"version {project} everywhere; id {app_id} in the desktop entry, AppStream file and icon name")
PY

shots=$(grep -o '<image>https://caseapp.invalid/[^<]*' "$linux/$app_id.metainfo.xml" | sed 's|.*caseapp.invalid/||')
for shot in $shots; do
    [ -f "$shot" ] || echo "note: screenshot $shot is not in the repository yet (AppStream lists it)"
done
echo "packaging/check.sh: all checks passed"
