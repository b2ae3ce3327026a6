"""What a ``.casebundle`` holds, and how its text files are written and read.

A bundle is a zip archive holding exactly one folder, a BagIt 1.0 bag (RFC 8493)::

    case-<case id>/
        bagit.txt                  BagIt-Version 1.0, UTF-8
        bag-info.txt               case id and title, who exported it and when, app and schema versions,
                                   whether the evidence files are included, Payload-Oxum, Bagging-Date,
                                   and the signer's public key when signed
        manifest-sha256.txt        SHA-256 of every payload file
        tagmanifest-sha256.txt     SHA-256 of bagit.txt, bag-info.txt and manifest-sha256.txt
        signature.ed25519          optional: Ed25519 signature over the tag manifest (see ``signing``)
        data/case.json             every record of the case (see ``content``)
        data/summary.pdf           the case summary
        data/evidence/<sha256>     the evidence files, named by their SHA-256 (original names in case.json)

A bundle made without its evidence files (``caseapp export --no-evidence``) says so twice, in bag-info.txt
(``CaseApp-Evidence: omitted``) and in case.json (``"evidence_files": "omitted"``): both are covered by the tag
manifest, hence by the signature, and the importer refuses a bundle where they disagree, or one that says
"omitted" yet carries files under ``data/evidence/``. Its case.json still lists every stored file (name, size,
SHA-256), so the exhibits arrive with the fingerprint their file must have. A bundle that does not say either
(written before the field existed) includes its files.

The signature file is a tag file that the tag manifest does not list, since it signs the tag manifest itself;
BagIt tools ignore it. Evidence files are stored in the zip as they are (no recompression); text is deflated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from caseapp.errors import BundleError
from caseapp.i18n import _

FORMAT_VERSION = 1  # bumped when a CaseApp could not read bundles written by a newer one
FORMAT_NAME = "caseapp-case-bundle"
SUFFIX = ".casebundle"

BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = "signature.ed25519"
CASE_JSON = "data/case.json"
SUMMARY_PDF = "data/summary.pdf"
EVIDENCE_DIR = "data/evidence/"

BAGIT_TEXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
TAG_FILES = (BAGIT, BAG_INFO, MANIFEST)  # what the tag manifest lists, in this order
SHA256 = re.compile(r"^[0-9a-f]{64}$")

# bag-info.txt fields CaseApp writes (the reserved BagIt ones, then its own).
INFO_CASE_ID = "CaseApp-Case-Id"
INFO_CASE_TITLE = "CaseApp-Case-Title"
INFO_EXPORTED_BY = "CaseApp-Exported-By"
INFO_EXPORTED_AT = "CaseApp-Exported-At"
INFO_APP_VERSION = "CaseApp-Version"
INFO_SCHEMA = "CaseApp-Schema"
INFO_FORMAT = "CaseApp-Bundle-Format"
INFO_SIGNING_KEY = "CaseApp-Signing-Key"
INFO_SIGNER = "CaseApp-Signer-Fingerprint"
INFO_EVIDENCE = "CaseApp-Evidence"
# The head of the sender's history when the bundle was made: "<case file id> <position> <hash> <time>" (see
# ``caseapp.store.anchors``); older bundles do not have it.
INFO_HISTORY_ANCHOR = "CaseApp-History-Anchor"

# The value of INFO_EVIDENCE in bag-info.txt and of ``evidence_files`` in case.json.
EVIDENCE_INCLUDED = "included"
EVIDENCE_OMITTED = "omitted"


def bag_folder(case_id: object) -> str:
    return f"case-{case_id}"


def evidence_name(sha256: str) -> str:
    return EVIDENCE_DIR + sha256


def is_evidence_name(name: str) -> bool:
    return name.startswith(EVIDENCE_DIR) and bool(SHA256.match(name[len(EVIDENCE_DIR) :]))


def one_line(value: str) -> str:
    """A value for bag-info.txt: the format has no room for line breaks."""
    return " ".join(value.split())


def write_info(fields: Iterable[tuple[str, str]]) -> bytes:
    return "".join(f"{key}: {one_line(value)}\n" for key, value in fields).encode("utf-8")


def parse_info(data: bytes) -> dict[str, str]:
    """Read bag-info.txt (``Label: value`` lines, values may fold onto indented lines). A label that appears
    twice is refused: CaseApp would not know which value to believe."""
    text = _decode(data, BAG_INFO)
    fields: dict[str, str] = {}
    last: str | None = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line[0] in " \t" and last is not None:
            fields[last] = (fields[last] + " " + line.strip()).strip()
            continue
        label, colon, value = line.partition(":")
        label = label.strip()
        if not colon or not label:
            raise BundleError(_("The bundle's {file} is not valid: “{line}”.").format(file=BAG_INFO, line=line[:80]))
        if label in fields:
            raise BundleError(_("The bundle's {file} gives “{label}” twice.").format(file=BAG_INFO, label=label))
        fields[label] = value.strip()
        last = label
    return fields


def _escape_path(path: str) -> str:
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _unescape_path(path: str) -> str:
    return path.replace("%0D", "\r").replace("%0d", "\r").replace("%0A", "\n").replace("%0a", "\n").replace("%25", "%")


def write_manifest(entries: Iterable[tuple[str, str]]) -> bytes:
    """``<sha256>  <path>`` lines, sorted by path, as BagIt tools write them."""
    return "".join(f"{digest}  {_escape_path(path)}\n" for path, digest in sorted(entries)).encode("utf-8")


def parse_manifest(data: bytes, file: str) -> dict[str, str]:
    """``{path: sha256}`` from a manifest; malformed lines and paths listed twice are refused."""
    text = _decode(data, file)
    entries: dict[str, str] = {}
    for line in text.split("\n"):
        if not line:
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-fA-F]{64}", parts[0]):
            raise BundleError(_("The bundle's {file} is not valid: “{line}”.").format(file=file, line=line[:80]))
        path = _unescape_path(parts[1].strip())
        if path in entries:
            raise BundleError(_("The bundle's {file} lists “{path}” twice.").format(file=file, path=path))
        entries[path] = parts[0].lower()
    return entries


def _decode(data: bytes, file: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(_("The bundle's {file} is not UTF-8 text.").format(file=file)) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


@dataclass(frozen=True)
class Oxum:
    """Payload-Oxum: the payload's total size and file count."""

    size: int
    count: int

    def __str__(self) -> str:
        return f"{self.size}.{self.count}"

    @classmethod
    def parse(cls, text: str) -> Oxum:
        match = re.fullmatch(r"(\d{1,20})\.(\d{1,10})", text.strip())
        if not match:
            raise BundleError(_("The bundle's Payload-Oxum is not valid: “{value}”.").format(value=text[:40]))
        return cls(int(match.group(1)), int(match.group(2)))
