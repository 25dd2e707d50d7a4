; Inno Setup script: wraps the PyInstaller folder (dist\debop-desktop) in a per-user installer
; with a Start-menu entry and an uninstaller. Not built or tested here (no Windows machine):
; the CI workflow in .github/workflows/package.yml runs it.
;   iscc /DAppVersion=0.1.0 packaging\windows\debop-desktop.iss
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F0D2C52-8A0B-4C0E-9A55-0D3B5E2B7C11}
AppName=DeBoP Desktop
AppVersion={#AppVersion}
AppPublisher=DeBoP Desktop
DefaultDirName={localappdata}\Programs\DeBoP Desktop
DefaultGroupName=DeBoP Desktop
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=DeBoP-Desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icon.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\debop-desktop.exe

[Files]
Source: "..\..\dist\debop-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\DeBoP Desktop"; Filename: "{app}\debop-desktop.exe"
Name: "{userdesktop}\DeBoP Desktop"; Filename: "{app}\debop-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\debop-desktop.exe"; Description: "Start DeBoP Desktop"; Flags: nowait postinstall skipifsilent
