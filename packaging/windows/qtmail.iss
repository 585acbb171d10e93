; Inno Setup script for qtmail on Windows (per-user install, no admin rights).
; Build on a Windows runner:
;   .venv\Scripts\pyinstaller --noconfirm --distpath build\dist packaging\qtmail.spec
;   iscc /DAppVersion=%VERSION% packaging\windows\qtmail.iss
; Output: build\qtmail-%VERSION%-setup.exe. See packaging/README.md (Windows).
; The same app id as on Linux (org.qtmail.QtMail) names the registry entries.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppId "org.qtmail.QtMail"
#define ProgId "qtmail.eml"
#define UrlProgId "qtmail.mailto"

[Setup]
AppId={{7C0B8D5E-3F2A-4C1B-9E6D-2A4F5B8C9D10}
AppName=qtmail
AppVersion={#AppVersion}
AppPublisher=The qtmail developers
AppPublisherURL=https://qtmail.org/
DefaultDirName={localappdata}\Programs\qtmail
DefaultGroupName=qtmail
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\build
OutputBaseFilename=qtmail-{#AppVersion}-setup
SetupIconFile=qtmail.ico
UninstallDisplayIcon={app}\qtmail.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Files]
; The PyInstaller onedir bundle (packaging/qtmail.spec).
Source: "..\..\build\dist\qtmail\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\qtmail"; Filename: "{app}\qtmail.exe"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\qtmail"; Filename: "{app}\qtmail.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Registry]
; mailto: handler (HKCU\Software\Classes; Windows lets the user pick it in
; Settings > Default apps through the Capabilities below).
Root: HKCU; Subkey: "Software\Classes\{#UrlProgId}"; ValueType: string; ValueData: "URL:MailTo Protocol"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#UrlProgId}"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\{#UrlProgId}\DefaultIcon"; ValueType: string; ValueData: "{app}\qtmail.exe,0"
Root: HKCU; Subkey: "Software\Classes\{#UrlProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\qtmail.exe"" ""%1"""
; .eml files (message/rfc822): an OpenWithProgids entry, never a forced default.
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueData: "Email message"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueData: "{app}\qtmail.exe,0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\qtmail.exe"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\.eml\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
; Default-apps registration: Capabilities + RegisteredApplications.
Root: HKCU; Subkey: "Software\qtmail\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "qtmail"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\qtmail\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Desktop IMAP email client"
Root: HKCU; Subkey: "Software\qtmail\Capabilities\URLAssociations"; ValueType: string; ValueName: "mailto"; ValueData: "{#UrlProgId}"
Root: HKCU; Subkey: "Software\qtmail\Capabilities\FileAssociations"; ValueType: string; ValueName: ".eml"; ValueData: "{#ProgId}"
Root: HKCU; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "qtmail"; ValueData: "Software\qtmail\Capabilities"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\qtmail.exe"; Description: "{cm:LaunchProgram,qtmail}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The profile (%LOCALAPPDATA%\qtmail) is the user's mail cache: it is kept, like
; settings on Linux after apt-get remove; the uninstaller only removes program files.
Type: filesandordirs; Name: "{app}"
