; CaseApp installer for Windows (Inno Setup 6), made from the PyInstaller one-folder build in dist\caseapp.
; Do not compile it by hand: packaging\windows\build-windows.ps1 builds the folder, smoke-tests it and runs
;   iscc /DAppVersion=<caseapp.__version__> packaging\windows\caseapp.iss
; The version is never written here: it comes from pyproject.toml through the installed package.
;
; What it installs: dist\caseapp into Program Files (or the user's programs folder when not an administrator),
; a Start menu entry, an optional desktop shortcut, the .casebundle file type (double-click opens the import in
; CaseApp), and an uninstaller. The case files in the user's data folder are never removed.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\caseapp.iss (build-windows.ps1 does it)
#endif
#define AppName "CaseApp"
#define AppExe "CaseApp.exe"
#define BundleProgId "CaseApp.casebundle"
; Paths below are relative to the repository root (this file is in packaging\windows).
#define RepoRoot "..\.."

[Setup]
; The AppId identifies CaseApp to Windows across versions (upgrades, uninstall): never change it.
AppId={{4592A30F-6D3E-4E3A-8EB9-68A9A2E5B0B6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CaseApp team
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installs for the current user without administrator rights; an administrator may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SourceDir={#RepoRoot}
OutputDir=dist
OutputBaseFilename=CaseApp-{#AppVersion}-windows-x64-setup
SetupIconFile=build\icons\caseapp.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
CloseApplications=yes
; Signing (needs a code-signing certificate): define a sign tool named "signtool" on the command line,
; iscc "/Ssigntool=signtool.exe sign /fd sha256 /tr <your CA's timestamp URL> /td sha256 /a $f" …, and uncomment:
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
fr.BundleType=Paquet d'affaire CaseApp
en.BundleType=CaseApp case bundle

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; A new version replaces the old folder whole: no library of the previous build is left to be loaded by mistake.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\caseapp\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:BundleType}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .casebundle files open in CaseApp ("CaseApp.exe" "the file"), which shows what importing it would change.
; HKA is HKLM for an all-users install and HKCU otherwise.
Root: HKA; Subkey: "Software\Classes\.casebundle"; ValueType: string; ValueName: ""; ValueData: "{#BundleProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.casebundle"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-caseapp-bundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.casebundle\OpenWithProgids"; ValueType: string; ValueName: "{#BundleProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:BundleType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".casebundle"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
