# Build CaseApp for Windows and its installer. Run from any folder, in PowerShell on Windows 10 or 11 (x64):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1
#
# Needs uv (python -m pip install uv) and Inno Setup 6 (iscc.exe on PATH, or in its default folder).
# Never run on the machine that wrote it: see packaging\README.md for what is untested.
# Produces dist\caseapp\ (CaseApp.exe for the desktop, caseapp-cli.exe for a terminal) and
# dist\CaseApp-<version>-windows-x64-setup.exe.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Run([string]$what, [scriptblock]$command) {
    Write-Host "=== $what"
    & $command
    if ($LASTEXITCODE -ne 0) { throw "FAILED: $what (exit $LASTEXITCODE)" }
}

$version = (uv run --quiet python -c "import caseapp; print(caseapp.__version__)").Trim()
if ($LASTEXITCODE -ne 0) { throw "uv could not set up the project" }

Run "icons" { uv run --quiet python packaging/render_icons.py build/icons }
Run "PyInstaller" {
    uv run --with "pyinstaller>=6.10,<7" pyinstaller --noconfirm --clean --distpath dist `
        --workpath build/pyinstaller packaging/caseapp.spec
}

# Smoke test with throwaway data, as packaging/build.sh does on Linux.
$cli = "dist\caseapp\caseapp-cli.exe"
$data = Join-Path ([System.IO.Path]::GetTempPath()) ("caseapp-smoke-" + [guid]::NewGuid())
$env:CASEAPP_DATA_DIR = $data
$env:CASEAPP_LANG = "en"
$said = (& $cli --version).Trim()
if ($said -ne "CaseApp $version") { throw "--version says '$said', not 'CaseApp $version'" }
Run "demo" { & $cli demo }
Run "cases" { & $cli cases }
$pdf = Join-Path $data "summary.pdf"
Run "summary" { & $cli summary 1901249 -o $pdf }
$head = [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($pdf)[0..4])
if ($head -ne "%PDF-") { throw "$pdf is not a PDF" }
Run "db status (keyring: Windows Credential Manager expected)" { & $cli db status }
Write-Host "=== the window, quitting by itself after 3 s"
$env:CASEAPP_SMOKE_QUIT_MS = "3000"
$gui = Start-Process -FilePath "dist\caseapp\CaseApp.exe" -PassThru -Wait
Remove-Item Env:CASEAPP_SMOKE_QUIT_MS
if ($gui.ExitCode -ne 0) { throw "CaseApp.exe exited with $($gui.ExitCode)" }
Remove-Item -Recurse -Force $data

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
Run "installer" { & $iscc "/DAppVersion=$version" packaging\windows\caseapp.iss }
$size = "{0:N0} MB" -f ((Get-ChildItem -Recurse dist\caseapp | Measure-Object -Sum Length).Sum / 1MB)
Write-Host "CaseApp $version: dist\caseapp ($size), dist\CaseApp-$version-windows-x64-setup.exe"
