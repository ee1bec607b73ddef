; Inno Setup script of Régul's Windows installer (Inno Setup 6.3 or later).
; installer/build.py compiles it after PyInstaller, passing what changes from build to build:
;   ISCC /DAppVersion=<version> /DBundleDir=<dist\Regul> /DOutputDir=<dist> installer\regul.iss
; giving <dist>\Regul-<version>-setup.exe: a per-user install (no administrator rights) into
; %LOCALAPPDATA%\Programs\Régul, in French or English.

#ifndef AppVersion
  #error AppVersion is not defined: build with python installer/build.py (ISCC /DAppVersion=...)
#endif
#ifndef BundleDir
  #error BundleDir is not defined: build with python installer/build.py (ISCC /DBundleDir=...)
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist"
#endif

#define AppName "Régul"
#define GuiExe "regul-gui.exe"

[Setup]
; The AppId identifies Régul to Windows across versions: never change it.
AppId={{1555CA40-DBD4-4CFA-A283-BC5AECDF38AA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppCopyright=© {#AppName}
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
; Per user, without elevation: {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
; The licences of what Régul ships, shown for information (nothing to accept).
InfoBeforeFile={#BundleDir}\THIRD-PARTY-LICENSES.txt
UninstallDisplayIcon={app}\{#GuiExe}
; drawn by installer/icon.py, copied into the bundle by the spec
SetupIconFile={#BundleDir}\_internal\regul.ico
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=Regul-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
fr.LaunchRegul=Lancer Régul
en.LaunchRegul=Launch Régul
fr.DeleteUserData=Supprimer aussi vos données Régul : la base locale, les réglages, les journaux et les fichiers de démonstration ?%n%n%1%n%nRépondez Non pour les garder : une nouvelle installation les retrouvera. Une base partagée sur un serveur n'est jamais touchée.
en.DeleteUserData=Also delete your Régul data: the local database, settings, logs and demo files?%n%n%1%n%nAnswer No to keep them: a new installation will find them again. A database shared on a server is never touched.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[UninstallDelete]
; What the programs add beside themselves (Qt WebEngine makes an empty resources\locales
; folder at every start); _internal holds nothing else than what this installer put there.
Type: filesandordirs; Name: "{app}\_internal"

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchRegul}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

[Code]
const
  // platformdirs' user_data_dir("Regul", "Regul"): the database, regul.json, Logs\, Cache\
  // (Numba's compiled loops among them), the demo's files; Qt WebEngine's storage too.
  DataParent = '{localappdata}\Regul';
  DataFolder = '{localappdata}\Regul\Regul';
  // QSettings("Regul", "Regul"): the window's layout.
  SettingsParent = 'Software\Regul';
  SettingsKey = 'Software\Regul\Regul';

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := ExpandConstant(DataFolder);
  if (not DirExists(Folder)) and (not RegKeyExists(HKCU, SettingsKey)) then
    Exit;
  // Kept unless the user says otherwise: a silent uninstall never asks, so keeps them.
  if UninstallSilent then
    Exit;
  if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteUserData'), [Folder]),
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) <> IDYES then
    Exit;
  DelTree(Folder, True, True, True);
  RemoveDir(ExpandConstant(DataParent));  // only if nothing else is in it
  RegDeleteKeyIncludingSubkeys(HKCU, SettingsKey);
  RegDeleteKeyIfEmpty(HKCU, SettingsParent);
end;
